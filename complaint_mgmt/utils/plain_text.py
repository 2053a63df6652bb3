"""Plain text a customer typed, for a rich-text field: kept as typed, never read as markup."""

from __future__ import annotations

import html
import re

BLANK_LINE = re.compile(r"\n[ \t]*\n+")


def as_html(text: str | None) -> str:
	"""Paragraphs at blank lines, line breaks kept; ``<``, ``&`` and quotes stay characters."""
	text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
	paragraphs = [p.strip("\n") for p in BLANK_LINE.split(text) if p.strip()]
	return "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
