"""Errors the engine raises when a request breaks a business rule.

The message is an English template with ``{name}`` placeholders. The Frappe layer
translates the template (``frappe._``) and formats it with ``params``, so every rule the
engine enforces reaches the user in English or Simplified Chinese.
"""

from __future__ import annotations

from typing import Any


class PolicyViolation(Exception):
	"""A request that a business rule refuses."""

	def __init__(self, message: str, **params: Any) -> None:
		super().__init__(message.format(**params) if params else message)
		self.message = message
		self.params = params
