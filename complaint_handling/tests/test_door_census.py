"""Tier 2, the door census (issue 20): every whitelisted method of frappe, erpnext and this app that takes a
DocType, a name or filters — found in their source, not listed by hand — and every REST and
`run_doc_method` route, tried against a document of every DocType of a complaint's file (parents and child
tables) as each user who must not pass: the person the complaint is about, another region's manager, another
customer's portal user and a guest. Each probe must be refused, or answer about the hidden document exactly
as about a document that does not exist, carry none of its words, and change nothing.

`door_census.json` classifies each method found; a method it does not list fails the census, so an upgrade
of Frappe or ERPNext that adds a door is noticed.
"""

import ast
import json
import os
import time
from unittest.mock import patch

import frappe
from frappe.tests.test_api import make_request
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_test_client
from frappe.utils.password import update_password

from complaint_handling.access import records
from complaint_handling.setup import demo
from complaint_handling.tests import door_census as census
from complaint_handling.tests.factories import (
	demo_delivery,
	make_complaint,
	make_portal_user,
	remove_complaint,
)
from complaint_handling.tests.test_desk_buttons import HttpUser

CLASSIFIED = os.path.join(os.path.dirname(__file__), "door_census.json")
EAST = demo.TERRITORIES[0].manager_email
SOUTH = demo.TERRITORIES[1].manager_email
MISSING = "NO-SUCH-DOC-0000042"
VARIES = "probe: answers vary per call"  # a new record of its own each time: no answer to compare


def classification() -> dict[str, str]:
	with open(CLASSIFIED, encoding="utf-8") as f:
		return json.load(f)


class Guest:
	def __init__(self):
		self.client = get_test_client()


class TestDoorCensus(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		delivery = demo_delivery(0)  # East Region
		other = demo_delivery(1)
		cls.secret = f"CENSUS{frappe.generate_hash(length=8).upper()}"
		employee = frappe.db.get_value("Employee", {"user_id": EAST}, "name")
		cls.complaint = make_complaint(
			customer=delivery.customer,
			category="Staff Conduct",
			subject=f"{cls.secret} conduct of the east manager",
			description=f"{cls.secret} shouted at the customer",
			complained_employee=employee,
		)
		cls.targets = cls.make_targets(cls.complaint.name)
		cls.server_errors = set()
		cls.watch_writes = True
		portal = make_portal_user("census.other@customers.example.com", other.customer)
		update_password(portal, demo.DEMO_PASSWORD)
		frappe.db.commit()
		cls.attackers = {
			"accused": HttpUser(EAST),
			"other region": HttpUser(SOUTH),
			"other customer": HttpUser(portal),
			"guest": Guest(),
		}
		assert cls.complaint.complained_user == EAST, cls.complaint.complained_user

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		for doctype, name in cls.targets.items():
			if doctype in records.PARENTS and doctype != records.COMPLAINT:
				frappe.db.delete(doctype, name)
		remove_complaint(cls.complaint.name)
		frappe.db.commit()
		super().tearDownClass()

	@classmethod
	def make_targets(cls, complaint: str) -> dict[str, str]:
		"""One document of each DocType of the complaint's file, written straight to the database (what
		matters here is who may reach it, not how the procedure makes it)."""
		targets = {records.COMPLAINT: complaint}
		for doctype, field in records.BELONGING.items():
			doc = frappe.new_doc(doctype)
			doc.set(field, complaint)
			doc.name = f"CENSUS-{frappe.scrub(doctype)}-{frappe.generate_hash(length=6)}"
			if doc.meta.has_field("subject"):
				doc.subject = cls.secret
			doc.db_insert()
			targets[doctype] = doc.name
		breach = frappe.new_doc(records.SLA_BREACH)
		breach.update({"reference_doctype": records.COMPLAINT, "reference_name": complaint})
		breach.name = f"CENSUS-breach-{frappe.generate_hash(length=6)}"
		breach.db_insert()
		targets[records.SLA_BREACH] = breach.name
		for child, parent in records.child_tables().items():
			parentfield = next(
				df.fieldname for df in frappe.get_meta(parent).get_table_fields() if df.options == child
			)
			row = frappe.new_doc(
				child, parent_doc=frappe._dict(doctype=parent, name=targets[parent]), parentfield=parentfield
			)
			row.update(
				{"parent": targets[parent], "parenttype": parent, "parentfield": parentfield, "idx": 1}
			)
			row.name = f"CENSUS-row-{frappe.generate_hash(length=8)}"
			row.db_insert()
			targets[child] = row.name
		return targets

	# the probe --------------------------------------------------------------------------------------

	def send(self, attacker, method: str, path: str, data: dict | None = None, as_json: bool = False):
		kwargs = (
			{"json": data} if as_json else ({"data": data} if method != "GET" else {"query_string": data})
		)
		target = getattr(attacker.client, method.lower())
		return make_request(target=target, args=(path,), kwargs=kwargs)

	def fingerprints(self, doctype: str, name: str) -> tuple[str, ...]:
		frappe.db.rollback()  # a fresh snapshot: each request commits in its own connection
		if doctype == records.COMPLAINT:
			return (census.fingerprint(doctype, name),)
		return census.fingerprint(doctype, name), census.fingerprint(records.COMPLAINT, self.complaint.name)

	def judge(
		self, label: str, doctype: str, user: str, call, strict_5xx: bool = True, vary: bool = False
	) -> list[str]:
		"""Run `call(name)` about the hidden document and, when it is answered, about a missing one. A 5xx is
		a problem of the app's own doors (`strict_5xx`); Frappe's and ERPNext's own 500s on the census's
		made-up arguments are listed apart. An answer that varies per call (`vary`) is only read for words."""
		name = self.targets[doctype]
		before = self.fingerprints(doctype, name) if self.watch_writes else None
		response = call(name)
		problems = []
		if self.watch_writes and self.fingerprints(doctype, name) != before:
			problems.append("changed the hidden document or Frappe's records about it")
		status, body = response.status_code, response.get_data().decode("utf-8", "replace")
		if status >= 500:
			if strict_5xx:
				problems.append(f"HTTP {status}")
			else:
				self.server_errors.add(label)
		elif status < 400 and self.secret in body:
			problems.append("answered with the hidden document's words")
		elif status < 400 and not vary:

			def differs(body: str) -> bool:
				missing = call(MISSING)
				return census.refused(missing.status_code) or census.masked(body, name) != census.masked(
					missing.get_data().decode("utf-8", "replace"), MISSING
				)

			# asked once more when they differ: a first call may build a cache the second reads (seen once, right
			# after a migrate: getdoctype of four DocTypes, not again on the rerun); a leak differs every time
			if differs(body) and differs(call(name).get_data().decode("utf-8", "replace")):
				problems.append("answered differently about the hidden document than about none")
		return [f"{label} on {doctype} as {user}: {p} ({status}: {body[:160]})" for p in problems]

	def probe_method(self, door: census.Door, doctype: str, user: str, verdict: str = "probe") -> list[str]:
		attacker = self.attackers[user]
		http = "POST" if "POST" in door.http_methods else door.http_methods[0]

		def call(name):
			return self.send(
				attacker, http, f"/api/method/{door.method}", census.arguments_for(door, doctype, name)
			)

		strict = door.method.startswith("complaint_handling.") or door.method in frappe.get_hooks(
			"override_whitelisted_methods"
		)
		return self.judge(door.method, doctype, user, call, strict_5xx=strict, vary=verdict == VARIES)

	def users_for(self, door: census.Door) -> list[str]:
		return [u for u in self.attackers if u != "guest" or door.allow_guest]

	def doctypes_for(self, door: census.Door) -> list[str]:
		if door.named_doctype:
			return [door.named_doctype]
		return list(self.targets) if door.takes_doctype else [records.COMPLAINT]

	# the census -------------------------------------------------------------------------------------

	def test_every_door_is_classified(self):
		found = {door.method for door in census.whitelisted_doors()}
		classified = classification()
		self.assertFalse(sorted(found - set(classified)), "doors the census has not classified")
		self.assertFalse(sorted(set(classified) - found), "classified doors that no longer exist")
		for method, verdict in classified.items():
			self.assertTrue(verdict in ("probe", VARIES) or verdict.startswith("skip: "), (method, verdict))

	def test_no_whitelisted_method_opens_a_hidden_complaint(self):
		classified = classification()
		problems, probes, started = [], 0, time.monotonic()
		for door in census.whitelisted_doors():
			verdict = classified.get(door.method, "")
			if verdict.startswith("skip: "):
				continue
			for doctype in self.doctypes_for(door):
				# one look at the database around the users' probes of a door and DocType; on a change,
				# each user's probe is run again on its own to name who changed it
				before = self.fingerprints(doctype, self.targets[doctype])
				self.watch_writes = False
				found = [
					p
					for user in self.users_for(door)
					for p in self.probe_method(door, doctype, user, verdict)
				]
				self.watch_writes = True
				if self.fingerprints(doctype, self.targets[doctype]) != before:
					found = [
						p
						for user in self.users_for(door)
						for p in self.probe_method(door, doctype, user, verdict)
					]
					found = found or [
						f"{door.method} on {doctype}: changed the hidden document or its records"
					]
				problems += found
				probes += len(self.users_for(door))
		print(f"door census: {probes} method probes in {time.monotonic() - started:.0f} s")
		print(
			f"door census: {len(self.server_errors)} methods of frappe/erpnext answer 500 to the census's made-up "
			"arguments (their own input handling; nothing leaked or changed): "
			+ ", ".join(sorted(self.server_errors))
		)
		self.assertFalse(problems, "\n".join(problems))

	def test_no_rest_route_opens_a_hidden_complaint(self):
		problems, probes = [], 0
		for doctype in self.targets:
			for user in self.attackers:
				attacker = self.attackers[user]
				routes = {
					"GET /api/resource/<doc>": lambda n, d=doctype, a=attacker: self.send(
						a, "GET", f"/api/resource/{d}/{n}"
					),
					"PUT /api/resource/<doc>": lambda n, d=doctype, a=attacker: self.send(
						a, "PUT", f"/api/resource/{d}/{n}", {"idx": 7}, as_json=True
					),
					"DELETE /api/resource/<doc>": lambda n, d=doctype, a=attacker: self.send(
						a, "DELETE", f"/api/resource/{d}/{n}"
					),
					"POST /api/resource/<doc> (method)": lambda n, d=doctype, a=attacker: self.send(
						a, "POST", f"/api/resource/{d}/{n}", {"run_method": "get_title"}
					),
					"GET /api/resource/<list>": lambda n, d=doctype, a=attacker: self.send(
						a,
						"GET",
						f"/api/resource/{d}",
						{
							"filters": json.dumps({"name": n}),
							"fields": json.dumps(["*"]),
							"parent": records.child_tables().get(d, ""),
						},
					),
					"GET /api/v2/document/<doc>": lambda n, d=doctype, a=attacker: self.send(
						a, "GET", f"/api/v2/document/{d}/{n}"
					),
					"GET /api/v2/document/<doc>/copy": lambda n, d=doctype, a=attacker: self.send(
						a, "GET", f"/api/v2/document/{d}/{n}/copy"
					),
					"PATCH /api/v2/document/<doc>": lambda n, d=doctype, a=attacker: self.send(
						a, "PATCH", f"/api/v2/document/{d}/{n}", {"idx": 7}, as_json=True
					),
					"DELETE /api/v2/document/<doc>": lambda n, d=doctype, a=attacker: self.send(
						a, "DELETE", f"/api/v2/document/{d}/{n}"
					),
					"GET /api/v2/doctype/<count>": lambda n, d=doctype, a=attacker: self.send(
						a, "GET", f"/api/v2/doctype/{d}/count", {"filters": json.dumps({"name": n})}
					),
				}
				for label, call in routes.items():
					problems += self.judge(label, doctype, user, call)
					probes += 1
		print(f"door census: {probes} REST probes")
		self.assertFalse(problems, "\n".join(problems))

	def test_no_document_method_opens_a_hidden_complaint(self):
		problems, probes = [], 0
		for doctype in records.PARENTS:
			for method in controller_methods(doctype):
				for user in self.attackers:
					attacker = self.attackers[user]

					def call(name, d=doctype, m=method, a=attacker):
						return self.send(
							a,
							"POST",
							"/api/method/run_doc_method",
							{"docs": json.dumps({"doctype": d, "name": name}), "method": m, "args": "{}"},
						)

					problems += self.judge(f"run_doc_method {method}", doctype, user, call)
					probes += 1
		print(f"door census: {probes} run_doc_method probes")
		self.assertFalse(problems, "\n".join(problems))

	def test_the_census_catches_a_door_reopened(self):
		"""With the app's override of `frappe.client.get_count` taken out of the hooks, the census finds the
		count that gives the hidden complaint away."""
		door = next(d for d in census.whitelisted_doors() if d.method == "frappe.client.get_count")
		self.assertEqual(self.probe_method(door, records.COMPLAINT, "accused"), [])
		real_get_hooks = frappe.get_hooks

		def without_override(hook=None, default=None, app_name=None):
			value = real_get_hooks(hook, default, app_name)
			if hook == "override_whitelisted_methods":
				value = {k: v for k, v in value.items() if k != "frappe.client.get_count"}
			return value

		with patch.object(frappe, "get_hooks", without_override):
			found = self.probe_method(door, records.COMPLAINT, "accused")
		self.assertTrue(any("differently" in p for p in found), found)


def controller_methods(doctype: str) -> list[str]:
	"""The whitelisted methods of a DocType's controller class, read from its source."""
	module = frappe.get_meta(doctype).module
	path = frappe.get_module_path(module, "doctype", frappe.scrub(doctype), f"{frappe.scrub(doctype)}.py")
	tree = ast.parse(open(path, encoding="utf-8").read())
	return [
		node.name
		for cls in tree.body
		if isinstance(cls, ast.ClassDef)
		for node in cls.body
		if isinstance(node, ast.FunctionDef)
		and any("whitelist" in ast.unparse(d) for d in node.decorator_list)
	]
