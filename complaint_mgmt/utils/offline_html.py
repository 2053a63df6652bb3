"""Make a printable page self-contained, so a PDF renders without asking any server.

wkhtmltopdf fetches every stylesheet and image of the page over HTTP from the site's URL. A worker
that cannot reach that URL (no web server running, a container without the public host name, a
proxy in the way) then fails the whole PDF with a network error. Local assets and public files are
on disk anyway: this module puts them into the page itself. Whatever it cannot put in is taken
out: a customer's description with ``<img src="http://10.0.0.5/admin">`` must not make our server
request that address (SSRF), and a customer's ``<style>`` must not restyle our documents. It has
no frappe import: the caller says how a URL path maps to bytes.
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
_IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*)(?:(["'])([^"']*)\2|([^\s>"']+))""", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(["']?)(?!data:)[^)"']*\1\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import\b[^;]*;?", re.IGNORECASE)
_STYLE_BLOCK = re.compile(r"(<style\b[^>]*>)([\s\S]*?)(</style\s*>)", re.IGNORECASE)
_STYLE_ATTR = re.compile(r"""(\sstyle\s*=\s*)("[^"]*"|'[^']*')""", re.IGNORECASE)
# elements that fetch what they point to, whole or as a tag
_FETCHING_BLOCKS = re.compile(
	r"<(iframe|object|embed|frameset|svg|math|template|noscript|audio|video)\b[\s\S]*?(?:</\1\s*>|$)",
	re.IGNORECASE,
)
_FETCHING_TAGS = re.compile(
	r"<(?:link|iframe|frame|object|embed|source|track|input|image)\b[^>]*>", re.IGNORECASE
)
_REMOTE_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=[^>]*>[\s\S]*?(?:</script\s*>|$)", re.IGNORECASE)
# what a customer's text may not carry at all (on top of the fetching elements)
_CUSTOMER_ONLY = re.compile(
	r"<(script|style)\b[\s\S]*?(?:</\1\s*>|$)|<(?:meta|base|script|style)\b[^>]*>", re.IGNORECASE
)
_FETCHING_ATTRS = re.compile(
	r"""\s(?:srcset|background|poster|lowsrc|dynsrc|xlink:href)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""",
	re.IGNORECASE,
)
_ANY_STYLE_ATTR = re.compile(r"""\sstyle\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
# an image that shows nothing and fetches nothing
EMPTY_IMAGE = "data:,"


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


def customer_text(html: str | None) -> str:
	"""A customer's own HTML as it may appear in our documents: their words and simple markup,
	without style sheets, inline styles, scripts, frames or other elements that fetch."""
	html = _CUSTOMER_ONLY.sub("", html or "")
	html = _FETCHING_BLOCKS.sub("", html)
	html = _FETCHING_TAGS.sub("", html)
	html = _FETCHING_ATTRS.sub("", html)
	return _ANY_STYLE_ATTR.sub("", html)


def _without_remote_css(css: str) -> str:
	return _CSS_URL.sub("none", _CSS_IMPORT.sub("", css))


def inline(html: str, read: Reader, host_urls: tuple[str, ...] = ()) -> str:
	"""Replace local stylesheets by <style> blocks and local images by data URIs; take out what
	would still be fetched.

	Fonts and images a stylesheet points to are dropped from it (they would be fetched over the
	network again); the print formats name installed system fonts instead. A stylesheet `read`
	cannot find is removed, an image it cannot find shows nothing, so the page fetches nothing.
	"""

	def stylesheet(match: re.Match) -> str:
		tag = match.group(0)
		href = _HREF.search(tag)
		if not (href and _REL_STYLESHEET.search(tag)):
			return tag
		path = local_path(href.group(1), host_urls)
		content = read(path) if path else None
		if content is None:
			return ""
		css = _without_remote_css(content.decode("utf-8", "replace"))
		return f"<style>\n{css}\n</style>"

	def image(match: re.Match) -> str:
		quote = match.group(2) or '"'
		src = match.group(3) if match.group(2) else match.group(4)
		if src.strip().lower().startswith("data:"):
			return match.group(0)
		path = local_path(src, host_urls)
		content = read(path) if path else None
		uri = data_uri(path, content) if content is not None else EMPTY_IMAGE
		return f"{match.group(1)}{quote}{uri}{quote}"

	html = _IMG_SRC.sub(image, _STYLESHEET.sub(stylesheet, html))
	html = _STYLE_BLOCK.sub(lambda m: m.group(1) + _without_remote_css(m.group(2)) + m.group(3), html)
	html = _STYLE_ATTR.sub(lambda m: m.group(1) + _without_remote_css(m.group(2)), html)
	html = _FETCHING_BLOCKS.sub("", _REMOTE_SCRIPT.sub("", html))
	html = _FETCHING_TAGS.sub("", html)
	return _FETCHING_ATTRS.sub("", html)
