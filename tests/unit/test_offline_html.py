"""A notice PDF must render on a worker that cannot reach the web server: the page carries its assets."""

import base64

from complaint_mgmt.utils import offline_html

FILES = {
	"/assets/frappe/dist/css/print.bundle.css": (
		b"body { color: #111; }\n@font-face { font-family: Inter; src: url('/assets/frappe/inter.woff2'); }\n"
		b".bg { background: url(../img/x.png) }\n.ok { background: url(data:image/png;base64,AAAA) }"
	),
	"/files/logo.png": b"\x89PNG-logo",
	"/files/my photo.jpg": b"jpeg-bytes",
}


def read(path):
	return FILES.get(path)


def test_a_local_stylesheet_becomes_a_style_block():
	html = (
		'<head><link type="text/css" rel="stylesheet" href="/assets/frappe/dist/css/print.bundle.css"></head>'
	)
	out = offline_html.inline(html, read)
	assert "<link" not in out
	assert "body { color: #111; }" in out


def test_font_and_image_urls_inside_the_stylesheet_are_dropped_but_data_uris_kept():
	html = '<link rel="stylesheet" href="/assets/frappe/dist/css/print.bundle.css">'
	out = offline_html.inline(html, read)
	assert "inter.woff2" not in out
	assert "../img/x.png" not in out
	assert "url(data:image/png;base64,AAAA)" in out


def test_local_images_become_data_uris_also_with_the_site_url_and_escapes():
	html = (
		'<img src="http://site.test:8000/files/logo.png?v=2" alt="logo">'
		"<img class='p' src='/files/my%20photo.jpg'>"
	)
	out = offline_html.inline(html, read, host_urls=("http://site.test:8000",))
	logo = base64.b64encode(FILES["/files/logo.png"]).decode()
	photo = base64.b64encode(FILES["/files/my photo.jpg"]).decode()
	assert f'src="data:image/png;base64,{logo}"' in out
	assert f"src='data:image/jpeg;base64,{photo}'" in out
	assert 'alt="logo"' in out


def test_what_cannot_be_read_or_is_not_local_is_left_as_it_was():
	html = (
		'<link rel="stylesheet" href="/assets/missing.css">'
		'<link rel="icon" href="/assets/frappe/dist/css/print.bundle.css">'
		'<img src="https://cdn.example.com/a.png"><img src="//cdn.example.com/b.png">'
	)
	assert offline_html.inline(html, read) == html
