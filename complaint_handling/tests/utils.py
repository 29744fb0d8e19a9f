"""Tier-2 helpers: what a test site needs before the app's tests run (`before_tests` hook)."""

import os

import frappe


def before_tests() -> None:
	"""Prepare the site the way ERPNext's own tests expect, then the app's defaults.

	`bench run-tests --app complaint_handling` runs only this app's `before_tests`, so ERPNext's
	(company, fiscal year, defaults) is called from here.
	"""
	from erpnext.setup.utils import before_tests as erpnext_before_tests

	from complaint_handling.setup.install import setup_defaults

	erpnext_before_tests()
	setup_defaults()
	frappe.db.commit()  # nosemgrep: tests need the prepared site to persist between test modules
	if not has_own_queue():
		print(
			f"warning: {frappe.local.site} queues its background jobs where the bench's workers listen: a running "
			"`bench worker` may run them while a test acts (scripts/test gives the test site a queue of its own)"
		)


def has_own_queue() -> bool:
	"""Whether this site's background jobs go to a Redis queue of its own (site_config `redis_queue`, set by
	scripts/test), where no `bench worker` of the bench listens: then only the tests run them."""
	common = frappe.get_common_site_config().get("redis_queue")
	return bool(frappe.conf.redis_queue) and frappe.conf.redis_queue != common


def run_background_jobs(timeout: int = 600, live: bool = False, queue: str | None = None) -> None:
	"""Run what requests left in the site's queues, as the bench's worker would (`bench worker --burst`).

	A request is not a test (`frappe.flags.in_test` is reset by `frappe.init`), so what it enqueues —
	System Notifications among them — waits for a worker; CI runs none. Under CI (the `CI` variable) a
	worker runs its jobs as tests, which send their mail at once; `live` runs them as a live site's worker
	does (mail queued), which is quicker. `queue`: only that queue's jobs (short, default or long).
	"""
	import subprocess
	import sys
	from pathlib import Path

	frappe.db.commit()  # nosemgrep: the worker reads what the test has written
	bench = Path(frappe.utils.get_bench_path())
	subprocess.run(
		[
			*(sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "worker", "--burst", "--quiet"),
			*(("--queue", queue) if queue else ()),
		],
		cwd=bench / "sites",
		check=True,
		timeout=timeout,
		capture_output=True,
		# a worker reads `redis_queue` from common_site_config: point it at this site's queue
		env={
			**{k: v for k, v in os.environ.items() if not (live and k == "CI")},
			"FRAPPE_REDIS_QUEUE": frappe.conf.redis_queue,
		},
	)


def drop_queued_jobs() -> None:
	"""Drop what is still queued for this site — only when the site has a queue of its own (scripts/test),
	so nothing of another site's is lost: the mail and bell notifications of a test's throwaway documents,
	which would otherwise cost the next test that runs the queue its time."""
	from frappe.utils.background_jobs import get_queues

	if has_own_queue():
		for queue in get_queues():
			queue.empty()


class SettingsMixin:
	"""A test changes a Complaint Setting for itself; the value it found is put back after the test."""

	def setting(self, field: str, value) -> None:
		before = frappe.db.get_single_value("Complaint Settings", field)
		frappe.db.set_single_value("Complaint Settings", field, value)
		frappe.db.commit()

		def restore():
			frappe.db.set_single_value("Complaint Settings", field, before)
			frappe.db.commit()

		self.addCleanup(restore)
