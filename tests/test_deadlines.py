"""Tier 1: the complaint-wide deadlines (domain/deadlines.py) and the SLA status and policy helpers that
the shell now calls instead of re-deriving them (domain/service_levels.py)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint_handling.domain.calendar import Calendar, weekly_windows
from complaint_handling.domain.deadlines import (
	MET,
	MISSED,
	REPORTED_STATUSES,
	Progress,
	answers_customer,
	clocks_wanted,
	progress_of,
	reaches_customer,
	stop_instant,
	stopped_status,
)
from complaint_handling.domain.routing import (
	CUSTOMER_REPLY,
	DIRECTOR_REPORT,
	FIRST_RESPONSE,
	ON_SITE,
	RESOLUTION,
	RoutingFacts,
	route,
)
from complaint_handling.domain.service_levels import (
	BREACHED,
	DEFAULT_WARN_AT,
	ON_TRACK,
	PAUSED,
	WARNING,
	Deadline,
	Timer,
	deadline,
	deadline_until,
	document_status,
	escalation_chain,
	next_escalation_at,
	timer_status,
	warn_fraction,
)
from complaint_handling.domain.statuses import CLOSED, IN_PROGRESS, PROPOSED, REGISTERED, REPLIED

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = Calendar(weekly_windows(range(5), ("08:30", "12:00"), ("13:30", "17:30")), timezone="Asia/Shanghai")
HOURS = timedelta(hours=1)


def sh(*args: int) -> datetime:
	return datetime(*args, tzinfo=SHANGHAI)


# --- which clocks run ----------------------------------------------------------------------------


def test_every_complaint_with_a_target_has_first_response_and_resolution() -> None:
	assert clocks_wanted((), has_target=True) == (FIRST_RESPONSE, RESOLUTION)
	assert clocks_wanted((), has_target=False) == ()


def test_director_report_and_customer_reply_only_where_the_route_lists_them() -> None:
	inside = route(RoutingFacts("Policy / Customer Service", 100.0))
	across = route(RoutingFacts("Policy / Customer Service", 100.0, departments_involved=2))
	beyond = route(RoutingFacts("Policy / Customer Service", 10_000.0))
	assert clocks_wanted(inside.timers, True) == (FIRST_RESPONSE, RESOLUTION)
	for escalated in (across, beyond):
		assert clocks_wanted(escalated.timers, True) == (
			FIRST_RESPONSE,
			RESOLUTION,
			DIRECTOR_REPORT,
			CUSTOMER_REPLY,
		)
	quality = route(RoutingFacts("Product Quality", 100.0))
	assert ON_SITE in quality.timers and clocks_wanted(quality.timers, True) == (FIRST_RESPONSE, RESOLUTION)


def test_route_timers_must_be_a_collection() -> None:
	with pytest.raises(TypeError):
		clocks_wanted("director_report", True)


# --- what stops them -----------------------------------------------------------------------------


def test_first_response_stops_at_the_first_reply() -> None:
	started = sh(2026, 11, 24, 9, 0)
	assert stop_instant(FIRST_RESPONSE, started, Progress()) is None
	reply = sh(2026, 11, 24, 10, 0)
	assert stop_instant(FIRST_RESPONSE, started, Progress(first_reply_at=reply, last_reply_at=reply)) == reply


def test_customer_reply_needs_a_reply_after_its_clock_started() -> None:
	started = sh(2026, 11, 25, 9, 0)  # the route was escalated a day after the first reply
	earlier = Progress(first_reply_at=sh(2026, 11, 24, 10, 0), last_reply_at=sh(2026, 11, 24, 10, 0))
	assert stop_instant(CUSTOMER_REPLY, started, earlier) is None
	later = Progress(first_reply_at=sh(2026, 11, 24, 10, 0), last_reply_at=sh(2026, 11, 25, 11, 0))
	assert stop_instant(CUSTOMER_REPLY, started, later) == sh(2026, 11, 25, 11, 0)


def test_director_report_stops_when_a_proposal_reaches_the_approvers() -> None:
	now = sh(2026, 11, 24, 15, 0)
	started = sh(2026, 11, 24, 9, 0)
	assert stop_instant(DIRECTOR_REPORT, started, progress_of(IN_PROGRESS, None, None, now)) is None
	assert stop_instant(DIRECTOR_REPORT, started, progress_of(PROPOSED, None, None, now)) == now
	assert REGISTERED not in REPORTED_STATUSES and IN_PROGRESS not in REPORTED_STATUSES


def test_closing_stops_every_clock_and_an_earlier_stop_is_kept() -> None:
	now, started = sh(2026, 12, 1, 9, 0), sh(2026, 11, 24, 9, 0)
	closed = progress_of(CLOSED, None, None, now)
	for key in (FIRST_RESPONSE, RESOLUTION, DIRECTOR_REPORT, CUSTOMER_REPLY):
		assert stop_instant(key, started, closed) == now
		assert stop_instant(key, started, closed, stopped_at=sh(2026, 11, 25, 9, 0)) == sh(2026, 11, 25, 9, 0)


def test_unknown_clock_is_refused() -> None:
	with pytest.raises(ValueError, match="unknown clock"):
		stop_instant("on_site", sh(2026, 11, 24, 9, 0), Progress())


def test_met_or_missed() -> None:
	due = sh(2026, 11, 24, 11, 0)
	assert stopped_status(due, sh(2026, 11, 24, 10, 59)) == MET
	assert stopped_status(due, due) == MISSED
	assert stopped_status(due, sh(2026, 11, 24, 13, 0)) == MISSED


def test_moving_to_replied_is_the_formal_reply() -> None:
	assert answers_customer(IN_PROGRESS, REPLIED) and answers_customer(None, REPLIED)
	assert not answers_customer(REPLIED, REPLIED) and not answers_customer(PROPOSED, CLOSED)


# --- which reply reaches the customer ------------------------------------------------------------

CUSTOMER = ["Buyer@Customer.example.com"]


def test_a_staff_email_to_the_complainant_counts() -> None:
	assert reaches_customer("Sent", "Communication", "Email", ["buyer@customer.example.com"], CUSTOMER)


def test_an_email_to_someone_else_or_received_does_not() -> None:
	assert not reaches_customer("Sent", "Communication", "Email", ["colleague@example.com"], CUSTOMER)
	assert not reaches_customer("Received", "Communication", "Email", CUSTOMER, CUSTOMER)
	assert not reaches_customer("Sent", "Communication", "Email", [], [])


def test_a_logged_call_counts_without_an_address() -> None:
	for medium in ("Phone", "SMS", "Chat", "Visit", "Meeting"):
		assert reaches_customer("Sent", "Communication", medium, [], [])
	assert not reaches_customer("Sent", "Communication", "Other", [], [])


def test_the_acknowledgement_counts_only_when_the_setting_says_so() -> None:
	assert not reaches_customer("Sent", "Automated Message", "Email", CUSTOMER, CUSTOMER)
	assert reaches_customer("Sent", "Automated Message", "Email", CUSTOMER, CUSTOMER, automated_counts=True)


def test_comments_and_notifications_never_count() -> None:
	for kind in ("Comment", "Notification", "Feedback", None):
		assert not reaches_customer("Sent", kind, "Email", CUSTOMER, CUSTOMER, automated_counts=True)


# --- the document's SLA status -------------------------------------------------------------------


def test_document_status_is_the_worst_running_deadline() -> None:
	assert document_status([]) == ON_TRACK
	assert document_status([ON_TRACK, WARNING]) == WARNING
	assert document_status([WARNING, BREACHED, ON_TRACK]) == BREACHED
	assert document_status([WARNING], paused=True) == PAUSED
	assert document_status([BREACHED], paused=True) == BREACHED, "a pause does not hide a running breach"


def test_document_status_refuses_unknown_statuses() -> None:
	with pytest.raises(ValueError):
		document_status(["Late"])


@given(st.lists(st.sampled_from([ON_TRACK, WARNING, BREACHED])), st.booleans())
def test_document_status_does_not_depend_on_order(statuses: list[str], paused: bool) -> None:
	assert document_status(statuses, paused) == document_status(list(reversed(statuses)), paused)


def test_timer_status_without_a_warning_instant() -> None:
	due = sh(2026, 11, 24, 11, 0)
	assert timer_status(None, due, sh(2026, 11, 24, 10, 59)) == ON_TRACK
	assert timer_status(None, due, due) == BREACHED
	assert timer_status(sh(2026, 11, 24, 10, 0), due, sh(2026, 11, 24, 10, 0)) == WARNING


# --- policy helpers ------------------------------------------------------------------------------


def test_warn_fraction_defaults_and_bounds() -> None:
	assert warn_fraction(None) == warn_fraction(0) == DEFAULT_WARN_AT
	assert warn_fraction(50) == 0.5
	assert warn_fraction(150) == 1.0 and warn_fraction(0.001) == 0.01
	with pytest.raises(ValueError):
		warn_fraction("80")


def test_escalation_chain_from_text() -> None:
	assert escalation_chain(" Handler, ,Marketing Director ,") == ("Handler", "Marketing Director")
	assert escalation_chain(None) == ()


def test_next_escalation_follows_the_interval_and_stops_at_the_top() -> None:
	timer = Timer(
		CUSTOMER_REPLY,
		24 * HOURS,
		False,
		escalation=("Handler", "Marketing Director"),
		escalate_every=2 * HOURS,
	)
	limits = deadline(OFFICE, timer, sh(2026, 11, 24, 9, 0))
	assert next_escalation_at(OFFICE, timer, limits, 0) == sh(2026, 11, 25, 9, 0)
	assert next_escalation_at(OFFICE, timer, limits, 1) == sh(2026, 11, 25, 11, 0)
	assert next_escalation_at(OFFICE, timer, limits, 2) is None


def test_deadline_until_a_requested_date() -> None:
	start, due = sh(2026, 11, 24, 12, 0), sh(2026, 11, 25, 8, 0)
	limits = deadline_until(start, due, 0.5)
	assert (limits.started_at, limits.warn_at, limits.due_at) == (start, sh(2026, 11, 24, 22, 0), due)
	past = deadline_until(sh(2026, 11, 26, 9, 0), due)
	assert past == Deadline(due, due, due), "a date already past starts and warns at itself"
	with pytest.raises(ValueError):
		deadline_until(start, due, 0)
