"""Tier 1: the product-quality path after the site visit (domain/quality_path.py)."""

import json
from datetime import date
from pathlib import Path

import pytest

from complaint_handling.domain import quality_path as qp
from complaint_handling.domain import statuses as st
from complaint_handling.domain.costs import (
	COMPANY,
	CUSTOMER,
	EXCHANGE,
	FREIGHT_INBOUND,
	FREIGHT_OUTBOUND,
	LABOUR,
	MISUSE,
	NEEDS_REPAIR,
	PARTS,
	QUALITY_DEFECT,
	REPAIR,
	REPLACEMENT,
	RETURN,
	UNDETERMINED,
	CostPolicy,
	Warranty,
)

APP = Path(__file__).resolve().parents[1] / "complaint_handling"
RM, QA, CLERK, DIRECTOR = "Region Manager", "Quality Manager", "Complaint Clerk", "Marketing Director"


def workflow() -> dict:
	return json.loads((APP / "workflows" / "defect_inspection.json").read_text())


def test_every_state_sets_a_status_of_the_table_and_every_status_has_a_state():
	data = workflow()
	values = [s["update_value"] for s in data["states"]]
	assert sorted(values) == sorted(st.names("Defect Inspection"))
	assert set(qp.WRITABLE) == set(st.names("Defect Inspection"))


def test_transitions_join_known_states_and_roles_of_the_procedure():
	data = workflow()
	states = {s["state"] for s in data["states"]}
	for t in data["transitions"]:
		assert t["state"] in states and t["next_state"] in states, t
	allowed = {(t["state"], t["allowed"]) for t in data["transitions"]}
	assert ("Director Review", DIRECTOR) in allowed  # §7.2
	assert ("Return Decision", RM) in allowed  # first approval
	assert ("QA Review", QA) in allowed
	assert ("Proposal Review", RM) in allowed  # second approval
	assert ("Corrective Action Review", "Management Representative") in allowed
	assert ("General Manager Review", "General Manager") in allowed


def test_the_site_report_is_the_region_managers_and_frozen_once_sent():
	assert qp.inspection_refusals(["findings", "determination"], status_before=None, roles=[RM]) == []
	assert qp.inspection_refusals(["determination"], status_before="Draft", roles=[RM]) == []
	refused = qp.inspection_refusals(["determination"], status_before="Director Review", roles=[RM])
	assert [(r.field, r.reason) for r in refused] == [("determination", "stage")]
	assert qp.inspection_refusals(["findings"], status_before="Draft", roles=[QA])[0].reason == "role"
	assert qp.inspection_refusals(["findings"], status_before="Draft", roles=[CLERK])[0].reason == "role"


def test_qa_writes_its_verdict_only_in_qa_review():
	assert qp.inspection_refusals(["qa_determination"], status_before="QA Review", roles=[QA]) == []
	assert (
		qp.inspection_refusals(["qa_determination"], status_before="QA Review", roles=[RM])[0].reason
		== "role"
	)
	for stage in ("Draft", "Proposal Review", "Closed"):
		found = qp.inspection_refusals(["qa_determination", "remedy"], status_before=stage, roles=[QA])
		assert {r.reason for r in found} == {"stage"}, stage
	assert qp.inspection_refusals(["qa_determination"], status_before=None, roles=[QA])[0].reason == "stage"


def test_server_set_fields_are_not_refused_but_the_complaint_is_fixed_after_creation():
	assert (
		qp.inspection_refusals(["costs", "status", "goods_return"], status_before="Draft", roles=[CLERK])
		== []
	)
	assert qp.inspection_refusals(["complaint"], status_before=None, roles=[RM]) == []
	assert qp.inspection_refusals(["complaint"], status_before="Draft", roles=[RM])[0].reason == "stage"
	assert qp.inspection_refusals(["workflow_state"], status_before="Draft", roles=[CLERK]) == []


def test_freight_is_written_while_goods_move_by_the_site_and_qa_only():
	assert qp.inspection_refusals(["freight"], status_before="Awaiting Goods", roles=[RM]) == []
	assert qp.inspection_refusals(["freight"], status_before="QA Review", roles=[QA]) == []
	assert (
		qp.inspection_refusals(["freight"], status_before="Awaiting Goods", roles=[DIRECTOR])[0].reason
		== "role"
	)
	# each leg when it happens, after the decision too (added with its document: freight_problems)
	for stage in ("Director Review", "Proposal Review", "Closed", "Settled on Site"):
		assert qp.inspection_refusals(["freight"], status_before=stage, roles=[RM]) == [], stage


def test_nothing_is_written_after_the_decision():
	for stage in (
		"Proposal Review",
		"Corrective Action Review",
		"General Manager Review",
		"Closed",
		"Settled on Site",
	):
		assert qp.inspection_refusals(["findings"], status_before=stage, roles=["System Manager"]), stage


FACTS = qp.PathFacts(determination=UNDETERMINED, arrived=True, return_qty=1, has_goods_source=True)


def reasons(target, **changes):
	from dataclasses import replace

	return {(p.field, p.reason) for p in qp.step_problems(target, replace(FACTS, **changes))}


def test_what_each_step_needs():
	assert reasons("Director Review") == set()
	assert reasons("Director Review", determination=MISUSE) == {
		("determination", "not for this determination")
	}
	assert reasons("Director Review", arrived=False) == {("arrived_at", "required")}
	assert reasons("Settled on Site") == {("determination", "not for this determination")}
	assert reasons("Settled on Site", determination=MISUSE) == set()
	assert reasons("Awaiting Goods", return_qty=0, has_goods_source=False) == {
		("return_qty", "required"),
		("item", "required"),
	}
	assert reasons("QA Review") == {("goods_received_on", "not received")}
	assert reasons("QA Review", goods_received=True) == set()
	assert reasons("QA Review", determination=QUALITY_DEFECT) == set()  # kept with the customer


def test_a_proposal_needs_the_verdict_the_cause_and_an_allowed_remedy():
	assert reasons("Proposal Review") == {
		("qa_determination", "required"),
		("root_cause", "required"),
		("customer_proposal", "required"),
	}
	ready = {"qa_determination": QUALITY_DEFECT, "root_cause": "weld", "customer_proposal": "replace"}
	assert reasons("Proposal Review", **ready, remedies=(EXCHANGE, REPAIR), remedy=RETURN) == {
		("remedy", "not allowed")
	}
	assert reasons("Proposal Review", **ready, remedies=(EXCHANGE, REPAIR)) == {("remedy", "required")}
	assert reasons("Proposal Review", **ready, remedies=(EXCHANGE, REPAIR), remedy=EXCHANGE) == set()
	assert reasons("Proposal Review", **ready, remedies=(), remedy=REPAIR) == {("remedy", "not allowed")}
	assert ("qa_determination", "not for this determination") in reasons(
		"Proposal Review", determination=QUALITY_DEFECT, qa_determination=MISUSE
	)
	assert reasons("Corrective Action Review") == {("corrective_action", "required")}
	assert reasons("Corrective Action Review", corrective_action="8D") == set()


IN, OUT = Warranty(True, 20), Warranty(False, 400)


def test_allocation_follows_the_cost_table():
	quality = qp.allocate(QUALITY_DEFECT, Warranty(True, 12))
	assert all(quality.payers[item] == COMPANY for item in (REPLACEMENT, FREIGHT_INBOUND, FREIGHT_OUTBOUND))
	assert quality.decision.remedies == (EXCHANGE, REPAIR)
	repaired = qp.allocate(QUALITY_DEFECT, IN)  # day 20: past the exchange window, repaired under warranty
	assert repaired.decision.remedies == (REPAIR,) and repaired.payers[REPLACEMENT] is None
	pending = qp.allocate(UNDETERMINED, IN)
	assert pending.decision.awaiting_qa and pending.payers[FREIGHT_INBOUND] == COMPANY
	assert pending.payers[REPLACEMENT] is None
	misused = qp.allocate(UNDETERMINED, OUT, qa_determination=MISUSE)
	# returned and misused: repaired at the company, inbound freight still the company's
	assert misused.payers[FREIGHT_INBOUND] == COMPANY and misused.payers[FREIGHT_OUTBOUND] == CUSTOMER
	assert misused.payers[PARTS] == CUSTOMER and misused.payers[LABOUR] == CUSTOMER
	assert misused.decision.labour_rate == 500.0
	assert qp.allocate(MISUSE, IN, misuse_handling=NEEDS_REPAIR).payers[LABOUR] == COMPANY


def test_negligence_band_of_the_freight_incurred_and_the_policy():
	legs = [(FREIGHT_INBOUND, 120), (FREIGHT_OUTBOUND, 80)]
	found = qp.allocate(
		UNDETERMINED, IN, qa_determination=QUALITY_DEFECT, could_have_determined=True, freight_legs=legs
	)
	assert found.negligence == (60.0, 120.0)
	policy = CostPolicy(negligence_share=(0.5, 0.5))
	assert qp.allocate(
		UNDETERMINED,
		IN,
		qa_determination=QUALITY_DEFECT,
		could_have_determined=True,
		freight_legs=legs,
		policy=policy,
	).negligence == (100.0, 100.0)
	assert qp.allocate(UNDETERMINED, IN, could_have_determined=True, freight_legs=legs).negligence is None


def test_freight_payer_defaults_to_the_company_until_the_rules_decide():
	assert qp.freight_payer(FREIGHT_OUTBOUND, None) == COMPANY
	repair = qp.allocate(MISUSE, OUT, misuse_handling=NEEDS_REPAIR)
	assert qp.freight_payer(FREIGHT_INBOUND, repair) == CUSTOMER


@pytest.mark.parametrize(
	("terms", "today", "covered", "expiry"),
	[
		# the serial's own expiry wins, its last day covered
		(
			qp.WarrantyTerms(date(2026, 1, 1), serial_expiry=date(2026, 6, 30), item_days=999),
			date(2026, 6, 30),
			True,
			date(2026, 6, 30),
		),
		(
			qp.WarrantyTerms(date(2026, 1, 1), serial_expiry=date(2026, 6, 30)),
			date(2026, 7, 1),
			False,
			date(2026, 6, 30),
		),
		# the item's period in days, as ERPNext counts it
		(qp.WarrantyTerms(date(2026, 1, 1), item_days=365), date(2027, 1, 1), True, date(2027, 1, 1)),
		(qp.WarrantyTerms(date(2026, 1, 1), item_days=365), date(2027, 1, 2), False, date(2027, 1, 1)),
		# the settings' months from the delivery
		(qp.WarrantyTerms(date(2026, 1, 31), default_months=12), date(2027, 1, 30), True, date(2027, 1, 30)),
		(qp.WarrantyTerms(date(2026, 1, 31), default_months=12), date(2027, 1, 31), False, date(2027, 1, 30)),
		# nothing states a warranty: out of it
		(qp.WarrantyTerms(None), date(2026, 5, 1), False, None),
	],
)
def test_warranty_sources(terms, today, covered, expiry):
	warranty, until = qp.warranty_of(today, terms)
	assert (warranty.in_warranty, until) == (covered, expiry)


def test_distance_limit_ends_the_warranty_whichever_first():
	terms = qp.WarrantyTerms(date(2026, 1, 1), default_months=24, distance=49_999, distance_limit=50_000)
	assert qp.warranty_of(date(2026, 6, 1), terms)[0].in_warranty
	over = qp.WarrantyTerms(date(2026, 1, 1), default_months=24, distance=50_000, distance_limit=50_000)
	assert not qp.warranty_of(date(2026, 6, 1), over)[0].in_warranty
	unrecorded = qp.WarrantyTerms(date(2026, 1, 1), default_months=24, distance_limit=50_000)
	assert qp.warranty_of(date(2026, 6, 1), unrecorded)[0].in_warranty


def test_day_of_ownership_counts_the_delivery_day_as_one():
	assert qp.warranty_of(date(2026, 1, 7), qp.WarrantyTerms(date(2026, 1, 1), default_months=12))[0].day == 7
	assert (
		qp.warranty_of(date(2026, 1, 1), qp.WarrantyTerms(date(2026, 2, 1), default_months=12))[0].day is None
	)


def test_a_batch_crosses_the_promised_rate_only_when_its_defects_exceed_it():
	delivered = {"B1": 2000, "B2": 1000, "B3": 0}
	found = qp.batches_over({"B1": 2, "B2": 2, "B3": 5, "B4": 1}, delivered, 1.0)
	# B1: exactly 1 per mille is the promise kept; B3 and B4 have no delivery on record
	assert [(b.batch, b.defects, b.per_mille) for b in found] == [("B2", 2, 2.0)]
	assert qp.batches_over({"B1": 3}, delivered, 1.0)[0].per_mille == 1.5
	assert qp.batches_over({"B2": 2}, delivered, 5.0) == []  # the administrator's promise, not a constant
	worst = qp.batches_over({"B1": 3, "B2": 2}, delivered, 1.0)
	assert [b.batch for b in worst] == ["B2", "B1"]


def test_a_negative_promise_is_refused():
	with pytest.raises(ValueError):
		qp.batches_over({}, {}, -1)
