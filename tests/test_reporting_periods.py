"""Tier 1: the report helpers of domain/reporting.py — periods, pivots, age buckets, compliance."""

from datetime import date

import pytest

from complaint_handling.domain.reporting import (
	age_edges,
	age_labels,
	compliance,
	period_label,
	period_of,
	periods_between,
	pivot,
)


@pytest.mark.parametrize(
	("period", "label"),
	[("Weekly", "2026-W07"), ("Monthly", "2026-02"), ("Quarterly", "2026-Q1"), ("Yearly", "2026")],
)
def test_period_labels(period, label):
	assert period_of(date(2026, 2, 14), period) == label


def test_iso_weeks_cross_the_year():
	assert period_of(date(2027, 1, 1), "Weekly") == "2026-W53"


def test_every_period_between_has_a_column():
	assert periods_between(date(2026, 1, 31), date(2026, 4, 1), "Monthly") == [
		"2026-01",
		"2026-02",
		"2026-03",
		"2026-04",
	]
	assert periods_between(date(2025, 12, 30), date(2026, 1, 12), "Weekly") == [
		"2026-W01",
		"2026-W02",
		"2026-W03",
	]
	assert periods_between(date(2025, 11, 1), date(2026, 2, 1), "Quarterly") == ["2025-Q4", "2026-Q1"]
	assert periods_between(date(2026, 2, 1), date(2026, 1, 1), "Monthly") == []
	with pytest.raises(ValueError):
		periods_between(date(2026, 1, 1), date(2026, 2, 1), "Daily")


def test_pivot_fills_gaps_and_orders_by_total():
	rows = [
		("Pumps", "2026-01", 2),
		("Filters", "2026-02", 5),
		("Pumps", "2026-03", 1),
		(None, "2026-01", 9),
		("x", "2025-12", 4),
	]
	assert pivot(rows, ["2026-01", "2026-02", "2026-03"]) == [
		(None, [9, 0, 0], 9),
		("Filters", [0, 5, 0], 5),
		("Pumps", [2, 0, 1], 3),
	]


def test_age_buckets():
	assert age_edges(None) == (1, 3, 7, 15)
	assert age_edges(" 2, 5,30") == (2, 5, 30)
	assert age_labels((1, 3)) == ["≤ 1 d", "1–3 d", "> 3 d"]
	for bad in ("3,1", "0,2", "a,b", "1,1"):
		with pytest.raises(ValueError):
			age_edges(bad)


def test_compliance():
	assert compliance(9, 1, 0) == 90.0
	assert compliance(1, 0, 1) == 50.0
	assert compliance(0, 0, 0) is None


@pytest.mark.parametrize(
	("key", "period", "label"),
	[
		(202607, "Weekly", "2026-W07"),
		(202602, "Monthly", "2026-02"),
		(20261, "Quarterly", "2026-Q1"),
		(2026, "Yearly", "2026"),
	],
)
def test_sql_period_keys_have_the_same_labels(key, period, label):
	assert (
		period_label(key, period)
		== label
		== period_of(
			{
				"Weekly": date(2026, 2, 14),
				"Monthly": date(2026, 2, 14),
				"Quarterly": date(2026, 2, 14),
				"Yearly": date(2026, 2, 14),
			}[period],
			period,
		)
	)
