"""Tests for intake rules: hand-written intake scenarios plus properties against brute-force oracles."""

import dataclasses
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaint_handling.domain.intake import (
	HANDLING_PATHS,
	MATCH_FIELDS,
	SEVERITIES,
	ComplaintFacts,
	DateProblem,
	RepeatMatch,
	check_date_order,
	default_vip,
	find_repeats,
	normalize_subject,
	raise_severity,
	severity_after_repeat,
	severity_rank,
	subject_similarity,
)

BASE = datetime(2026, 3, 2, 9, 0)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def examples(count: int) -> settings:
	"""Fast enough for every run, and no example database written into the checkout."""
	return settings(max_examples=count, deadline=None, database=None)


def facts(name: str, received_on: datetime = BASE, **values: object) -> ComplaintFacts:
	defaults: dict[str, object] = {"customer": "CUST-1", "is_open": False}
	return ComplaintFacts(name=name, received_on=received_on, **{**defaults, **values})  # type: ignore[arg-type]


# --- severity ------------------------------------------------------------------------------------


def test_severities_run_from_lowest_to_highest() -> None:
	assert [severity_rank(s) for s in SEVERITIES] == [0, 1, 2]
	assert severity_rank("General") < severity_rank("Major") < severity_rank("Urgent")


@pytest.mark.parametrize("bad", ["Critical", "urgent", "", None, 1])
def test_unknown_severity_is_named_in_the_error(bad: object) -> None:
	with pytest.raises(ValueError, match=re.escape(repr(bad))):
		severity_rank(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
	("current", "floor", "expected"),
	[
		("General", "Major", "Major"),
		("Major", "Major", "Major"),
		("Urgent", "Major", "Urgent"),
		("General", "General", "General"),
		("Major", "Urgent", "Urgent"),
	],
)
def test_raise_severity_takes_the_higher(current: str, floor: str, expected: str) -> None:
	assert raise_severity(current, floor) == expected


def test_raise_severity_rejects_unknown_values() -> None:
	with pytest.raises(ValueError, match="'Blocker'"):
		raise_severity("Blocker", "Major")
	with pytest.raises(ValueError, match="'minor'"):
		raise_severity("Major", "minor")


def test_repeat_complaint_is_raised_to_major_by_default() -> None:
	assert severity_after_repeat("General", is_repeat=True) == "Major"
	assert severity_after_repeat("Urgent", is_repeat=True) == "Urgent"


def test_repeat_floor_is_configurable() -> None:
	assert severity_after_repeat("General", is_repeat=True, floor="Urgent") == "Urgent"
	assert severity_after_repeat("Major", is_repeat=True, floor="General") == "Major"


def test_first_complaint_keeps_its_severity() -> None:
	assert severity_after_repeat("General", is_repeat=False) == "General"


def test_severity_after_repeat_validates_even_when_not_repeated() -> None:
	with pytest.raises(ValueError, match="'Low'"):
		severity_after_repeat("Low", is_repeat=False)
	with pytest.raises(ValueError, match="'High'"):
		severity_after_repeat("General", is_repeat=False, floor="High")


severities = st.sampled_from(SEVERITIES)


@examples(100)
@given(severities, severities)
def test_raise_severity_is_a_max(a: str, b: str) -> None:
	result = raise_severity(a, b)
	assert severity_rank(result) == max(severity_rank(a), severity_rank(b))
	assert raise_severity(b, a) == result
	assert severity_rank(result) >= severity_rank(a)
	assert raise_severity(result, b) == result
	assert raise_severity(a, a) == a


@examples(100)
@given(severities, severities, st.booleans())
def test_severity_after_repeat_never_lowers(current: str, floor: str, is_repeat: bool) -> None:
	result = severity_after_repeat(current, is_repeat, floor)
	assert severity_rank(result) >= severity_rank(current)
	assert result == (raise_severity(current, floor) if is_repeat else current)


def test_three_handling_paths() -> None:
	assert HANDLING_PATHS == ("Policy / Customer Service", "Staff Conduct", "Product Quality")


# --- subjects ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	("raw", "expected"),
	[
		("  Pump   LEAKS!! ", "pump leaks"),
		("Pump,leaks.", "pump leaks"),
		("水泵 漏水！", "水泵 漏水"),
		("【紧急】《发票》错误，请尽快处理。", "紧急 发票 错误 请尽快处理"),
		("“水泵”（型号：A-1）", "水泵 型号 a 1"),
		("ＡＢＣ　１２３", "abc 123"),  # full-width letters, digits and space
		("Straße", "strasse"),
		("\t\n", ""),
		("？！。", ""),
		("", ""),
	],
)
def test_normalize_subject(raw: str, expected: str) -> None:
	assert normalize_subject(raw) == expected


def test_chinese_subject_with_space_and_punctuation_is_the_same() -> None:
	assert subject_similarity("水泵漏水", "水泵 漏水！") == 1.0


def test_different_chinese_subjects_do_not_match() -> None:
	assert subject_similarity("水泵漏水", "发票错误") == 0.0


def test_chinese_subjects_sharing_most_bigrams() -> None:
	# {水泵, 泵漏, 漏水} vs {水泵, 泵漏, 漏水, 水严, 严重}
	assert subject_similarity("水泵漏水", "水泵漏水严重") == pytest.approx(3 / 5)


def test_english_subject_ignores_case_and_punctuation() -> None:
	assert subject_similarity("Pump is leaking!", "pump-is-LEAKING") == 1.0
	assert subject_similarity("Pump is leaking", "Invoice amount wrong") < 0.2


def test_english_bigrams_by_hand() -> None:
	# "abcd" -> {ab, bc, cd}; "abce" -> {ab, bc, ce}: 2 shared of 4
	assert subject_similarity("abcd", "ABCE") == pytest.approx(0.5)


def test_single_character_subjects() -> None:
	assert subject_similarity("x", "X!") == 1.0
	assert subject_similarity("坏", "坏") == 1.0
	assert subject_similarity("x", "xy") == 0.0


def test_empty_subject_matches_nothing() -> None:
	assert subject_similarity("", "") == 0.0
	assert subject_similarity("！！", "？") == 0.0
	assert subject_similarity("", "水泵漏水") == 0.0
	assert subject_similarity("水泵漏水", "   ") == 0.0


SUBJECT_CHARS = "abcxyzABCXYZ0129水泵漏水发票错误质量问题"
NOISE = " \u3000\t!?,.-，。！？、“”（）【】《》"
subjects = st.text(alphabet=SUBJECT_CHARS + NOISE, max_size=12)
noise = st.text(alphabet=NOISE, max_size=2)


def _variant(parts: list[tuple[str, str, bool]], tail: str) -> tuple[str, str]:
	"""Join (noise, char, swap case) parts into the plain text and its noisy variant."""
	text = "".join(char for _, char, _ in parts)
	variant = "".join(gap + (char.swapcase() if swap else char) for gap, char, swap in parts) + tail
	return text, variant


# A subject and the same characters with changed case and added punctuation / whitespace.
subject_variants = st.builds(
	_variant,
	st.lists(st.tuples(noise, st.sampled_from(SUBJECT_CHARS), st.booleans()), min_size=1, max_size=10),
	noise,
)


@examples(100)
@given(subjects, subjects)
def test_similarity_is_symmetric_and_bounded(a: str, b: str) -> None:
	value = subject_similarity(a, b)
	assert value == subject_similarity(b, a)
	assert 0.0 <= value <= 1.0


@examples(100)
@given(subject_variants)
def test_similarity_ignores_case_punctuation_and_whitespace(pair: tuple[str, str]) -> None:
	text, variant = pair
	assert subject_similarity(text, variant) == 1.0


@examples(100)
@given(st.text(max_size=20))
def test_normalize_is_idempotent_and_tidy(raw: str) -> None:
	normalized = normalize_subject(raw)
	assert normalize_subject(normalized) == normalized
	assert normalized == normalized.strip()
	assert "  " not in normalized
	assert not any(char in "!?,.，。！？、“”（）【】《》" for char in normalized)


# --- repeat detection ----------------------------------------------------------------------------


def test_repeat_on_same_serial_within_the_window() -> None:
	new = facts("CC-3", serial_no="SN-1", subject="Noise")
	earlier = [facts("CC-1", BASE - 5 * DAY, serial_no="SN-1", subject="Leak")]
	assert find_repeats(new, earlier, 30 * DAY) == [RepeatMatch("CC-1", ("serial_no",))]


def test_matched_fields_are_reported_in_fixed_order() -> None:
	new = facts("NEW", item="PUMP", batch_no="B7", serial_no="SN-9", subject="水泵漏水")
	old = facts("OLD", BASE - DAY, item="PUMP", batch_no="B7", serial_no="SN-9", subject="水泵 漏水！")
	assert find_repeats(new, [old], 7 * DAY) == [
		RepeatMatch("OLD", ("serial_no", "batch_no", "item", "subject"))
	]


def test_chinese_subject_repeat() -> None:
	new = facts("NEW", subject="水泵漏水")
	similar = facts("A", BASE - DAY, subject="水泵 漏水！")
	unrelated = facts("B", BASE - DAY, subject="发票错误")
	assert find_repeats(new, [similar, unrelated], 7 * DAY) == [RepeatMatch("A", ("subject",))]


def test_subject_threshold_is_configurable() -> None:
	new = facts("NEW", subject="水泵漏水")
	old = facts("OLD", BASE - DAY, subject="水泵漏水严重")  # similarity 0.6
	assert find_repeats(new, [old], 7 * DAY) == [RepeatMatch("OLD", ("subject",))]
	assert find_repeats(new, [old], 7 * DAY, subject_threshold=0.61) == []


def test_other_customers_are_ignored() -> None:
	new = facts("NEW", item="PUMP")
	other = facts("OTHER", BASE - DAY, customer="CUST-2", item="PUMP", is_open=True)
	assert find_repeats(new, [other], 30 * DAY) == []


def test_the_new_complaint_itself_is_ignored() -> None:
	new = facts("NEW", item="PUMP", is_open=True)
	assert find_repeats(new, [new, dataclasses.replace(new, received_on=BASE - DAY)], 30 * DAY) == []


def test_closed_complaint_outside_the_window_is_not_a_repeat() -> None:
	new = facts("NEW", item="PUMP")
	old = facts("OLD", BASE - 31 * DAY, item="PUMP")
	assert find_repeats(new, [old], 30 * DAY) == []


def test_window_bounds_are_inclusive() -> None:
	new = facts("NEW", item="PUMP")
	at_edge = facts("EDGE", BASE - 30 * DAY, item="PUMP")
	same_time = facts("SAME", BASE, item="PUMP")
	just_out = facts("OUT", BASE - 30 * DAY - timedelta(microseconds=1), item="PUMP")
	assert [m.name for m in find_repeats(new, [at_edge, same_time, just_out], 30 * DAY)] == ["SAME", "EDGE"]


def test_zero_window_keeps_only_simultaneous_or_open() -> None:
	new = facts("NEW", item="PUMP")
	earlier = [
		facts("SAME", BASE, item="PUMP"),
		facts("OLD-OPEN", BASE - 400 * DAY, item="PUMP", is_open=True),
		facts("OLD-CLOSED", BASE - HOUR, item="PUMP"),
	]
	assert [m.name for m in find_repeats(new, earlier, timedelta(0))] == ["SAME", "OLD-OPEN"]


def test_open_complaint_counts_whenever_received() -> None:
	new = facts("NEW", batch_no="B1")
	old_open = facts("OLD", BASE - 400 * DAY, batch_no="B1", is_open=True)
	later_open = facts("LATER", BASE + HOUR, batch_no="B1", is_open=True)
	later_closed = facts("LATER-CLOSED", BASE + HOUR, batch_no="B1")
	result = find_repeats(new, [old_open, later_closed, later_open], 30 * DAY)
	assert [m.name for m in result] == ["LATER", "OLD"]


@pytest.mark.parametrize("empty", [None, ""])
def test_empty_values_never_match(empty: str | None) -> None:
	new = facts("NEW", item=empty, batch_no=empty, serial_no=empty, subject="")
	old = facts("OLD", BASE - DAY, item=empty, batch_no=empty, serial_no=empty, subject="", is_open=True)
	assert find_repeats(new, [old], 30 * DAY) == []


def test_exact_values_are_case_sensitive() -> None:
	new = facts("NEW", batch_no="b1")
	assert find_repeats(new, [facts("OLD", BASE - DAY, batch_no="B1")], 30 * DAY) == []


def test_results_newest_first_then_by_name() -> None:
	new = facts("NEW", item="PUMP")
	earlier = [
		facts("B", BASE - 2 * DAY, item="PUMP"),
		facts("C", BASE - DAY, item="PUMP"),
		facts("A", BASE - 2 * DAY, item="PUMP"),
	]
	assert [m.name for m in find_repeats(new, earlier, 30 * DAY)] == ["C", "A", "B"]


def test_aware_datetimes() -> None:
	shanghai = timezone(timedelta(hours=8))
	new = facts("NEW", datetime(2026, 3, 2, 8, 0, tzinfo=shanghai), item="PUMP")
	old = facts("OLD", datetime(2026, 3, 1, 1, 0, tzinfo=timezone.utc), item="PUMP")  # 23 h earlier
	assert find_repeats(new, [old], DAY) == [RepeatMatch("OLD", ("item",))]
	assert find_repeats(new, [old], 22 * HOUR) == []


def test_earlier_may_be_a_generator() -> None:
	new = facts("NEW", item="PUMP")
	assert len(find_repeats(new, (facts(f"E{i}", BASE - i * HOUR, item="PUMP") for i in range(3)), DAY)) == 3


def test_negative_window_is_rejected() -> None:
	with pytest.raises(ValueError, match="window"):
		find_repeats(facts("NEW"), [], -HOUR)


def test_window_must_be_a_timedelta() -> None:
	with pytest.raises(TypeError, match="window"):
		find_repeats(facts("NEW"), [], 30)  # type: ignore[arg-type]


@pytest.mark.parametrize("threshold", [0, 0.0, -0.1, 1.01, float("nan")])
def test_threshold_out_of_range_is_rejected(threshold: float) -> None:
	with pytest.raises(ValueError, match="subject_threshold"):
		find_repeats(facts("NEW"), [], DAY, subject_threshold=threshold)


def test_threshold_one_is_allowed() -> None:
	new = facts("NEW", subject="Pump leaks")
	assert find_repeats(new, [facts("OLD", BASE - HOUR, subject="PUMP LEAKS!")], DAY, 1.0) == [
		RepeatMatch("OLD", ("subject",))
	]


def test_facts_are_frozen() -> None:
	with pytest.raises(dataclasses.FrozenInstanceError):
		facts("NEW").name = "X"  # type: ignore[misc]


def oracle_repeats(
	new: ComplaintFacts, earlier: list[ComplaintFacts], window: timedelta, threshold: float
) -> list[RepeatMatch]:
	"""The rules spelled out plainly."""
	found = []
	for c in earlier:
		if c.customer != new.customer:
			continue
		if c.name == new.name:
			continue
		recent = new.received_on - window <= c.received_on and c.received_on <= new.received_on
		if not (c.is_open or recent):
			continue
		matched = []
		if c.serial_no not in (None, "") and c.serial_no == new.serial_no:
			matched.append("serial_no")
		if c.batch_no not in (None, "") and c.batch_no == new.batch_no:
			matched.append("batch_no")
		if c.item not in (None, "") and c.item == new.item:
			matched.append("item")
		if subject_similarity(c.subject, new.subject) >= threshold:
			matched.append("subject")
		if matched:
			found.append((BASE + 1000 * DAY - c.received_on, c.name, tuple(matched)))
	found.sort(key=lambda row: (row[0], row[1]))
	return [RepeatMatch(name, matched) for _, name, matched in found]


optional_codes = st.sampled_from([None, "", "X1", "X2"])
fact_subjects = st.sampled_from(
	["", "水泵漏水", "水泵 漏水！", "水泵漏水严重", "发票错误", "Pump leaks", "pump-LEAKS."]
)


def complaint_facts(name: str) -> st.SearchStrategy[ComplaintFacts]:
	return st.builds(
		ComplaintFacts,
		name=st.just(name),
		customer=st.sampled_from(["CUST-1", "CUST-2"]),
		received_on=st.integers(-96, 24).map(lambda hours: BASE + hours * HOUR),
		is_open=st.booleans(),
		subject=fact_subjects,
		item=optional_codes,
		batch_no=optional_codes,
		serial_no=optional_codes,
	)


# Earlier complaints are E0, E1, ... with the occasional copy of the new complaint itself.
repeat_scenarios = st.tuples(
	complaint_facts("NEW"),
	st.lists(st.one_of(complaint_facts("E"), complaint_facts("NEW")), max_size=8).map(
		lambda found: [
			c if c.name == "NEW" else dataclasses.replace(c, name=f"E{i}") for i, c in enumerate(found)
		]
	),
)


windows = st.integers(0, 120).map(lambda hours: hours * HOUR)
thresholds = st.sampled_from([0.01, 0.3, 0.6, 0.9, 1.0])


@examples(100)
@given(repeat_scenarios, windows, thresholds)
def test_find_repeats_matches_the_oracle(
	scenario: tuple[ComplaintFacts, list[ComplaintFacts]], window: timedelta, threshold: float
) -> None:
	new, earlier = scenario
	result = find_repeats(new, earlier, window, threshold)
	assert result == oracle_repeats(new, earlier, window, threshold)
	# Never other customers or the new complaint itself; fields always in MATCH_FIELDS order.
	by_name = {c.name: c for c in earlier}
	for match in result:
		assert match.name != new.name
		assert by_name[match.name].customer == new.customer
		assert match.matched_on
		assert list(match.matched_on) == [f for f in MATCH_FIELDS if f in match.matched_on]


@examples(60)
@given(repeat_scenarios, windows, windows, thresholds)
def test_widening_the_window_never_removes_a_match(
	scenario: tuple[ComplaintFacts, list[ComplaintFacts]],
	window: timedelta,
	extra: timedelta,
	threshold: float,
) -> None:
	new, earlier = scenario
	narrow = find_repeats(new, earlier, window, threshold)
	wide = find_repeats(new, earlier, window + extra, threshold)
	assert set(narrow) <= set(wide)


# --- customer defaults ---------------------------------------------------------------------------


@pytest.mark.parametrize(
	("customer", "group", "expected"),
	[
		(True, None, True),
		(True, False, True),
		(False, True, False),  # the customer's explicit "no" beats the group
		(None, True, True),
		(None, False, False),
		(None, None, False),
		(1, None, True),  # Frappe Check fields are 0/1
		(0, 1, False),
	],
)
def test_default_vip(customer: bool | None, group: bool | None, expected: bool) -> None:
	result = default_vip(customer, group)
	assert result is expected


# --- dates ---------------------------------------------------------------------------------------


def test_dates_in_order_have_no_problem() -> None:
	dates = {
		"order_date": date(2026, 1, 5),
		"shipping_date": date(2026, 1, 5),
		"arrival_date": date(2026, 1, 9),
	}
	assert check_date_order(dates) == []


def test_shipping_before_order_is_reported() -> None:
	dates = {"order_date": date(2026, 1, 10), "shipping_date": date(2026, 1, 5)}
	assert check_date_order(dates) == [DateProblem("shipping_date", "order_date")]


def test_missing_date_is_skipped_and_the_nearest_present_one_compared() -> None:
	dates = {"order_date": date(2026, 1, 10), "shipping_date": None, "arrival_date": date(2026, 1, 8)}
	assert check_date_order(dates) == [DateProblem("arrival_date", "order_date")]


def test_absent_keys_count_as_missing() -> None:
	assert check_date_order({"arrival_date": date(2026, 1, 8)}) == []
	assert check_date_order({}) == []


def test_each_date_is_compared_with_its_nearest_present_predecessor() -> None:
	dates = {
		"order_date": date(2026, 1, 10),
		"shipping_date": date(2026, 1, 5),
		"arrival_date": date(2026, 1, 4),
	}
	assert check_date_order(dates) == [
		DateProblem("shipping_date", "order_date"),
		DateProblem("arrival_date", "shipping_date"),
	]


def test_custom_order_mixing_date_and_datetime_compares_calendar_days() -> None:
	order = ("arrival_date", "received_on")
	same_day = {"arrival_date": date(2026, 1, 8), "received_on": datetime(2026, 1, 8, 0, 30)}
	day_before = {"arrival_date": date(2026, 1, 8), "received_on": datetime(2026, 1, 7, 23, 59)}
	assert check_date_order(same_day, order) == []
	assert check_date_order(day_before, order) == [DateProblem("received_on", "arrival_date")]


def test_two_datetimes_compare_exactly() -> None:
	order = ("assigned_on", "replied_on")
	dates = {"assigned_on": datetime(2026, 1, 8, 10, 0), "replied_on": datetime(2026, 1, 8, 9, 0)}
	assert check_date_order(dates, order) == [DateProblem("replied_on", "assigned_on")]


def test_repeated_field_in_order_is_rejected() -> None:
	with pytest.raises(ValueError, match="order_date"):
		check_date_order({}, ("order_date", "order_date"))


DATE_FIELDS = ("order_date", "shipping_date", "arrival_date", "received_on")
optional_dates = st.one_of(st.none(), st.dates(date(2025, 12, 25), date(2026, 1, 10)))


@examples(60)
@given(st.lists(optional_dates, min_size=4, max_size=4))
def test_sorted_dates_have_no_problem(values: list[date | None]) -> None:
	present = iter(sorted(v for v in values if v is not None))
	ordered = [None if v is None else next(present) for v in values]
	assert check_date_order(dict(zip(DATE_FIELDS, ordered, strict=True)), DATE_FIELDS) == []


@examples(60)
@given(st.lists(optional_dates, min_size=4, max_size=4))
def test_a_backwards_date_is_always_found(values: list[date | None]) -> None:
	dates = dict(zip(DATE_FIELDS, values, strict=True))
	problems = check_date_order(dates, DATE_FIELDS)
	present = [(i, v) for i, v in enumerate(values) if v is not None]
	backwards = any(
		later < earlier for n, (_, earlier) in enumerate(present) for _, later in present[n + 1 :]
	)
	assert bool(problems) == backwards
	for problem in problems:
		later, earlier = dates[problem.field], dates[problem.must_not_precede]
		assert later is not None and earlier is not None and later < earlier
		assert DATE_FIELDS.index(problem.must_not_precede) < DATE_FIELDS.index(problem.field)
