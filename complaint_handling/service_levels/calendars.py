"""Working-hour calendars (docs/procedure.md §8): a policy's working windows, holidays and make-up days as a
domain/calendar.py Calendar, and Frappe's naive system-time datetimes made time-zone aware and back.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import frappe
from frappe.utils import get_datetime, get_system_timezone, now_datetime
from frappe.utils import get_time as frappe_get_time

from complaint_handling.domain.calendar import Calendar, WorkingWindow

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def aware(value) -> datetime | None:
	if not value:
		return None
	return get_datetime(value).replace(tzinfo=ZoneInfo(get_system_timezone()))


def naive(value: datetime | None) -> datetime | None:
	return value.astimezone(ZoneInfo(get_system_timezone())).replace(tzinfo=None) if value else None


def now_aware(now=None) -> datetime:
	return aware(now or now_datetime())


# One calendar per site and policy, rebuilt when the policy or its holiday list changes: a worker serving
# many sites holds at most one per policy of each, never one per edit (the version replaces the old entry)
_calendars: dict[tuple[str, str], tuple[tuple[str, str], Calendar]] = {}


def calendar_of(policy) -> Calendar:
	"""The policy's calendar; rebuilt only when the policy or its holiday list changes."""
	holiday_modified = (
		frappe.db.get_value("Holiday List", policy.holiday_list, "modified") if policy.holiday_list else None
	)
	key, version = (frappe.local.site, policy.name), (str(policy.modified), str(holiday_modified))
	cached = _calendars.get(key)
	if cached and cached[0] == version:
		return cached[1]
	holidays = (
		frappe.get_all("Holiday", filters={"parent": policy.holiday_list}, pluck="holiday_date")
		if policy.holiday_list
		else []
	)
	calendar = Calendar(
		windows=tuple(
			WorkingWindow(WEEKDAYS.index(row.weekday), get_time(row.start_time), get_time(row.end_time))
			for row in policy.working_windows
		),
		timezone=policy.time_zone or get_system_timezone(),
		holidays=frozenset(get_datetime(d).date() for d in holidays),
		extra_working_days=frozenset(get_datetime(row.date).date() for row in policy.make_up_days),
		make_up_weekday=WEEKDAYS.index(policy.make_up_weekday or "Monday"),
	)
	_calendars[key] = (version, calendar)
	return calendar


def get_time(value):
	return frappe_get_time(value).replace(microsecond=0)
