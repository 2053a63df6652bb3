"""Kept for tools that still call setup.py; the build is described in pyproject.toml."""

from setuptools import find_packages, setup

from complaint_mgmt import __version__

setup(
	name="complaint_mgmt",
	version=__version__,
	description="Customer complaint management for express-delivery and logistics companies, on Frappe v15",
	packages=find_packages(include=["complaint_mgmt", "complaint_mgmt.*"]),
	include_package_data=True,
	zip_safe=False,
)
