# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, get_time

from complaint_handling.domain.public_holidays import public_holidays
from complaint_handling.service_levels import clocks, policies


class PolicyError(frappe.ValidationError):
	"""An SLA policy that cannot be applied as entered (time zone, windows, repeated or empty rows)."""


class ComplaintSLAPolicy(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from complaint_handling.complaint_handling.doctype.complaint_make_up_day.complaint_make_up_day import (
			ComplaintMakeupDay,
		)
		from complaint_handling.complaint_handling.doctype.complaint_sla_route_timer.complaint_sla_route_timer import (
			ComplaintSLARouteTimer,
		)
		from complaint_handling.complaint_handling.doctype.complaint_sla_target.complaint_sla_target import (
			ComplaintSLATarget,
		)
		from complaint_handling.complaint_handling.doctype.complaint_sla_timer.complaint_sla_timer import (
			ComplaintSLATimer,
		)
		from complaint_handling.complaint_handling.doctype.complaint_working_window.complaint_working_window import (
			ComplaintWorkingWindow,
		)

		applies_to_company: DF.Link | None
		applies_to_customer_group: DF.Link | None
		applies_to_territory: DF.Link | None
		category: DF.Link | None
		enabled: DF.Check
		holiday_list: DF.Link | None
		make_up_days: DF.Table[ComplaintMakeupDay]
		make_up_weekday: DF.Literal[
			"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
		]
		policy_name: DF.Data
		priority: DF.Int
		route_timers: DF.Table[ComplaintSLARouteTimer]
		severity: DF.Literal["", "General", "Major", "Urgent"]
		targets: DF.Table[ComplaintSLATarget]
		time_zone: DF.Autocomplete
		timers: DF.Table[ComplaintSLATimer]
		vip: DF.Literal["", "Yes", "No"]
		working_windows: DF.Table[ComplaintWorkingWindow]

	# end: auto-generated types
	def validate(self) -> None:
		try:
			ZoneInfo(self.time_zone)
		except (ZoneInfoNotFoundError, ValueError):
			frappe.throw(
				_("{0}: {1} is not a time zone (e.g. Asia/Shanghai).").format(_("Time Zone"), self.time_zone),
				PolicyError,
			)
		for row in self.working_windows:
			if get_time(row.start_time) == get_time(row.end_time):
				frappe.throw(
					_("Working window row {0}: start and end must differ.").format(row.idx), PolicyError
				)
		self.check_unique("targets", lambda row: row.severity, _("Targets by Severity"))
		self.check_unique("timers", lambda row: (row.document_type, row.workflow_state), _("Timers"))
		self.check_unique("route_timers", lambda row: row.timer, _("Route Timers"))
		for row in self.route_timers:
			if not row.allowed_hours or row.allowed_hours <= 0:
				frappe.throw(
					_("Route Timers (row {0}): {1} must be more than 0.").format(
						row.idx, _("Allowed (Hours)")
					),
					PolicyError,
				)
		for row in self.timers:
			if not row.pauses and not row.allowed_hours and not row.due_field:
				frappe.throw(
					_("Timer {0} (row {1}): enter Allowed (Hours) or Due From Field.").format(
						row.timer, row.idx
					),
					PolicyError,
				)

	def on_update(self) -> None:
		"""Open complaints and memos follow the edited policy (in the background; inline in tests)."""
		frappe.clear_document_cache(self.doctype, self.name)
		policies.forget_policy_scopes()
		frappe.enqueue(
			"complaint_handling.service_levels.retiming.retime_open_documents",
			policy=self.name,
			enqueue_after_commit=True,
			now=bool(frappe.flags.in_test),
		)

	def on_trash(self) -> None:
		policies.forget_policy_scopes()

	def after_rename(self, old: str, new: str, merge: bool = False) -> None:
		policies.forget_policy_scopes()

	def check_unique(self, table: str, key, label: str) -> None:
		seen = set()
		for row in self.get(table):
			if key(row) in seen:
				frappe.throw(_("{0}: row {1} repeats {2}.").format(label, row.idx, key(row)), PolicyError)
			seen.add(key(row))

	@frappe.whitelist()
	def load_public_holidays(self, year: int, country: str = "CN") -> dict:
		"""One action loads a year's public holidays into the Holiday List and its make-up days here."""
		self.check_permission("write")
		year = cint(year)
		try:
			loaded = public_holidays(country, year)
		except ValueError:
			frappe.throw(_("No public holiday calendar is known for country {0}.").format(country))
		holiday_list = self.holiday_list or f"{self.policy_name} {_('Holidays')}"
		if not frappe.db.exists("Holiday List", holiday_list):
			frappe.get_doc(
				{
					"doctype": "Holiday List",
					"holiday_list_name": holiday_list,
					"from_date": f"{year}-01-01",
					"to_date": f"{year}-12-31",
				}
			).insert()
		listing = frappe.get_doc("Holiday List", holiday_list)
		listing.from_date = min(str(listing.from_date), f"{year}-01-01")
		listing.to_date = max(str(listing.to_date), f"{year}-12-31")
		known = {str(row.holiday_date) for row in listing.holidays}
		for day, name in loaded.holidays:
			if str(day) not in known:
				listing.append("holidays", {"holiday_date": day, "description": name})
		listing.save()
		self.holiday_list = holiday_list
		have = {str(row.date) for row in self.make_up_days}
		for day in loaded.make_up_days:
			if str(day) not in have:
				self.append("make_up_days", {"date": day, "description": _("Make-up working day")})
		self.save()
		return {"holidays": len(loaded.holidays), "make_up_days": len(loaded.make_up_days)}
