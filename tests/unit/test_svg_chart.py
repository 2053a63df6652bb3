"""Charts drawn on the server for the monthly report's PDF."""

from __future__ import annotations

import base64
from xml.etree import ElementTree

from complaint_mgmt.utils import svg_chart


def test_a_line_chart_is_valid_svg_with_one_point_per_day_and_escaped_labels():
	svg = svg_chart.line_chart("投诉量 <Received>", ["06-01", "06-02", "06-03"], [3, 0, 1])
	root = ElementTree.fromstring(svg)
	polyline = root.find("{http://www.w3.org/2000/svg}polyline")
	assert len(polyline.get("points").split()) == 3
	assert "投诉量 <Received>" in "".join(root.itertext())


def test_a_bar_chart_draws_longer_bars_for_bigger_values_and_shows_the_numbers():
	svg = svg_chart.bar_chart("Top types", [("延误 Delay", 30), ("破损 Damage", 10)])
	root = ElementTree.fromstring(svg)
	widths = [float(r.get("width")) for r in root.iter("{http://www.w3.org/2000/svg}rect")][1:]
	assert widths[0] == 3 * widths[1]
	assert {"30", "10", "延误 Delay"} <= set(root.itertext())


def test_an_empty_chart_still_draws_and_the_data_uri_round_trips():
	svg = svg_chart.bar_chart("Nothing", [])
	uri = svg_chart.data_uri(svg)
	assert uri.startswith("data:image/svg+xml;base64,")
	assert base64.b64decode(uri.split(",", 1)[1]).decode() == svg
