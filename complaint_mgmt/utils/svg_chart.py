"""Charts drawn on the server as SVG, for printed reports (a PDF has no JavaScript to draw them).

Pure Python, no frappe import. The print format shows a chart as an ``<img>`` whose source is
``data_uri(svg)``: an image carries no script and fetches nothing.
"""

from __future__ import annotations

import base64
from html import escape

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 28, 36
FONT = "WenQuanYi Zen Hei, Noto Sans CJK SC, sans-serif"
COLOURS = ("#5e64ff", "#ff8f3d", "#29cd42", "#e24c4c", "#743ee2", "#ffa00a", "#2d95f0", "#888888")


def _scale(values: list[float]) -> float:
	top = max([*values, 0])
	if top <= 0:
		return 1.0
	step = 10 ** (len(str(int(top))) - 1)
	return float(((int(top) // step) + 1) * step)


def _frame(title: str, body: list[str]) -> str:
	return (
		f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
		f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}" font-size="11">'
		f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>'
		f'<text x="{LEFT}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>'
		+ "".join(body)
		+ "</svg>"
	)


def _axis(top: float) -> list[str]:
	plot_h = HEIGHT - TOP - BOTTOM
	parts = []
	for i in range(5):
		value = top * i / 4
		y = TOP + plot_h - plot_h * i / 4
		parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#e5e5e5"/>')
		parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#666">{value:g}</text>')
	return parts


def line_chart(title: str, labels: list[str], values: list[float], label_every: int = 5) -> str:
	"""One series over time (e.g. complaints received per day)."""
	top, plot_w, plot_h = _scale(values), WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
	count = max(len(values) - 1, 1)
	points = [(LEFT + plot_w * i / count, TOP + plot_h - plot_h * (v / top)) for i, v in enumerate(values)]
	body = _axis(top)
	if points:
		path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
		body.append(f'<polyline points="{path}" fill="none" stroke="{COLOURS[0]}" stroke-width="2"/>')
	for i, label in enumerate(labels):
		if i % label_every == 0 or i == len(labels) - 1:
			x = LEFT + plot_w * i / count
			body.append(
				f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" fill="#666">{escape(label)}</text>'
			)
	return _frame(title, body)


def bar_chart(title: str, items: list[tuple[str, float]]) -> str:
	"""Horizontal bars, biggest first as given (e.g. complaints per type)."""
	top = _scale([v for _, v in items])
	row_h = (HEIGHT - TOP - 8) / max(len(items), 1)
	label_w, plot_w = 150, WIDTH - 150 - RIGHT - 40
	body = []
	for i, (label, value) in enumerate(items):
		y = TOP + i * row_h
		width = plot_w * value / top
		colour = COLOURS[i % len(COLOURS)]
		body.append(
			f'<text x="{label_w - 6}" y="{y + row_h * 0.65:.1f}" text-anchor="end">{escape(str(label))}</text>'
		)
		body.append(
			f'<rect x="{label_w}" y="{y + row_h * 0.15:.1f}" width="{width:.1f}" '
			f'height="{row_h * 0.7:.1f}" fill="{colour}"/>'
		)
		body.append(f'<text x="{label_w + width + 4:.1f}" y="{y + row_h * 0.65:.1f}">{value:g}</text>')
	return _frame(title, body)


def data_uri(svg: str) -> str:
	return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode()
