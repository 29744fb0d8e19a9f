"""Tier 1: who pays (domain/costs.py) — every row of the cost table and every window's boundary."""

from datetime import date

import pytest

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
	UNDETERMINED,
	CostFacts,
	CostPolicy,
	CostRuleError,
	Warranty,
	add_months,
	decide,
	negligence_amount_range,
	warranty_on,
)

IN = Warranty(True, 30)
OUT = Warranty(False, 500)


def paid(decision) -> dict[str, str]:
	return {item: payer for item, payer in decision.payers.items() if payer}


# --- the cost table, row by row -------------------------------------------------------------------


def test_obvious_quality_defect_is_replaced_free_freight_included():
	decision = decide(CostFacts(QUALITY_DEFECT, Warranty(True, 10)))
	assert paid(decision) == dict.fromkeys(COST_ITEMS, COMPANY)
	assert EXCHANGE in decision.remedies and decision.negligence_share is None


def test_quality_defect_after_warranty_is_the_companys_only_under_the_procedures_reading():
	always = CostPolicy(quality_defect_reading=FREE_REPLACEMENT_ALWAYS)
	assert paid(decide(CostFacts(QUALITY_DEFECT, OUT), always)) == dict.fromkeys(COST_ITEMS, COMPANY)
	service = decide(CostFacts(QUALITY_DEFECT, OUT))  # the default: the service commitments
	assert paid(service) == {
		LABOUR: CUSTOMER,
		PARTS: CUSTOMER,
		FREIGHT_INBOUND: CUSTOMER,
		FREIGHT_OUTBOUND: CUSTOMER,
	}
	assert (service.remedies, service.labour_rate, service.parts_basis) == ((REPAIR,), 500, CONTRACT_PRICE)


def test_misuse_fixed_on_site_costs_the_customer_nothing_in_warranty():
	decision = decide(CostFacts(MISUSE, IN, misuse_handling=FIXED_ON_SITE))
	assert paid(decision) == {LABOUR: COMPANY}
	assert decision.remedies == () and decision.notes


def test_misuse_needing_repair_free_labour_customer_pays_parts_and_freight_both_ways():
	decision = decide(CostFacts(MISUSE, IN, misuse_handling=NEEDS_REPAIR))
	assert paid(decision) == {
		LABOUR: COMPANY,
		PARTS: CUSTOMER,
		FREIGHT_INBOUND: CUSTOMER,
		FREIGHT_OUTBOUND: CUSTOMER,
	}
	assert decision.remedies == (REPAIR,) and decision.parts_basis == AT_COST
	assert decision.labour_rate is None


def test_misuse_simple_part_swap_customer_pays_the_part():
	decision = decide(CostFacts(MISUSE, IN, misuse_handling=PART_SWAP))
	assert paid(decision) == {LABOUR: COMPANY, PARTS: CUSTOMER}
	assert FREIGHT_INBOUND not in paid(decision)


def test_after_warranty_labour_is_paid_service_at_the_engineer_rate():
	decision = decide(CostFacts(MISUSE, OUT, misuse_handling=NEEDS_REPAIR))
	assert paid(decision)[LABOUR] == CUSTOMER
	assert decision.labour_rate == 500 and decision.parts_basis == CONTRACT_PRICE
	assert (
		decide(
			CostFacts(MISUSE, OUT, misuse_handling=PART_SWAP), CostPolicy(engineer_day_rate=650)
		).labour_rate
		== 650
	)


def test_undetermined_waits_for_qa_with_inbound_freight_on_the_company():
	decision = decide(CostFacts(UNDETERMINED, IN))
	assert decision.awaiting_qa and decision.determination is None
	assert paid(decision) == {FREIGHT_INBOUND: COMPANY}


def test_undetermined_then_qa_finds_a_quality_defect():
	decision = decide(CostFacts(UNDETERMINED, Warranty(True, 12), qa=QUALITY_DEFECT))
	assert decision.determination == QUALITY_DEFECT
	assert paid(decision) == dict.fromkeys(COST_ITEMS, COMPANY)
	# day 30 of the warranty: past the exchange window, repaired free (no replacement incurred)
	assert paid(decide(CostFacts(UNDETERMINED, IN, qa=QUALITY_DEFECT))) == {
		item: COMPANY for item in COST_ITEMS if item != REPLACEMENT
	}


def test_undetermined_then_qa_finds_misuse_inbound_freight_stays_the_companys():
	decision = decide(CostFacts(UNDETERMINED, IN, qa=MISUSE, misuse_handling=NEEDS_REPAIR))
	assert decision.determination == MISUSE
	assert paid(decision) == {
		LABOUR: COMPANY,
		PARTS: CUSTOMER,
		FREIGHT_INBOUND: COMPANY,
		FREIGHT_OUTBOUND: CUSTOMER,
	}


def test_region_manager_negligence_proposes_thirty_to_sixty_percent_of_the_freight():
	decision = decide(CostFacts(UNDETERMINED, IN, qa=QUALITY_DEFECT, could_have_determined=True))
	assert decision.negligence_share == (0.30, 0.60)
	assert negligence_amount_range(240.0) == (72.0, 144.0)
	assert decide(CostFacts(UNDETERMINED, IN, qa=QUALITY_DEFECT)).negligence_share is None


def test_the_band_is_a_setting():
	policy = CostPolicy(negligence_share=(0.5, 0.5))
	assert negligence_amount_range(100, policy) == (50.0, 50.0)
	for band in ((0.7, 0.6), (-0.1, 0.5), (0.2, 1.5)):
		with pytest.raises(CostRuleError):
			CostPolicy(negligence_share=band)


# --- three-guarantee windows ------------------------------------------------------------------------


@pytest.mark.parametrize(
	("day", "remedies"),
	[
		(1, (RETURN, EXCHANGE, REPAIR)),
		(7, (RETURN, EXCHANGE, REPAIR)),
		(8, (EXCHANGE, REPAIR)),
		(15, (EXCHANGE, REPAIR)),
		(16, (REPAIR,)),
	],
)
def test_return_only_within_the_return_days(day, remedies):
	assert decide(CostFacts(QUALITY_DEFECT, Warranty(True, day))).remedies == remedies


def test_windows_are_settings():
	policy = CostPolicy(return_days=10, exchange_days=20)
	assert RETURN in decide(CostFacts(QUALITY_DEFECT, Warranty(True, 10)), policy).remedies
	with pytest.raises(CostRuleError):
		CostPolicy(return_days=10, exchange_days=5)


# --- warranty -----------------------------------------------------------------------------------------


def test_warranty_period_counts_from_delivery_last_day_covered():
	delivered = date(2026, 1, 15)
	assert warranty_on(date(2027, 1, 14), delivered, months=12).in_warranty
	assert not warranty_on(date(2027, 1, 15), delivered, months=12).in_warranty
	assert warranty_on(date(2026, 1, 15), delivered, months=12).day == 1
	assert warranty_on(date(2026, 1, 21), delivered, months=12).day == 7


def test_serial_number_expiry_wins_over_the_period():
	delivered = date(2026, 1, 15)
	assert warranty_on(date(2027, 6, 1), delivered, months=12, expires_on=date(2027, 6, 1)).in_warranty
	assert not warranty_on(date(2026, 6, 2), delivered, months=12, expires_on=date(2026, 6, 1)).in_warranty


def test_period_or_distance_whichever_first():
	delivered = date(2026, 1, 15)
	assert warranty_on(
		date(2027, 1, 1), delivered, months=24, distance=49_999, distance_limit=50_000
	).in_warranty
	assert not warranty_on(
		date(2027, 1, 1), delivered, months=24, distance=50_000, distance_limit=50_000
	).in_warranty
	assert not warranty_on(
		date(2028, 1, 15), delivered, months=24, distance=10, distance_limit=50_000
	).in_warranty
	with pytest.raises(CostRuleError):
		warranty_on(date(2027, 1, 1), delivered, months=24, distance_limit=50_000)


def test_month_ends_are_clipped():
	assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
	assert add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)
	assert add_months(date(2026, 5, 15), 24) == date(2028, 5, 15)


def test_unknown_delivery_and_no_expiry_is_out_of_warranty():
	assert warranty_on(date(2026, 5, 1)) == Warranty(False, None)


def test_a_complaint_before_the_delivery_is_refused():
	with pytest.raises(CostRuleError):
		warranty_on(date(2026, 1, 1), date(2026, 2, 1), months=12)


# --- refused facts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"facts",
	[
		CostFacts("Looks broken", IN),
		CostFacts(MISUSE, IN),  # no handling
		CostFacts(QUALITY_DEFECT, IN, qa=MISUSE),  # QA only decides returned, undetermined goods
		CostFacts(UNDETERMINED, IN, qa=UNDETERMINED),
		CostFacts(QUALITY_DEFECT, IN, could_have_determined=True),
		CostFacts(UNDETERMINED, IN, qa=MISUSE),  # no handling
	],
)
def test_facts_that_allow_no_decision_are_refused(facts):
	with pytest.raises(CostRuleError):
		decide(facts)


def test_every_decision_names_every_cost_item():
	for facts in (
		CostFacts(QUALITY_DEFECT, IN),
		CostFacts(MISUSE, OUT, misuse_handling=FIXED_ON_SITE),
		CostFacts(UNDETERMINED, IN),
	):
		assert tuple(decide(facts).payers) == COST_ITEMS
		assert REPLACEMENT in decide(facts).payers
