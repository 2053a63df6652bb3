"""The portal form's description is plain text; the desk shows it as the customer typed it."""

from complaint_mgmt.utils.plain_text import as_html


def test_lines_and_paragraphs_are_kept():
	assert as_html("第一行\n第二行\n\n第二段") == "<p>第一行<br>第二行</p><p>第二段</p>"


def test_markup_the_customer_types_stays_text():
	assert (
		as_html("<script>alert(1)</script> & <b>")
		== "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;</p>"
	)


def test_windows_line_ends_and_surrounding_blank_lines():
	assert as_html("\r\n  a\r\nb\r\n\r\n\r\n") == "<p>a<br>b</p>"
	assert as_html(None) == "" and as_html("  \n ") == ""
