"""Runs the project's two pytest tiers (``tests/unit``, ``tests/integration`` beside the package)
inside Frappe's runner, on the runner's site and connection."""

from __future__ import annotations

import unittest
from pathlib import Path

import frappe

PYTEST_NEEDED = "pytest, factory-boy and hypothesis (bench pip install pytest factory-boy hypothesis)"


class TestComplaintTiers(unittest.TestCase):
	def run_tier(self, tier: str) -> None:
		try:
			import pytest
		except ImportError:
			self.fail(f"the {tier} tier needs {PYTEST_NEEDED}")
		repo = Path(frappe.get_app_path("complaint_mgmt")).parent
		tests = repo / "tests" / tier
		self.assertTrue(tests.is_dir(), f"no {tests}: install the app from its repository")
		code = pytest.main([str(tests), "--rootdir", str(repo), "-q", "-p", "no:cacheprovider"])
		self.assertEqual(code, 0, f"the {tier} tier failed (pytest exit code {code}); see above")

	def test_unit_tier(self) -> None:
		self.run_tier("unit")

	def test_integration_tier(self) -> None:
		self.run_tier("integration")
