"""Tier 2: the code moved into packages by business area (0.8) and a live site keeps working.

Frappe keeps dotted paths of the app in places a code update does not rewrite at once: hooks cached in
Redis until the cache is cleared, Scheduled Job Types until the next migrate, jobs already queued, number
cards in the database, the desk's and portal's JavaScript in browsers still open, REST clients.
`moved_paths.json` lists every such path of release 0.7; each still answers, to the same function, until
0.9 — and what the site stores after a migrate names only the new paths.
"""

import json
import os

import frappe
from frappe.tests.test_api import make_request
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_test_client

from complaint_handling.setup import demo
from complaint_handling.tests.test_desk_buttons import HttpUser

MOVED = os.path.join(os.path.dirname(__file__), "moved_paths.json")


def moved_paths() -> dict[str, str]:
	with open(MOVED, encoding="utf-8") as f:
		return json.load(f)["paths"]


def current_target(path: str):
	"""The function an old path answers with, and the module it now lives in."""
	fn = frappe.get_attr(path)
	return fn, getattr(fn, "__module__", "")


class TestMovedPaths(FrappeTestCase):
	def test_every_stored_path_of_the_previous_release_answers(self):
		self.assertGreater(len(moved_paths()), 40)
		for path, why in moved_paths().items():
			with self.subTest(path=path):
				fn, module = current_target(path)
				self.assertTrue(callable(fn), path)
				self.assertNotEqual(
					module, path.rsplit(".", 1)[0], f"{path} was not moved: drop it from the list"
				)
				if why == "whitelisted":
					frappe.is_whitelisted(fn)  # raises PermissionError when it is not

	def test_the_old_dotted_paths_answer_over_http_as_before(self):
		"""A browser tab opened before the update calls the old path: same answer, same refusals."""
		demo.make(size=1)
		clerk = HttpUser("clerk@demo.example.com")
		old = clerk.get("/api/method/complaint_handling.knowledge_base.suggest_articles", subject="noise")
		new = clerk.get(
			"/api/method/complaint_handling.customer.knowledge_base.suggest_articles", subject="noise"
		)
		self.assertEqual(old.status_code, 200, old.get_data(as_text=True)[:300])
		self.assertEqual(old.json, new.json)
		# a refusal stays a refusal under the old name (the number card's method, for a user without the report)
		guest = get_test_client()
		old, new = (
			make_request(target=guest.get, args=(f"/api/method/complaint_handling.{path}.cost_this_month",))
			for path in ("analytics", "records.reporting")
		)
		self.assertIn(old.status_code, (401, 403))
		self.assertEqual(old.status_code, new.status_code)

	def test_after_migrate_the_site_stores_only_new_paths(self):
		"""What migrate syncs from hooks and JSON (scheduled jobs, number cards) names the new places."""
		old_modules = {path.rsplit(".", 1)[0] for path in moved_paths()}
		stored = frappe.get_all(
			"Scheduled Job Type", pluck="method", filters={"method": ("like", "complaint_handling.%")}
		)
		stored += frappe.get_all(
			"Number Card", pluck="method", filters={"method": ("like", "complaint_handling.%")}
		)
		self.assertTrue(stored)
		for method in stored:
			with self.subTest(method=method):
				self.assertNotIn(method.rsplit(".", 1)[0], old_modules)
				frappe.get_attr(method)
