"""Tier-2 helpers: what a test site needs before the app's tests run (`before_tests` hook)."""

import frappe


def before_tests() -> None:
	"""Prepare the site the way ERPNext's own tests expect, then the app's defaults.

	`bench run-tests --app complaint_handling` runs only this app's `before_tests`, so ERPNext's
	(company, fiscal year, defaults) is called from here.
	"""
	from erpnext.setup.utils import before_tests as erpnext_before_tests

	from complaint_handling.install import setup_defaults

	erpnext_before_tests()
	setup_defaults()
	frappe.db.commit()  # nosemgrep: tests need the prepared site to persist between test modules


def run_background_jobs(timeout: int = 600) -> None:
	"""Run what requests left in the site's queues, as the bench's worker would (`bench worker --burst`).

	A request is not a test (`frappe.flags.in_test` is reset by `frappe.init`), so what it enqueues —
	System Notifications among them — waits for a worker; CI runs none.
	"""
	import subprocess
	import sys
	from pathlib import Path

	frappe.db.commit()  # nosemgrep: the worker reads what the test has written
	bench = Path(frappe.utils.get_bench_path())
	subprocess.run(
		[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "worker", "--burst", "--quiet"],
		cwd=bench / "sites",
		check=True,
		timeout=timeout,
		capture_output=True,
	)
