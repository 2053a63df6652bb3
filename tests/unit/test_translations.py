"""Everything an admin or a user reads in the app's DocTypes exists in Simplified Chinese."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "complaint_mgmt"
ZH_CSV = APP / "translations" / "zh.csv"
HAS_WORDS = re.compile(r"[A-Za-z]")  # "=", ">=" and the like need no translation


def translations() -> dict[str, list[str]]:
	found: dict[str, list[str]] = {}
	with ZH_CSV.open(encoding="utf-8", newline="") as fh:
		for row in csv.reader(fh):
			if row:
				found.setdefault(row[0], []).append(row[1] if len(row) > 1 else "")
	return found


def doctype_files() -> list[Path]:
	files = []
	for path in sorted(APP.glob("*/doctype/*/*.json")):
		if json.loads(path.read_text(encoding="utf-8")).get("doctype") == "DocType":
			files.append(path)
	return files


def readable_strings(meta: dict) -> list[tuple[str, str]]:
	"""(where, text) for the DocType's name, description, and every field's label, description and
	Select option."""
	name = meta["name"]
	strings = [(name, name)]
	if meta.get("description"):
		strings.append((f"{name} description", meta["description"]))
	for field in meta.get("fields", []):
		where = f"{name}.{field['fieldname']}"
		for key in ("label", "description"):
			if field.get(key):
				strings.append((f"{where} {key}", field[key]))
		if field.get("fieldtype") == "Select":
			for option in (field.get("options") or "").split("\n"):
				if HAS_WORDS.search(option):
					strings.append((f"{where} option", option.strip()))
	return strings


def test_the_app_has_doctypes_to_check():
	assert len(doctype_files()) > 20


@pytest.mark.parametrize("path", doctype_files(), ids=lambda p: p.parent.name)
def test_every_label_description_and_option_has_a_chinese_translation(path):
	zh = translations()
	meta = json.loads(path.read_text(encoding="utf-8"))
	missing = [f"{where}: {text!r}" for where, text in readable_strings(meta) if not any(zh.get(text, []))]
	assert not missing, "add to complaint_mgmt/translations/zh.csv:\n" + "\n".join(missing)


def test_no_string_has_two_different_translations():
	"""zh.csv merges as a union of lines: two branches translating one string differently must
	not both survive (Frappe would pick one at random)."""
	conflicting = {text: sorted(set(zh)) for text, zh in translations().items() if len(set(zh)) > 1}
	assert not conflicting, conflicting
