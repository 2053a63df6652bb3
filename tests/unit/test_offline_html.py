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


REMOTE = (
	'<link rel="stylesheet" href="/assets/missing.css">'
	'<link rel="icon" href="http://169.254.169.254/latest/meta-data/">'
	'<img src="https://cdn.example.com/a.png"><img src="//cdn.example.com/b.png">'
	"<img src=http://10.0.0.5/admin alt=x><img src='&#104;ttp://10.0.0.6/'><img src=\"/private/files/x.png\">"
	'<img srcset="http://10.0.0.7/a.png 2x" src="data:image/png;base64,AAAA">'
	'<iframe src="http://10.0.0.8/"></iframe><object data="http://10.0.0.9/"></object>'
	'<script src="http://10.0.0.10/x.js"></script>'
	'<style>@import "http://10.0.0.11/a.css"; p { background: url(http://10.0.0.12/b.png) }</style>'
	"<p style=\"background-image: url('http://10.0.0.13/c.png')\">text</p>"
	'<table background="http://10.0.0.14/t.png"><tr><td>cell</td></tr></table>'
)


def test_nothing_that_would_be_fetched_from_elsewhere_survives():
	out = offline_html.inline(REMOTE, read)
	for host in (
		"cdn.example.com",
		"169.254",
		"/private/",
		"&#104;ttp",
		*(f"10.0.0.{n}" for n in range(5, 15)),
	):
		assert host not in out, host
	assert "text" in out and "cell" in out and "data:image/png;base64,AAAA" in out


def test_a_customers_styles_scripts_and_frames_are_taken_out_of_their_text():
	text = (
		'<p style="color:red">Parcel <b>crushed</b></p><style>body{display:none}</style>'
		'<script>alert(1)</script><meta http-equiv="refresh" content="0;url=http://x"><base href="http://x/">'
		'<iframe src="http://10.0.0.8/"></iframe><img src="/files/logo.png">'
	)
	out = offline_html.customer_text(text)
	assert out == '<p>Parcel <b>crushed</b></p><img src="/files/logo.png">'
