"""Take the README's screenshots from a running demo site (docs/screenshots/NAME.png).

Needs Playwright (`pip install playwright`) and a Chromium (`CHROMIUM`, default /usr/bin/chromium).
Usage: python scripts/screenshots.py [--url http://complaint.localhost:8000] [NAME ...]
With no NAME every shot is taken. A shot names a desk route or a portal page; `{complaint}` and
the like are filled with a demo record found through the REST API.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
DESK = (1440, 900)
PHONE = (375, 812)

# name → (route, language, viewport, records the route needs)
SHOTS = {
	"workspace": ("/app/complaint-management", "en", DESK, {}),
	"complaint-list": ("/app/complaint?status=Open", "en", DESK, {}),
	"complaint-form": ("/app/complaint/{complaint}", "en", DESK, {"complaint": "complaint"}),
	"complaint-form-zh": ("/app/complaint/{complaint}", "zh", DESK, {"complaint": "complaint"}),
	"sla-monitor": ("/app/query-report/Complaint SLA Monitor", "en", DESK, {}),
	"compensation": ("/app/compensation/{compensation}", "en", DESK, {"compensation": "compensation"}),
	"survey-list": ("/app/complaint-survey?low_score=1", "en", DESK, {}),
	"portal-form-zh": ("/complaint/new?_lang=zh", "zh", DESK, {}),
	"portal-form-phone": ("/complaint/new?_lang=zh", "zh", PHONE, {}),
	"portal-status-zh": ("/complaint-status?_lang=zh", "zh", DESK, {}),
	"recovery-plan": ("/app/recovery-plan/{recovery_plan}", "en", DESK, {"recovery_plan": "recovery_plan"}),
	"voucher-ledger": ("/app/complaint-voucher", "en", DESK, {}),
	"recovery-report": ("/app/query-report/Customer Recovery", "en", DESK, {}),
	"volume-trend": ("/app/query-report/Complaint Volume Trend", "en", DESK, {}),
	"sla-attainment": ("/app/query-report/Complaint SLA Attainment", "en", DESK, {}),
	"complaint-alert": ("/app/complaint-alert/{alert}", "en", DESK, {"alert": "alert"}),
	"analysis-report-zh": (
		"/printview?doctype=Complaint Analysis Report&name={analysis_report}"
		"&format=Complaint Analysis Report&_lang=zh",
		"zh",
		DESK,
		{"analysis_report": "analysis_report"},
	),
}

# how a placeholder is found: DocType and filters of a demo record
RECORDS = {
	"complaint": ("Complaint", [["priority", "=", "Important"], ["workflow_state", "=", "Investigating"]]),
	"compensation": ("Compensation", [["workflow_state", "=", "Pending Approval"]]),
	"recovery_plan": ("Recovery Plan", [["workflow_state", "=", "Active"]]),
	"alert": ("Complaint Alert", [["rule", "=", "Sudden Jump"]]),
	"analysis_report": ("Complaint Analysis Report", []),
}


def find(request, base: str, key: str) -> str:
	doctype, filters = RECORDS[key]
	url = f"{base}/api/resource/{quote(doctype)}?filters={quote(json.dumps(filters))}&limit_page_length=1"
	rows = request.get(url).json().get("data") or []
	if not rows:  # any record will do
		rows = request.get(f"{base}/api/resource/{quote(doctype)}?limit_page_length=1").json()["data"]
	return rows[0]["name"]


def set_language(context, base: str, language: str) -> None:
	"""The desk reads the user's language at boot; set it from a desk page (it sends the CSRF token)."""
	page = context.new_page()
	page.goto(f"{base}/app/user", wait_until="networkidle")
	failed = page.evaluate(
		"""(language) => frappe.xcall("frappe.client.set_value", {
			doctype: "User", name: frappe.session.user, fieldname: "language", value: language})
			.then(() => null, (error) => String(error))""",
		language,
	)
	if failed:
		print(
			f"warning: the desk language stays as it was ({failed}); set it to {language} by hand",
			file=sys.stderr,
		)
	page.close()


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("names", nargs="*", help=f"shots to take (default all: {', '.join(SHOTS)})")
	parser.add_argument("--url", default="http://complaint.localhost:8000")
	parser.add_argument("--user", default="Administrator")
	parser.add_argument("--password", default=os.environ.get("ADMIN_PASSWORD", "admin"))
	args = parser.parse_args()
	unknown = set(args.names) - set(SHOTS)
	if unknown:
		parser.error(f"unknown shots: {', '.join(sorted(unknown))}")
	OUT.mkdir(parents=True, exist_ok=True)
	with sync_playwright() as p:
		browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
		context = browser.new_context(viewport={"width": DESK[0], "height": DESK[1]}, device_scale_factor=1)
		request = context.request
		login = request.post(f"{args.url}/api/method/login", form={"usr": args.user, "pwd": args.password})
		if not login.ok:
			print(f"cannot log in as {args.user}: HTTP {login.status}", file=sys.stderr)
			return 1
		language = None
		for name in args.names or SHOTS:
			route, lang, (width, height), needs = SHOTS[name]
			values = {key: find(request, args.url, record) for key, record in needs.items()}
			if lang != language:
				set_language(context, args.url, lang)
				language = lang
			page = context.new_page()
			page.set_viewport_size({"width": width, "height": height})
			page.goto(args.url + route.format(**values), wait_until="networkidle")
			try:  # cards, charts and reports fill in after the network is idle
				page.wait_for_function("!document.body.innerText.includes('Loading')", timeout=20000)
			except PlaywrightTimeout:
				print(f"warning: {name} still shows 'Loading' after 20 s", file=sys.stderr)
			page.wait_for_timeout(1500)  # the charts' drawing animation
			page.screenshot(path=str(OUT / f"{name}.png"), full_page=width == PHONE[0])
			page.close()
			print(f"docs/screenshots/{name}.png")
		set_language(context, args.url, "en")
		browser.close()
	return 0


if __name__ == "__main__":
	sys.exit(main())
