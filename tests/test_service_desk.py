"""Tier 1: the service desk's side of a complaint (domain/service_desk.py) — what an escalated ticket is told,
and which new tickets the escalation rules escalate or suggest."""

import pytest

from complaint_handling.domain import service_desk as desk
from complaint_handling.domain.statuses import COMPLAINT_STATUSES

STATUSES = [s.name for s in COMPLAINT_STATUSES]


def test_the_ticket_learns_registration_decision_and_closing_only():
	told = {
		status: desk.public_stage(None if status == "Registered" else "Registered", status)
		for status in STATUSES
	}
	assert {s: t for s, t in told.items() if t} == {
		"Registered": "Registered",
		"Replied": "Decision",
		"Closed": "Closed",
	}


@pytest.mark.parametrize("status", STATUSES)
def test_a_save_without_a_move_tells_nothing(status):
	assert desk.public_stage(status, status) is None


def test_a_dispute_then_a_ruling_tells_the_closing_once():
	assert desk.public_stage("Replied", "Disputed") is None
	assert desk.public_stage("Disputed", "Closed") == "Closed"


def test_the_ticket_waits_on_hold_until_the_complaint_closes():
	assert {desk.ticket_status(s) for s in STATUSES if s != "Closed"} == {"On Hold"}
	assert desk.ticket_status("Closed") == "Resolved"


def test_the_outcome_is_the_final_ruling_after_a_dispute():
	assert desk.outcome("<p>Refund</p>", None) == "<p>Refund</p>"
	assert desk.outcome("<p>Refund</p>", "<p>Replace</p>") == "<p>Replace</p>"
	assert desk.outcome(None, "  ") == ""


def test_subject_words_one_per_line_or_comma_without_repeats():
	assert desk.subject_words("broken, leaking\n  Broken \n\nsmells  of smoke") == (
		"broken",
		"leaking",
		"smells of smoke",
	)
	assert desk.subject_words(None) == ()


def ticket(**facts):
	return desk.TicketFacts(**{"issue_type": None, "priority": None, "subject": "", **facts})


def rule(action=desk.SUGGEST, **conditions):
	return desk.EscalationRule(name="r", action=action, **conditions)


def test_a_rule_without_conditions_matches_nothing():
	assert not desk.matches(rule(), ticket(subject="anything"))


def test_every_condition_of_a_rule_must_hold():
	both = rule(issue_type="Complaint", priority="High")
	assert desk.matches(both, ticket(issue_type="Complaint", priority="High"))
	assert not desk.matches(both, ticket(issue_type="Complaint", priority="Low"))
	assert not desk.matches(both, ticket(issue_type="Question", priority="High"))


def test_words_match_anywhere_in_the_subject_ignoring_case_and_spacing():
	words = rule(subject_words=("leaking", "smells of smoke"))
	assert desk.matches(words, ticket(subject="Pump LEAKING since Monday"))
	assert desk.matches(words, ticket(subject="It smells  of   smoke"))
	assert not desk.matches(words, ticket(subject="Invoice question"))


@pytest.mark.parametrize(("days", "expected"), [(None, False), (0.2, True), (30.0, True), (30.5, False)])
def test_a_repeat_within_the_days(days, expected):
	assert desk.matches(rule(repeat_within_days=30), ticket(days_since_previous=days)) is expected


def test_an_escalating_rule_wins_over_a_suggesting_one():
	suggest = desk.EscalationRule(name="suggest", action=desk.SUGGEST, priority="High")
	escalate = desk.EscalationRule(name="escalate", action=desk.ESCALATE, subject_words=("fire",))
	assert desk.decide([suggest, escalate], ticket(priority="High", subject="fire")) == escalate
	assert desk.decide([suggest, escalate], ticket(priority="High", subject="late")) == suggest
	assert desk.decide([suggest, escalate], ticket(priority="Low", subject="late")) is None
