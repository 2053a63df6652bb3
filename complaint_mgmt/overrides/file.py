"""Frappe's File, with downloads of a complaint's files checked against the complaint."""

from __future__ import annotations

from frappe.core.doctype.file.file import File

from complaint_mgmt.services import files


class ComplaintAwareFile(File):
	def is_downloadable(self) -> bool:
		# Frappe's download checks the File's own permission only (its owner always passes)
		return super().is_downloadable() and files.may_download(self)
