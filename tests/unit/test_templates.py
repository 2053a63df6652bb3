from __future__ import annotations

import pytest

from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.engine.templates import check, render


def test_known_placeholders_pass():
	check("Complaint {name}: {amount} by {date}.", ("name", "amount", "date"))


def test_an_unknown_placeholder_is_refused_with_the_allowed_ones():
	with pytest.raises(PolicyViolation) as err:
		check("Complaint {name} {nmae} {nmae}", ("name", "amount"))
	assert str(err.value) == "The text: unknown placeholder {nmae}; this text can use {name}, {amount}"


def test_a_stray_brace_is_refused():
	with pytest.raises(PolicyViolation) as err:
		check("Complaint {name", ("name",), "SMS Text")
	assert str(err.value) == (
		"SMS Text has an unmatched brace; write {{ or }} for a brace that is not a placeholder"
	)


def test_render_fills_what_it_knows_and_leaves_the_rest():
	assert render("{name}: {amount} by {date} {who}", {"name": "C-1", "amount": "¥100", "date": ""}) == (
		"C-1: ¥100 by  {who}"
	)


def test_render_never_raises_on_a_broken_text():
	assert render("Complaint {name", {"name": "C-1"}) == "Complaint {name"
	assert render("{{literal}} {name}", {"name": "C-1"}) == "{literal} C-1"
	assert render("{n:%Y}", {"n": "text"}) == "text"
