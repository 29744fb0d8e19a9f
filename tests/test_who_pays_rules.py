"""Tier 1: who pays, exactly as promised (issue 22) — every row of the cost table under both readings of an
obvious quality defect after the warranty, every boundary day counted from the delivery or the acceptance,
the negligence base, freight legs recorded after the decision, parts at no more than the contract price and
low-satisfaction strikes per contracted party."""

from datetime import date, timedelta

import pytest

from complaint_handling.domain import quality_path as qp
from complaint_handling.domain.costs import (
	AT_COST,
	COMPANY,
	CONTRACT_PRICE,
	COST_ITEMS,
	CUSTOMER,
	EXCHANGE,
	FIXED_ON_SITE,
	FREE_REPLACEMENT_ALWAYS,
	FREIGHT_INBOUND,
	FREIGHT_OUTBOUND,
	LABOUR,
	MISUSE,
	NEEDS_REPAIR,
	PART_SWAP,
	PARTS,
	QUALITY_DEFECT,
	REPAIR,
	REPLACEMENT,
	RETURN,
	SERVICE_COMMITMENTS,
	UNDETERMINED,
	CostFacts,
	CostPolicy,
	CostRuleError,
	PartPrice,
	Warranty,
	above_contract,
	decide,
	part_price,
)
from complaint_handling.domain.strikes import StrikePolicy, StrikeRuleError, strikes_on, termination_due

SERVICE = CostPolicy()  # the installed default
ALWAYS = CostPolicy(quality_defect_reading=FREE_REPLACEMENT_ALWAYS)
ALL_COMPANY = dict.fromkeys(COST_ITEMS, COMPANY)
REPAIRED_FREE = {item: COMPANY for item in COST_ITEMS if item != REPLACEMENT}
PAID_SERVICE = {LABOUR: CUSTOMER, PARTS: CUSTOMER, FREIGHT_INBOUND: CUSTOMER, FREIGHT_OUTBOUND: CUSTOMER}


def paid(decision) -> dict[str, str]:
	return {item: payer for item, payer in decision.payers.items() if payer}


def test_the_default_reading_is_the_service_commitments():
	assert SERVICE.quality_defect_reading == SERVICE_COMMITMENTS
	with pytest.raises(CostRuleError):
		CostPolicy(quality_defect_reading="Whatever the region manager says")


# --- the cost table, row by row, under both readings ------------------------------------------------------

# (determination on site, QA, misuse handling, warranty, policy) -> (payers, remedies, labour rate, parts basis)
ROWS = [
	# obvious quality defect: the three guarantees, then repair under warranty
	(QUALITY_DEFECT, None, None, Warranty(True, 1), SERVICE, ALL_COMPANY, (RETURN, EXCHANGE, REPAIR), None, None),
	(QUALITY_DEFECT, None, None, Warranty(True, 7), SERVICE, ALL_COMPANY, (RETURN, EXCHANGE, REPAIR), None, None),
	(QUALITY_DEFECT, None, None, Warranty(True, 8), SERVICE, ALL_COMPANY, (EXCHANGE, REPAIR), None, None),
	(QUALITY_DEFECT, None, None, Warranty(True, 15), SERVICE, ALL_COMPANY, (EXCHANGE, REPAIR), None, None),
	(QUALITY_DEFECT, None, None, Warranty(True, 16), SERVICE, REPAIRED_FREE, (REPAIR,), None, None),
	(QUALITY_DEFECT, None, None, Warranty(True, None), SERVICE, REPAIRED_FREE, (REPAIR,), None, None),
	# ... after the warranty: paid service (engineer per person-day, parts at most the contract price)
	(QUALITY_DEFECT, None, None, Warranty(False, 400), SERVICE, PAID_SERVICE, (REPAIR,), 500.0, CONTRACT_PRICE),
	(QUALITY_DEFECT, None, None, Warranty(False, None), SERVICE, PAID_SERVICE, (REPAIR,), 500.0, CONTRACT_PRICE),
	# ... the three guarantees hold even when an explicit warranty ended sooner
	(QUALITY_DEFECT, None, None, Warranty(False, 10), SERVICE, ALL_COMPANY, (EXCHANGE, REPAIR), None, None),
	# the procedure's reading: unconditional free replacement on any day, in or out of warranty
	(QUALITY_DEFECT, None, None, Warranty(True, 5), ALWAYS, ALL_COMPANY, (RETURN, EXCHANGE, REPAIR), None, None),
	(QUALITY_DEFECT, None, None, Warranty(True, 16), ALWAYS, ALL_COMPANY, (EXCHANGE, REPAIR), None, None),
	(QUALITY_DEFECT, None, None, Warranty(False, 400), ALWAYS, ALL_COMPANY, (EXCHANGE, REPAIR), None, None),
	(QUALITY_DEFECT, None, None, Warranty(False, None), ALWAYS, ALL_COMPANY, (EXCHANGE, REPAIR), None, None),
	# obvious misuse (the same under both readings)
	(MISUSE, None, FIXED_ON_SITE, Warranty(True, 30), SERVICE, {LABOUR: COMPANY}, (), None, None),
	(MISUSE, None, FIXED_ON_SITE, Warranty(False, 400), SERVICE, {LABOUR: CUSTOMER}, (), 500.0, None),
	(MISUSE, None, PART_SWAP, Warranty(True, 30), ALWAYS, {LABOUR: COMPANY, PARTS: CUSTOMER}, (), None, AT_COST),
	(MISUSE, None, PART_SWAP, Warranty(False, 400), ALWAYS, {LABOUR: CUSTOMER, PARTS: CUSTOMER}, (), 500.0, CONTRACT_PRICE),
	(MISUSE, None, NEEDS_REPAIR, Warranty(True, 30), SERVICE, {**PAID_SERVICE, LABOUR: COMPANY}, (REPAIR,), None, AT_COST),
	(MISUSE, None, NEEDS_REPAIR, Warranty(False, 400), SERVICE, PAID_SERVICE, (REPAIR,), 500.0, CONTRACT_PRICE),
	# cannot be determined: QA decides, inbound freight is always the company's
	(UNDETERMINED, None, None, Warranty(True, 30), SERVICE, {FREIGHT_INBOUND: COMPANY}, (), None, None),
	(UNDETERMINED, QUALITY_DEFECT, None, Warranty(True, 3), SERVICE, ALL_COMPANY, (RETURN, EXCHANGE, REPAIR), None, None),
	(UNDETERMINED, QUALITY_DEFECT, None, Warranty(True, 30), SERVICE, REPAIRED_FREE, (REPAIR,), None, None),
	(UNDETERMINED, QUALITY_DEFECT, None, Warranty(False, 400), SERVICE, {**PAID_SERVICE, FREIGHT_INBOUND: COMPANY}, (REPAIR,), 500.0, CONTRACT_PRICE),
	(UNDETERMINED, QUALITY_DEFECT, None, Warranty(False, 400), ALWAYS, ALL_COMPANY, (EXCHANGE, REPAIR), None, None),
	(UNDETERMINED, MISUSE, NEEDS_REPAIR, Warranty(True, 30), SERVICE, {**PAID_SERVICE, LABOUR: COMPANY, FREIGHT_INBOUND: COMPANY}, (REPAIR,), None, AT_COST),
	(UNDETERMINED, MISUSE, NEEDS_REPAIR, Warranty(False, 400), ALWAYS, {**PAID_SERVICE, FREIGHT_INBOUND: COMPANY}, (REPAIR,), 500.0, CONTRACT_PRICE),
]  # fmt: skip


@pytest.mark.parametrize(
	("on_site", "qa", "handling", "warranty", "policy", "payers", "remedies", "rate", "basis"), ROWS
)
def test_cost_table(on_site, qa, handling, warranty, policy, payers, remedies, rate, basis):
	decision = decide(CostFacts(on_site, warranty, qa=qa, misuse_handling=handling), policy)
	assert paid(decision) == payers
	assert decision.remedies == remedies
	assert (decision.labour_rate, decision.parts_basis) == (rate, basis)


def test_the_engineer_rate_is_the_settings():
	policy = CostPolicy(engineer_day_rate=650)
	assert decide(CostFacts(QUALITY_DEFECT, Warranty(False, 400)), policy).labour_rate == 650


# --- which day is day 1 ---------------------------------------------------------------------------------

DELIVERED = date(2026, 3, 2)
ACCEPTED = date(2026, 3, 12)  # installed and accepted ten days after the delivery


def day_of(today: date, **terms) -> int | None:
	return qp.warranty_of(today, qp.WarrantyTerms(DELIVERED, default_months=12, **terms))[0].day


def remedies_on(today: date, policy: CostPolicy = SERVICE, **terms) -> tuple[str, ...]:
	warranty, _until = qp.warranty_of(today, qp.WarrantyTerms(DELIVERED, default_months=12, **terms))
	return decide(CostFacts(QUALITY_DEFECT, warranty), policy).remedies


@pytest.mark.parametrize(
	("day", "remedies"),
	[(7, (RETURN, EXCHANGE, REPAIR)), (8, (EXCHANGE, REPAIR)), (15, (EXCHANGE, REPAIR)), (16, (REPAIR,))],
)
def test_boundary_days_from_the_delivery_without_an_acceptance(day, remedies):
	today = DELIVERED + timedelta(days=day - 1)
	assert day_of(today) == day
	assert remedies_on(today) == remedies
	# an acceptance is ignored when the setting counts from the delivery
	assert remedies_on(today, accepted_on=ACCEPTED, day_one=qp.DAY_ONE_DELIVERY) == remedies


@pytest.mark.parametrize(
	("day", "remedies"),
	[(7, (RETURN, EXCHANGE, REPAIR)), (8, (EXCHANGE, REPAIR)), (15, (EXCHANGE, REPAIR)), (16, (REPAIR,))],
)
def test_boundary_days_from_the_acceptance(day, remedies):
	today = ACCEPTED + timedelta(days=day - 1)
	assert day_of(today, accepted_on=ACCEPTED) == day
	assert remedies_on(today, accepted_on=ACCEPTED) == remedies


def test_the_default_counts_from_the_acceptance_and_ignores_one_that_makes_no_sense():
	assert qp.WarrantyTerms().day_one == qp.DAY_ONE_ACCEPTANCE
	assert qp.first_day(qp.WarrantyTerms(DELIVERED, accepted_on=ACCEPTED)) == ACCEPTED
	# before the delivery: a typing error, the delivery counts
	assert qp.first_day(qp.WarrantyTerms(DELIVERED, accepted_on=DELIVERED - timedelta(days=1))) == DELIVERED
	# accepted after the complaint: not accepted when complained about, the delivery counts
	assert day_of(date(2026, 3, 5), accepted_on=ACCEPTED) == 4
	with pytest.raises(ValueError):
		qp.first_day(qp.WarrantyTerms(DELIVERED, day_one="Whenever"))


@pytest.mark.parametrize(
	("terms", "last_day"),
	[
		# 12 months from the delivery: 2 March 2026 .. 1 March 2027
		({}, date(2027, 3, 1)),
		({"accepted_on": ACCEPTED, "day_one": qp.DAY_ONE_DELIVERY}, date(2027, 3, 1)),
		# from the acceptance: 12 March 2026 .. 11 March 2027
		({"accepted_on": ACCEPTED}, date(2027, 3, 11)),
	],
)
def test_warranty_expiry_day_and_the_day_after(terms, last_day):
	warranty_terms = qp.WarrantyTerms(DELIVERED, default_months=12, **terms)
	on_last, until = qp.warranty_of(last_day, warranty_terms)
	after, _ = qp.warranty_of(last_day + timedelta(days=1), warranty_terms)
	assert until == last_day and on_last.in_warranty and not after.in_warranty
	# the day after the warranty a quality defect is paid service (service commitments) or still free
	after_decision = decide(CostFacts(QUALITY_DEFECT, after))
	assert paid(after_decision) == PAID_SERVICE
	assert paid(decide(CostFacts(QUALITY_DEFECT, on_last))) == REPAIRED_FREE
	assert paid(decide(CostFacts(QUALITY_DEFECT, after), ALWAYS)) == ALL_COMPANY


def test_a_serials_expiry_and_the_items_period_move_with_the_acceptance():
	serial = qp.WarrantyTerms(DELIVERED, serial_expiry=date(2027, 3, 2), accepted_on=ACCEPTED)
	assert qp.warranty_expiry(serial) == date(2027, 3, 12)
	assert qp.warranty_expiry(qp.WarrantyTerms(DELIVERED, serial_expiry=date(2027, 3, 2))) == date(2027, 3, 2)
	item = qp.WarrantyTerms(DELIVERED, item_days=365, accepted_on=ACCEPTED)
	assert qp.warranty_expiry(item) == ACCEPTED + timedelta(days=365)
	only_accepted = qp.WarrantyTerms(None, default_months=12, accepted_on=ACCEPTED)
	assert qp.warranty_of(ACCEPTED, only_accepted)[0] == Warranty(True, 1)


# --- the region manager's negligence: a share of what the company spent ----------------------------------


def negligence(qa: str, legs, handling=None):
	return qp.allocate(
		UNDETERMINED,
		Warranty(True, 30),
		qa_determination=qa,
		misuse_handling=handling,
		could_have_determined=True,
		freight_legs=legs,
	).negligence


def test_negligence_base_inbound_only():
	assert negligence(QUALITY_DEFECT, [(FREIGHT_INBOUND, 100)]) == (30.0, 60.0)


def test_negligence_base_both_legs_the_company_paid():
	assert negligence(QUALITY_DEFECT, [(FREIGHT_INBOUND, 100), (FREIGHT_OUTBOUND, 100)]) == (60.0, 120.0)


def test_negligence_base_leaves_out_a_leg_the_customer_pays():
	# misuse found by QA: the way back is the customer's, never part of what the company spent
	legs = [(FREIGHT_INBOUND, 100), (FREIGHT_OUTBOUND, 100)]
	assert negligence(MISUSE, legs) == (30.0, 60.0)
	payers = {FREIGHT_INBOUND: COMPANY, FREIGHT_OUTBOUND: CUSTOMER}
	assert qp.negligence_base([*legs, (FREIGHT_INBOUND, 20.5)], payers) == 120.5
	assert qp.negligence_base([], payers) == 0


# --- freight legs recorded when they happen ------------------------------------------------------------


def leg(key, amount=60.0, document=("Delivery Note", "MAT-DN-1"), which=FREIGHT_OUTBOUND):
	return qp.FreightLeg(
		key, which, amount, "SF", "T1", document[0] if document else None, document and document[1]
	)


def test_before_the_decision_legs_are_entered_and_corrected_freely():
	assert qp.freight_problems([leg("a")], [leg("a", 80, None)], status_before="QA Review") == []
	assert qp.freight_problems([leg("a")], [], status_before="Awaiting Goods") == []


def test_after_the_decision_a_leg_is_added_with_its_document_and_recorded_legs_stay():
	inbound = leg("a", 80, which=FREIGHT_INBOUND)
	for stage in ("Proposal Review", "Corrective Action Review", "Closed", "Settled on Site"):
		assert qp.freight_problems([inbound], [inbound, leg(None)], status_before=stage) == [], stage
	found = qp.freight_problems([inbound], [leg(None, document=None)], status_before="Closed")
	assert {(p.row, p.field, p.reason) for p in found} == {
		(0, "freight", "kept as recorded"),
		(1, "document", "required"),
	}
	changed = qp.freight_problems(
		[inbound], [leg("a", 90, which=FREIGHT_INBOUND)], status_before="Settled on Site"
	)
	assert [(p.row, p.reason) for p in changed] == [(1, "kept as recorded")]
	zero = qp.freight_problems([], [leg(None, 0)], status_before="Closed")
	assert [(p.field, p.reason) for p in zero] == [("amount", "required")]
	unknown = qp.freight_problems([], [qp.FreightLeg(None, "By Drone", 5)], status_before="Draft")
	assert [(p.field, p.reason) for p in unknown] == [("leg", "unknown leg")]


# --- parts at no more than the contract price ----------------------------------------------------------


def test_parts_in_warranty_at_cost():
	assert part_price(AT_COST, cost=40, asked=90, contract_price=80).rate == 40


def test_parts_after_warranty_never_above_the_contract_price():
	assert part_price(CONTRACT_PRICE, asked=90, contract_price=80) == PartPrice(80, 80, capped=True)
	assert part_price(CONTRACT_PRICE, asked=70, contract_price=80).rate == 70
	assert part_price(CONTRACT_PRICE, contract_price=80).rate == 80  # the agreement's price itself
	assert part_price(CONTRACT_PRICE, asked=90).rate == 90  # no contract price on record: no limit
	assert part_price(CONTRACT_PRICE).rate is None
	assert above_contract(80.01, 80) and not above_contract(80, 80) and not above_contract(500, None)
	with pytest.raises(CostRuleError):
		part_price(CONTRACT_PRICE, asked=-1)
	with pytest.raises(CostRuleError):
		part_price("Whatever", asked=1)


# --- satisfaction under 60 % three times, per contracted party, within a period --------------------------


def test_three_low_scores_within_the_period_propose_the_termination():
	policy = StrikePolicy()  # below 60 %, 3 strikes, within 365 days
	on = date(2026, 12, 1)
	scores = [(date(2026, 1, 10), 40), (date(2026, 6, 1), 59.9), (date(2026, 7, 1), 60), (on, 10)]
	assert strikes_on(scores, on, policy) == 3
	assert termination_due(scores, on, policy)
	# a score of exactly 60 % is not a strike, and the period forgets old ones
	assert strikes_on(scores, date(2027, 1, 15), policy) == 2
	assert not termination_due(scores[:3], on, policy)
	# once proposed, the next proposal needs three new strikes
	assert not termination_due(scores, on, policy, proposed_since=date(2026, 6, 1))
	assert termination_due(scores, on, StrikePolicy(period_days=0))
	assert not termination_due(scores, on, StrikePolicy(strikes=0))
	with pytest.raises(StrikeRuleError):
		StrikePolicy(below=120)
