"""Tier 1: who may change which field of a complaint (domain/protection.py)."""

from hypothesis import given
from hypothesis import strategies as st

from complaint_handling.domain.protection import (
	AFTER_CLOSING,
	SERVER_OWNED,
	only_appended,
	refusals,
)
from complaint_handling.domain.statuses import CLOSED, REGISTERED

STAFF = {"Complaint Clerk"}


def refused(changed, status, appended=(), portal=False, roles=STAFF):
	return {
		r.field: r.reason
		for r in refusals(changed, status_before=status, roles=roles, portal_user=portal, appended=appended)
	}


def test_server_owned_fields_are_refused_to_every_writer():
	for field in sorted(SERVER_OWNED):
		assert refused([field], REGISTERED) == {field: "server"}


def test_a_closed_complaint_only_gains_escalations():
	assert "escalations" in AFTER_CLOSING
	assert refused(["escalations"], CLOSED, appended={"escalations"}) == {}
	assert refused(["escalations"], CLOSED) == {"escalations": "stage"}  # a row removed or rewritten
	assert refused(["subject"], CLOSED, appended={"escalations"}) == {"subject": "stage"}


def test_an_open_complaint_may_change_its_escalations():
	assert refused(["escalations"], REGISTERED) == {}


rows = st.lists(st.tuples(st.text(max_size=3), st.integers(0, 3)), max_size=5, unique=True)


@given(rows, rows)
def test_only_appended_is_exactly_a_prefix_kept(before, extra):
	extra = [row for row in extra if row not in before]  # new rows are new
	assert only_appended(before, before + extra)
	if before:
		assert not only_appended(before, before[1:] + extra)  # the first row removed
		changed = [(before[0][0] + "x", before[0][1]), *before[1:]]
		assert not only_appended(before, changed + extra)  # a stored row rewritten
	assert only_appended([], extra)


def test_only_appended_refuses_a_shorter_table():
	assert not only_appended([("a", 1), ("b", 2)], [("a", 1)])
	assert not only_appended([("a", 1)], [])
