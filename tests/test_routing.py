"""Tests for complaint routing: hand-written scenarios (docs/procedure.md §3, §5, §9) plus properties."""

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaint_handling.domain.intake import HANDLING_PATHS
from complaint_handling.domain.routing import (
	COORDINATOR,
	CUSTOMER_REPLY,
	DEFAULT_LIMITS,
	DIRECTOR_REPORT,
	FIRST_RESPONSE,
	GENERAL_MANAGER,
	LADDERS,
	MANAGEMENT_REPRESENTATIVE,
	MARKETING_DIRECTOR,
	MEMO_DISPATCH,
	ON_SITE,
	REGION_MANAGER,
	RESOLUTION,
	SUPERIOR,
	TIMERS,
	AuthorityLimit,
	Route,
	RoutingFacts,
	deciding_party,
	is_self_approval,
	limit_for,
	may_approve,
	route,
)

POLICY, STAFF, QUALITY = HANDLING_PATHS


def examples(count: int) -> settings:
	"""Fast enough for every run, and no example database written into the checkout."""
	return settings(max_examples=count, deadline=None, database=None)


# --- configuration -------------------------------------------------------------------------------


def test_ladders_cover_every_handling_path() -> None:
	assert set(LADDERS) == set(HANDLING_PATHS)
	assert all(ladder[-1] == GENERAL_MANAGER for ladder in LADDERS.values())
	assert TIMERS == (FIRST_RESPONSE, RESOLUTION, DIRECTOR_REPORT, CUSTOMER_REPLY, ON_SITE, MEMO_DISPATCH)


def test_default_limits() -> None:
	assert limit_for(DEFAULT_LIMITS, REGION_MANAGER, POLICY) == 5000
	assert limit_for(DEFAULT_LIMITS, REGION_MANAGER, QUALITY) == 5000
	assert limit_for(DEFAULT_LIMITS, SUPERIOR, STAFF) == 2000
	for path in HANDLING_PATHS:
		assert limit_for(DEFAULT_LIMITS, MARKETING_DIRECTOR, path) == 50000
		assert limit_for(DEFAULT_LIMITS, GENERAL_MANAGER, path) == math.inf


def test_party_without_a_limit_cannot_decide_alone() -> None:
	assert limit_for(DEFAULT_LIMITS, REGION_MANAGER, STAFF) == 0.0
	assert limit_for(DEFAULT_LIMITS, SUPERIOR, POLICY) == 0.0
	assert limit_for([], GENERAL_MANAGER, POLICY) == 0.0


def test_duplicate_limits_take_the_stricter_one() -> None:
	limits = [AuthorityLimit(REGION_MANAGER, POLICY, 800), AuthorityLimit(REGION_MANAGER, POLICY, 300)]
	assert limit_for(limits, REGION_MANAGER, POLICY) == 300


@pytest.mark.parametrize(
	("party", "path", "amount"),
	[
		("", POLICY, 1.0),
		(REGION_MANAGER, "Billing", 1.0),
		(REGION_MANAGER, POLICY, -1.0),
		(REGION_MANAGER, POLICY, math.nan),
		(REGION_MANAGER, POLICY, "5000"),
		(REGION_MANAGER, POLICY, True),
	],
)
def test_authority_limit_rejects_bad_values(party: str, path: str, amount: object) -> None:
	with pytest.raises(ValueError):
		AuthorityLimit(party, path, amount)  # type: ignore[arg-type]


def test_deciding_party_respects_limits_and_floor() -> None:
	ladder = LADDERS[POLICY]
	assert deciding_party(ladder, DEFAULT_LIMITS, POLICY, 0) == REGION_MANAGER
	assert deciding_party(ladder, DEFAULT_LIMITS, POLICY, 5000) == REGION_MANAGER  # limit is inclusive
	assert deciding_party(ladder, DEFAULT_LIMITS, POLICY, 5000.01) == MARKETING_DIRECTOR
	assert deciding_party(ladder, DEFAULT_LIMITS, POLICY, 50001) == GENERAL_MANAGER
	assert deciding_party(ladder, DEFAULT_LIMITS, POLICY, 10, floor=MARKETING_DIRECTOR) == MARKETING_DIRECTOR
	assert deciding_party(ladder, [], POLICY, 10) == GENERAL_MANAGER  # nobody covers it: the top


def test_deciding_party_rejects_bad_input() -> None:
	with pytest.raises(ValueError, match="'Superior'"):
		deciding_party(LADDERS[POLICY], DEFAULT_LIMITS, POLICY, 1, floor=SUPERIOR)
	with pytest.raises(ValueError):
		deciding_party((), DEFAULT_LIMITS, POLICY, 1)
	with pytest.raises(ValueError):
		deciding_party(LADDERS[POLICY], DEFAULT_LIMITS, POLICY, -1)


# --- policy / customer service (docs/procedure.md §3) -----------------------------------------------------------


def test_policy_inside_region_authority_is_summarised_monthly() -> None:
	assert route(RoutingFacts(POLICY, amount_at_stake=1200)) == Route(
		handler=REGION_MANAGER,
		approvers=(),
		notify=(),
		dispatcher=None,
		timers=(FIRST_RESPONSE, RESOLUTION),
		escalated=False,
		monthly_summary=True,
	)


def test_policy_beyond_region_authority_goes_to_the_director() -> None:
	assert route(RoutingFacts(POLICY, amount_at_stake=8000)) == Route(
		handler=REGION_MANAGER,
		approvers=(MARKETING_DIRECTOR,),
		notify=(),
		dispatcher=COORDINATOR,
		timers=(FIRST_RESPONSE, RESOLUTION, DIRECTOR_REPORT, CUSTOMER_REPLY, MEMO_DISPATCH),
		escalated=True,
		monthly_summary=False,
	)


def test_policy_cross_department_goes_to_the_director_even_for_small_amounts() -> None:
	result = route(RoutingFacts(POLICY, amount_at_stake=0, departments_involved=2))
	assert result.approvers == (MARKETING_DIRECTOR,)
	assert result.escalated and not result.monthly_summary
	assert result.dispatcher == COORDINATOR
	assert DIRECTOR_REPORT in result.timers and CUSTOMER_REPLY in result.timers


def test_policy_beyond_director_authority_needs_the_general_manager() -> None:
	result = route(RoutingFacts(POLICY, amount_at_stake=120000, departments_involved=3))
	assert result.approvers == (MARKETING_DIRECTOR, GENERAL_MANAGER)
	assert result.escalated and result.dispatcher == COORDINATOR


# --- staff conduct (docs/procedure.md §3) -----------------------------------------------------------------------


def test_staff_inside_superior_authority_stays_with_the_superior() -> None:
	assert route(RoutingFacts(STAFF, amount_at_stake=2000)) == Route(
		handler=SUPERIOR,
		approvers=(),
		notify=(),
		dispatcher=None,
		timers=(FIRST_RESPONSE, RESOLUTION),
		escalated=False,
		monthly_summary=False,
	)


def test_staff_beyond_superior_authority_needs_director_and_informs_superior() -> None:
	assert route(RoutingFacts(STAFF, amount_at_stake=2500)) == Route(
		handler=SUPERIOR,
		approvers=(MARKETING_DIRECTOR,),
		notify=(SUPERIOR,),
		dispatcher=COORDINATOR,
		timers=(FIRST_RESPONSE, RESOLUTION, MEMO_DISPATCH),
		escalated=True,
		monthly_summary=False,
	)


def test_staff_far_beyond_authority_needs_the_general_manager() -> None:
	result = route(RoutingFacts(STAFF, amount_at_stake=60000))
	assert result.approvers == (MARKETING_DIRECTOR, GENERAL_MANAGER)
	assert result.notify == (SUPERIOR,)


def test_staff_departments_do_not_matter() -> None:
	assert route(RoutingFacts(STAFF, amount_at_stake=10, departments_involved=4)).approvers == ()


def test_staff_without_superior_is_handled_by_the_director() -> None:
	result = route(RoutingFacts(STAFF, amount_at_stake=2500, has_superior=False))
	assert result.handler == MARKETING_DIRECTOR
	assert result.approvers == ()
	assert result.notify == ()
	assert not result.escalated
	assert result.dispatcher == COORDINATOR  # the HQ clerk passes it to the director
	assert result.timers == (FIRST_RESPONSE, RESOLUTION, MEMO_DISPATCH)
	large = route(RoutingFacts(STAFF, amount_at_stake=60000, has_superior=False))
	assert large.approvers == (GENERAL_MANAGER,) and large.escalated and large.notify == ()


# --- product quality (docs/procedure.md §5, §9) ---------------------------------------------------------


def test_small_quality_complaint_director_approves_without_escalation() -> None:
	assert route(RoutingFacts(QUALITY, amount_at_stake=300)) == Route(
		handler=REGION_MANAGER,
		approvers=(MARKETING_DIRECTOR,),
		notify=(GENERAL_MANAGER, MANAGEMENT_REPRESENTATIVE),
		dispatcher=COORDINATOR,
		timers=(FIRST_RESPONSE, RESOLUTION, ON_SITE, MEMO_DISPATCH),
		escalated=False,
		monthly_summary=False,
	)


def test_quality_beyond_region_authority_is_escalated() -> None:
	result = route(RoutingFacts(QUALITY, amount_at_stake=9000))
	assert result.approvers == (MARKETING_DIRECTOR,)
	assert result.escalated


def test_quality_beyond_director_authority_needs_the_general_manager() -> None:
	result = route(RoutingFacts(QUALITY, amount_at_stake=75000))
	assert result.approvers == (MARKETING_DIRECTOR, GENERAL_MANAGER)
	assert result.escalated
	assert result.notify == (GENERAL_MANAGER, MANAGEMENT_REPRESENTATIVE)  # informed even though approving
	assert DIRECTOR_REPORT not in result.timers and CUSTOMER_REPLY not in result.timers


# --- custom limits -------------------------------------------------------------------------------


def test_custom_limits_change_the_outcome() -> None:
	generous = [
		AuthorityLimit(REGION_MANAGER, POLICY, 20000),
		AuthorityLimit(MARKETING_DIRECTOR, POLICY, 100000),
		AuthorityLimit(GENERAL_MANAGER, POLICY, math.inf),
	]
	assert route(RoutingFacts(POLICY, amount_at_stake=8000), generous).approvers == ()
	assert route(RoutingFacts(POLICY, amount_at_stake=8000), generous).monthly_summary
	strict = [AuthorityLimit(SUPERIOR, STAFF, 0), AuthorityLimit(GENERAL_MANAGER, STAFF, math.inf)]
	# No director limit on staff conduct: the director cannot decide alone, so the GM approves too.
	assert route(RoutingFacts(STAFF, amount_at_stake=1), strict).approvers == (
		MARKETING_DIRECTOR,
		GENERAL_MANAGER,
	)
	assert route(RoutingFacts(STAFF, amount_at_stake=0), strict).approvers == ()


def test_limits_may_be_a_one_shot_iterator() -> None:
	limits = iter(DEFAULT_LIMITS)
	assert route(RoutingFacts(QUALITY, amount_at_stake=9000), limits).escalated


# --- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["Billing", "policy / customer service", ""])
def test_unknown_path_is_named_in_the_error(path: str) -> None:
	with pytest.raises(ValueError, match=repr(path).replace("/", r"\/")):
		route(RoutingFacts(path))


@pytest.mark.parametrize("amount", [-0.01, -5, math.nan, math.inf, "10", None])
def test_bad_amount_is_rejected(amount: object) -> None:
	with pytest.raises(ValueError):
		route(RoutingFacts(POLICY, amount_at_stake=amount))  # type: ignore[arg-type]


@pytest.mark.parametrize("departments", [0, -1, 1.5, True])
def test_bad_department_count_is_rejected(departments: object) -> None:
	with pytest.raises(ValueError, match="departments_involved"):
		route(RoutingFacts(POLICY, departments_involved=departments))  # type: ignore[arg-type]


# --- approval ------------------------------------------------------------------------------------


def test_may_approve_by_role() -> None:
	assert may_approve(["Sales User", MARKETING_DIRECTOR], MARKETING_DIRECTOR)
	assert not may_approve(["Sales User"], MARKETING_DIRECTOR)
	assert may_approve({GENERAL_MANAGER}, GENERAL_MANAGER)
	assert not may_approve([SUPERIOR, MARKETING_DIRECTOR], SUPERIOR)  # a person, never a role
	with pytest.raises(TypeError):
		may_approve(MARKETING_DIRECTOR, MARKETING_DIRECTOR)


def test_self_approval() -> None:
	assert is_self_approval("Director@Example.com", "director@example.com", None)
	assert is_self_approval("director@example.com", "rm@example.com", " DIRECTOR@example.com ")
	assert not is_self_approval("director@example.com", "rm@example.com", "superior@example.com")
	assert not is_self_approval("director@example.com", None, None)
	assert not is_self_approval("", "", None)


# --- properties ----------------------------------------------------------------------------------

# Around the default limits (inclusive edges) as well as anywhere.
amounts = st.one_of(
	st.sampled_from([0.0, 2000.0, 2000.01, 5000.0, 5000.01, 50000.0, 50000.01]),
	st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False),
)
all_facts = st.builds(
	RoutingFacts,
	handling_path=st.sampled_from(HANDLING_PATHS),
	amount_at_stake=amounts,
	departments_involved=st.integers(min_value=1, max_value=5),
	has_superior=st.booleans(),
)
limit_values = st.one_of(st.floats(min_value=0, max_value=1e7, allow_nan=False), st.just(math.inf))
parties = (REGION_MANAGER, SUPERIOR, MARKETING_DIRECTOR, GENERAL_MANAGER)
limit_sets = st.lists(
	st.tuples(st.sampled_from(parties), st.sampled_from(HANDLING_PATHS), limit_values), max_size=8
).map(lambda rows: tuple(AuthorityLimit(*row) for row in rows))
any_limits = st.one_of(st.just(DEFAULT_LIMITS), limit_sets)


def ladder_of(facts: RoutingFacts) -> tuple[str, ...]:
	ladder = LADDERS[facts.handling_path]
	return ladder[1:] if facts.handling_path == STAFF and not facts.has_superior else ladder


@examples(80)
@given(all_facts, any_limits)
def test_approvers_follow_the_handler_on_the_ladder(facts: RoutingFacts, limits: tuple) -> None:
	result = route(facts, limits)
	ladder = ladder_of(facts)
	assert result.handler == ladder[0]
	assert result.handler not in result.approvers
	assert result.approvers == ladder[1 : 1 + len(result.approvers)]
	assert result.dispatcher in (None, COORDINATOR)
	assert set(result.timers) >= {FIRST_RESPONSE, RESOLUTION}
	assert list(result.timers) == [timer for timer in TIMERS if timer in result.timers]
	assert (MEMO_DISPATCH in result.timers) == (result.dispatcher is not None)
	if result.handler in result.notify:  # only the overruled superior hears of the director's decision
		assert result.notify == (SUPERIOR,) and result.escalated


@examples(80)
@given(all_facts, any_limits)
def test_decider_covers_the_amount_unless_top_of_ladder(facts: RoutingFacts, limits: tuple) -> None:
	result = route(facts, limits)
	decider = result.approvers[-1] if result.approvers else result.handler
	if decider != ladder_of(facts)[-1]:
		assert facts.amount_at_stake <= limit_for(limits, decider, facts.handling_path)
	assert decider == deciding_party(
		ladder_of(facts),
		limits,
		facts.handling_path,
		facts.amount_at_stake,
		MARKETING_DIRECTOR
		if facts.handling_path == QUALITY
		or (facts.handling_path == POLICY and facts.departments_involved > 1)
		else None,
	)


@examples(80)
@given(all_facts, amounts, any_limits)
def test_raising_the_amount_never_shortens_the_chain(
	facts: RoutingFacts, extra: float, limits: tuple
) -> None:
	higher = dataclasses.replace(facts, amount_at_stake=facts.amount_at_stake + extra)
	low, high = route(facts, limits), route(higher, limits)
	assert len(high.approvers) >= len(low.approvers)
	assert high.approvers[: len(low.approvers)] == low.approvers
	assert high.escalated or not low.escalated


@examples(60)
@given(all_facts.map(lambda facts: dataclasses.replace(facts, handling_path=QUALITY)), any_limits)
def test_quality_always_informs_gm_and_management_representative(facts: RoutingFacts, limits: tuple) -> None:
	result = route(facts, limits)
	assert result.notify == (GENERAL_MANAGER, MANAGEMENT_REPRESENTATIVE)
	assert MARKETING_DIRECTOR in result.approvers
	assert result.dispatcher == COORDINATOR and ON_SITE in result.timers
	assert not result.monthly_summary


@examples(60)
@given(all_facts, any_limits)
def test_route_is_deterministic_and_rule_consistent(facts: RoutingFacts, limits: tuple) -> None:
	result = route(facts, limits)
	assert route(facts, limits) == result
	assert route(facts, list(reversed(limits))) == result  # order of the configuration does not matter
	if facts.handling_path != QUALITY:
		assert result.escalated == bool(result.approvers)
	assert result.monthly_summary == (facts.handling_path == POLICY and not result.escalated)
	has_policy_timers = DIRECTOR_REPORT in result.timers
	assert has_policy_timers == (CUSTOMER_REPLY in result.timers)
	assert has_policy_timers == (facts.handling_path == POLICY and result.escalated)


@examples(60)
@given(
	st.text(max_size=8), st.one_of(st.none(), st.text(max_size=8)), st.one_of(st.none(), st.text(max_size=8))
)
def test_self_approval_matches_a_casefolded_oracle(
	approver: str, handler: str | None, proposer: str | None
) -> None:
	def key(user: str | None) -> str | None:
		return (user.strip().casefold() or None) if user is not None else None

	expected = key(approver) is not None and key(approver) in (key(handler), key(proposer))
	assert is_self_approval(approver, handler, proposer) == expected


# --- the accused never handles or approves -------------------------------------------------------


def test_an_accused_region_manager_is_skipped_as_handler_and_approver():
	from complaint_handling.domain.routing import POLICY, REGION_MANAGER, RoutingFacts, route

	normal = route(RoutingFacts(POLICY, 1000.0))
	assert normal.handler == REGION_MANAGER and normal.approvers == ()
	skipped = route(RoutingFacts(POLICY, 1000.0, unavailable=frozenset({REGION_MANAGER})))
	assert skipped.handler == "Marketing Director"
	assert REGION_MANAGER not in skipped.approvers


def test_an_accused_director_moves_the_floor_up_to_the_general_manager():
	from complaint_handling.domain.routing import QUALITY, RoutingFacts, route

	result = route(RoutingFacts(QUALITY, 100.0, unavailable=frozenset({"Marketing Director"})))
	assert result.handler == "Region Manager"
	assert result.approvers == ("General Manager",)


def test_the_top_of_the_ladder_always_remains():
	from complaint_handling.domain.routing import LADDERS, POLICY, RoutingFacts, route

	result = route(RoutingFacts(POLICY, 10.0, unavailable=frozenset(LADDERS[POLICY])))
	assert result.handler == "General Manager"


@given(
	st.sampled_from(["Policy / Customer Service", "Staff Conduct", "Product Quality"]),
	st.floats(0, 1e7, allow_nan=False),
	st.integers(1, 3),
	st.frozensets(st.sampled_from(["Region Manager", "Superior", "Marketing Director", "General Manager"])),
)
def test_unavailable_parties_never_appear_below_the_top(path, amount, departments, unavailable):
	from complaint_handling.domain.routing import LADDERS, RoutingFacts, route

	result = route(RoutingFacts(path, amount, departments, unavailable=unavailable))
	top = LADDERS[path][-1]
	for party in (result.handler, *result.approvers):
		assert party not in unavailable or party == top


def test_the_registrar_may_not_approve():
	from complaint_handling.domain.routing import is_self_approval

	assert is_self_approval("coord@x", "rm@x", "rm@x", "Coord@X")
	assert not is_self_approval("gm@x", "rm@x", "rm@x", "coord@x")
