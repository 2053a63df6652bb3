"""Make a printable page self-contained, so a PDF renders without asking the web server.

wkhtmltopdf fetches every stylesheet and image of the page over HTTP from the site's URL. A worker
that cannot reach that URL (no web server running, a container without the public host name, a
proxy in the way) then fails the whole PDF with a network error. Local assets and public files are
on disk anyway: this module puts them into the page itself. It has no frappe import: the caller
says how a URL path maps to bytes.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Callable
from urllib.parse import unquote

Reader = Callable[[str], bytes | None]

_STYLESHEET = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_HREF = re.compile(r"""\bhref\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_REL_STYLESHEET = re.compile(r"""\brel\s*=\s*["']?stylesheet""", re.IGNORECASE)
_IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*)(["'])([^"']+)\2""", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(["']?)(?!data:)[^)"']*\1\s*\)""", re.IGNORECASE)


def local_path(url: str, host_urls: tuple[str, ...] = ()) -> str | None:
	"""The site-relative path of a URL that the site itself serves, or None for anything else."""
	for host in host_urls:
		if host and url.startswith(host.rstrip("/") + "/"):
			url = url[len(host.rstrip("/")) :]
			break
	if not url.startswith("/") or url.startswith("//"):
		return None
	return unquote(url.split("?", 1)[0].split("#", 1)[0])


def data_uri(path: str, content: bytes) -> str:
	mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
	return f"data:{mime};base64,{base64.b64encode(content).decode()}"


def inline(html: str, read: Reader, host_urls: tuple[str, ...] = ()) -> str:
	"""Replace local stylesheets by <style> blocks and local images by data URIs.

	Fonts and images a stylesheet points to are dropped from it (they would be fetched over the
	network again); the print formats name installed system fonts instead. Anything `read`
	cannot find is left as it was, so nothing that rendered before is lost.
	"""

	def stylesheet(match: re.Match) -> str:
		tag = match.group(0)
		href = _HREF.search(tag)
		if not (href and _REL_STYLESHEET.search(tag)):
			return tag
		path = local_path(href.group(1), host_urls)
		content = read(path) if path else None
		if content is None:
			return tag
		css = _CSS_URL.sub("none", content.decode("utf-8", "replace"))
		return f"<style>\n{css}\n</style>"

	def image(match: re.Match) -> str:
		path = local_path(match.group(3), host_urls)
		content = read(path) if path else None
		if content is None:
			return match.group(0)
		quote = match.group(2)
		return f"{match.group(1)}{quote}{data_uri(path, content)}{quote}"

	return _IMG_SRC.sub(image, _STYLESHEET.sub(stylesheet, html))
