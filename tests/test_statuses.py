"""Tier 1: the one table of statuses."""

import json
from pathlib import Path

import pytest

from complaint_handling.domain import statuses as st

APP = Path(__file__).resolve().parents[1] / "complaint_handling"


def select_options(doctype_folder: str, field: str) -> list[str]:
	meta = json.loads(
		(APP / "complaint_handling" / "doctype" / doctype_folder / f"{doctype_folder}.json").read_text()
	)
	options = next(f["options"] for f in meta["fields"] if f["fieldname"] == field)
	return [o for o in options.split("\n") if o]


@pytest.mark.parametrize(
	("doctype", "folder"),
	[
		("Customer Complaint", "customer_complaint"),
		("Complaint Memo", "complaint_memo"),
		("Defect Inspection", "defect_inspection"),
	],
)
def test_table_matches_the_status_field(doctype, folder):
	assert list(st.names(doctype)) == select_options(folder, "status")


@pytest.mark.parametrize("workflow", ["customer_complaint", "complaint_memo", "defect_inspection"])
def test_every_workflow_state_sets_a_known_status(workflow):
	data = json.loads((APP / "workflows" / f"{workflow}.json").read_text())
	doctype = data["document_type"]
	for state in data["states"]:
		assert state["update_field"] == "status"
		assert st.status_of(doctype, state["update_value"]), state


def test_only_closed_and_cancelled_are_finished():
	assert st.open_statuses("Customer Complaint") == st.names("Customer Complaint")[:-1]
	assert not st.is_open("Complaint Memo", "Closed")
	assert st.is_open("Complaint Memo", "Draft")
	assert not st.is_open("Customer Complaint", "No Such Status") and not st.is_open(
		"Customer Complaint", None
	)


@pytest.mark.parametrize(
	("status", "kwargs", "party"),
	[
		("Registered", {"confirmed": False}, st.CLERK),
		("Registered", {"confirmed": True}, st.COORDINATOR),
		("In Progress", {}, st.HANDLER),
		("Proposed", {"pending_approver": "General Manager"}, "General Manager"),
		("Proposed", {"pending_approver": None}, st.COORDINATOR),
		("Approved", {}, st.CLERK),
		("Replied", {}, st.COORDINATOR),
		("Disputed", {}, st.MARKETING_DIRECTOR),
		("Closed", {}, None),
		("Unknown", {}, None),
	],
)
def test_next_party_of_a_complaint(status, kwargs, party):
	assert st.next_party("Customer Complaint", status, **kwargs) == party


@pytest.mark.parametrize(
	("status", "party"),
	[
		("Draft", st.COORDINATOR),
		("Dispatched", st.ADDRESSEE),
		("Replied", st.DEPARTMENT_HEAD),
		("Signed", st.MEMO_APPROVER),
		("Approved", st.COORDINATOR),
		("Closed", None),
	],
)
def test_next_party_of_a_memo(status, party):
	assert st.next_party("Complaint Memo", status) == party


def test_every_open_status_names_a_step_and_a_party():
	for table in st.TABLES.values():
		for row in table:
			assert bool(row.is_open) == bool(row.next_party) == bool(row.step), row


def test_an_unconfirmed_complaint_waits_for_the_read_back():
	assert (
		st.next_step("Customer Complaint", "Registered", confirmed=False)
		== "Read the record back to the customer"
	)
	assert st.next_step("Customer Complaint", "Registered") == "Dispatch"


def test_sla_status_options_are_the_domain_statuses():
	from complaint_handling.domain import deadlines
	from complaint_handling.domain import service_levels as sla

	for folder in ("customer_complaint", "complaint_memo"):
		assert tuple(select_options(folder, "sla_status")) == sla.DOCUMENT_STATUSES
	assert tuple(select_options("complaint_sla_clock", "status")) == (
		*sla.DOCUMENT_STATUSES,
		deadlines.MET,
		deadlines.MISSED,
	)


def test_route_timer_options_are_the_routed_clocks():
	from complaint_handling.domain import deadlines

	assert tuple(select_options("complaint_sla_route_timer", "timer")) == deadlines.ROUTED_CLOCKS


def test_list_view_opens_on_the_open_statuses():
	"""The complaint list's default filter names the open statuses of the table, as `in` (index-served)."""
	import re

	js = (
		APP / "complaint_handling" / "doctype" / "customer_complaint" / "customer_complaint_list.js"
	).read_text()
	match = re.search(r'\["status", "in", (\[[^\]]*\])\]', js)
	assert match, "the list's default filter is status in [...]"
	open_ = [s.name for s in st.COMPLAINT_STATUSES if s.is_open]
	assert json.loads(match.group(1)) == open_
