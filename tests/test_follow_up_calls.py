"""Tier 1: planning follow-up calls after closure (domain/follow_up_calls.py)."""

from datetime import date

import pytest

from complaint_handling.domain.follow_up_calls import (
	AUDIT_LEVEL,
	FollowUpError,
	Level,
	PlannedCall,
	call_status,
	plan_calls,
)

CLOSED = date(2026, 11, 20)
LEVELS = [
	Level("Customer Service Centre", 1),
	Level("After-Sales Department", 3),
	Level("Dealer", 2, enabled=False),
]


def test_one_call_per_enabled_level_on_its_day():
	assert plan_calls(LEVELS, CLOSED, audit_share=0, draw=0.0) == [
		PlannedCall("Customer Service Centre", date(2026, 11, 21)),
		PlannedCall("After-Sales Department", date(2026, 11, 23)),
	]


@pytest.mark.parametrize(
	("share", "draw", "audited"), [(10, 0.0999, True), (10, 0.1, False), (0, 0.0, False), (100, 0.9999, True)]
)
def test_the_audit_sample_is_the_share_of_draws(share, draw, audited):
	calls = plan_calls([], CLOSED, audit_share=share, draw=draw, audit_days=5)
	assert calls == ([PlannedCall(AUDIT_LEVEL, date(2026, 11, 25), True)] if audited else [])


@pytest.mark.parametrize(
	("kwargs", "levels"),
	[
		({"audit_share": 10, "draw": 1.0}, []),
		({"audit_share": 10, "draw": -0.1}, []),
		({"audit_share": 101, "draw": 0.5}, []),
		({"audit_share": 10, "draw": 0.5}, [Level("Dealer", -1)]),
	],
)
def test_bad_plans_are_refused(kwargs, levels):
	with pytest.raises(FollowUpError):
		plan_calls(levels, CLOSED, **kwargs)


def test_status_follows_the_outcome():
	assert call_status(None) == "Open"
	assert call_status("Not Reached") == "Open"
	assert call_status("Satisfied") == "Done"
	assert call_status("Not Satisfied") == "Done"
	with pytest.raises(FollowUpError):
		call_status("Maybe")
