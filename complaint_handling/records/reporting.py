"""The management reports' queries (docs/procedure.md §8, issue 14): each aggregates in one SQL statement on
indexed columns, over the complaints the viewer may see (permissions.complaint_conditions); the shaping is
domain/reporting.py. The Script Reports under report/ call these and add columns and charts."""

import frappe
from frappe import _
from frappe.utils import add_days, escape_html, flt, getdate, now_datetime

from complaint_handling.access.permissions import complaint_conditions, penalty_conditions
from complaint_handling.domain import reporting
from complaint_handling.domain.statuses import open_statuses
from complaint_handling.integrations.erpnext.companies import allowed_companies
from complaint_handling.integrations.erpnext.people import is_website_user
from complaint_handling.service_levels import clocks

COMPLAINT = "`tabCustomer Complaint`"
# what a complaint report may be grouped by: label -> (column of the complaint, fieldtype, options)
COMPLAINT_GROUPS: dict[str, tuple[str, str, str]] = {
	"Category": ("category", "Link", "Complaint Category"),
	"Territory": ("territory", "Link", "Territory"),
	"Item": ("item", "Link", "Item"),
	"Batch": ("batch_no", "Link", "Batch"),
	"Customer": ("customer", "Link", "Customer"),
	"Handler": ("handler", "Link", "User"),
	"Status": ("status", "Data", ""),
	"Handling Department": ("handling_department", "Link", "Department"),
	"Company": ("company", "Link", "Company"),
}


class ReportFilterError(frappe.ValidationError):
	"""A report filter that cannot be used (named in the message)."""


def check_choice(value, allowed, label: str, default: str) -> str:
	value = value or default
	if value not in allowed:
		frappe.throw(
			_("{0}: choose one of {1}.").format(_(label), ", ".join(_(a) for a in allowed)), ReportFilterError
		)
	return value


def date_range(filters, default_days: int = 365):
	"""(from, to) dates of the filters, or a clear 4xx naming the filter."""
	today = getdate()
	values = []
	for key, label, default in (
		("from_date", "From Date", add_days(today, -default_days)),
		("to_date", "To Date", today),
	):
		raw = filters.get(key) or default
		try:
			values.append(getdate(raw))
		except Exception:
			frappe.throw(
				_("{0}: {1} is not a date.").format(_(label), frappe.bold(escape_html(str(raw)[:40]))),
				ReportFilterError,
			)
	if values[1] < values[0]:
		frappe.throw(_("{0} is before {1}.").format(_("To Date"), _("From Date")), ReportFilterError)
	return values


def company_filter(filters) -> str | None:
	"""The report's Company filter (blank = every company the viewer may see), or a clear 4xx naming it."""
	company = filters.get("company") or None
	if company is None:
		return None
	allowed = allowed_companies()
	if not isinstance(company, str) or not frappe.db.exists("Company", company):
		frappe.throw(
			_("{0}: {1} is not a company.").format(_("Company"), frappe.bold(escape_html(str(company)[:40]))),
			ReportFilterError,
		)
	if allowed is not None and company not in allowed:
		frappe.throw(
			_("{0}: you may see {1} only.").format(_("Company"), ", ".join(allowed)), frappe.PermissionError
		)
	return company


def of_company(company: str | None, table: str = COMPLAINT) -> str:
	"""` and <table>.company = …` for a report filtered to one company."""
	return f" and {table}.`company` = {frappe.db.escape(company)}" if company else ""


def restrict_to_visible(table: str = COMPLAINT, company: str | None = None) -> str:
	conditions = complaint_conditions(table=table)
	return (f" and {conditions}" if conditions else "") + of_company(company, table)


# Complaints by category / territory / item / batch / dealer over time --------------------------------

# integer period keys group fastest; the labels are made in Python (domain/reporting.py)
PERIOD_SQL = {
	"Weekly": "yearweek({0}, 3)",
	"Monthly": "extract(year_month from {0})",
	"Quarterly": "year({0}) * 10 + quarter({0})",
	"Yearly": "year({0})",
}


def complaints_over_time(
	group: str, period: str, start, end, company: str | None = None
) -> tuple[list[str], list[tuple]]:
	"""(period labels, [(group, counts per period, total)]) of complaints received from `start` to `end`."""
	column = COMPLAINT_GROUPS[group][0]
	period_sql = PERIOD_SQL[period].format(f"{COMPLAINT}.received_on")
	rows = frappe.db.sql(
		f"""select {COMPLAINT}.`{column}` as grp, {period_sql} as period, count(*) as n
		from {COMPLAINT}
		where {COMPLAINT}.received_on >= %(start)s and {COMPLAINT}.received_on < %(end)s {restrict_to_visible(company=company)}
		group by grp, period""",
		{"start": start, "end": add_days(end, 1)},
	)
	labels = reporting.periods_between(start, end, period)
	return labels, reporting.pivot([(g, reporting.period_label(p, period), n) for g, p, n in rows], labels)


# Open complaints by age ---------------------------------------------------------------------------


def open_by_age(group: str, edges: tuple[int, ...], company: str | None = None) -> list[dict]:
	"""Open complaints per group, counted in age buckets (days since received) and in total."""
	column = COMPLAINT_GROUPS[group][0]
	now = now_datetime()
	buckets = []
	previous = None
	for i, edge in enumerate(edges):
		newer_than = f"{COMPLAINT}.received_on > %(edge{i})s"
		buckets.append(
			f"sum({newer_than}{f' and {COMPLAINT}.received_on <= %(edge{i - 1})s' if previous else ''}) as b{i}"
		)
		previous = edge
	buckets.append(f"sum({COMPLAINT}.received_on <= %(edge{len(edges) - 1})s) as b{len(edges)}")
	params = {f"edge{i}": add_days(now, -edge) for i, edge in enumerate(edges)}
	params["open"] = open_statuses("Customer Complaint")
	return frappe.db.sql(
		f"""select {COMPLAINT}.`{column}` as grp, count(*) as total, {", ".join(buckets)},
			min({COMPLAINT}.received_on) as oldest
		from {COMPLAINT}
		where {COMPLAINT}.status in %(open)s {restrict_to_visible(company=company)}
		group by grp
		order by total desc""",
		params,
		as_dict=True,
	)


# SLA compliance per timer, target and handler ------------------------------------------------------

SLA_GROUPS: dict[str, str] = {
	"Timer": "clock.timer",
	"Handler": "clock.handler",
	"Policy": "clock.policy",
	"Territory": "clock.territory",
	"Company": "clock.company",
}


def sla_compliance(group: str, start, end, company: str | None = None) -> list[dict]:
	"""Deadlines started in the range: met, missed, running past due, still inside; compliance in percent.
	Each clock carries its complaint's columns of the visibility rule (service_levels/clocks.py), so the rule
	applies to the clocks alone, read from one index; a portal user's rule (by customer) joins the complaint."""
	if is_website_user(frappe.session.user):
		visible, source = (
			restrict_to_visible(company=company),
			f"join {COMPLAINT} on {COMPLAINT}.name = clock.complaint",
		)
	else:
		visible = restrict_to_visible(table="clock", company=company)
		# a user who sees some complaints: the clocks of the range with the rule's columns, from one index; the
		# optimiser would rather walk the whole per-timer index for a wide range (8 s for 3 months, P5)
		source = f"force index ({clocks.VISIBILITY_INDEX})" if visible else ""
	rows = frappe.db.sql(
		f"""select {SLA_GROUPS[group]} as grp,
			sum(clock.stopped_at is not null and clock.stopped_at <= clock.due_at) as on_time,
			sum(clock.stopped_at is not null and clock.stopped_at > clock.due_at) as late,
			sum(clock.stopped_at is null and clock.running = 1 and clock.due_at < %(now)s) as overdue,
			sum(clock.stopped_at is null and clock.running = 1 and clock.due_at >= %(now)s) as running,
			count(*) as clocks
		from `tabComplaint SLA Clock` clock {source}
		where clock.started_at >= %(start)s and clock.started_at < %(end)s {visible}
		group by grp
		order by grp""",
		{"start": start, "end": add_days(end, 1), "now": now_datetime()},
		as_dict=True,
	)
	for row in rows:
		row.compliance = reporting.compliance(
			int(row.on_time or 0), int(row.late or 0), int(row.overdue or 0)
		)
	return rows


# Cost of poor quality ----------------------------------------------------------------------------

COST_GROUPS: dict[str, tuple[str, str, str]] = {
	"Item": ("di.item", "Link", "Item"),
	"Batch": ("coalesce(nullif(di.batch_no, ''), sn.batch_no)", "Link", "Batch"),
	"Month": ("date_format(di.creation, '%%Y-%%m')", "Data", ""),
}


def cost_of_poor_quality(group: str, start, end, company: str | None = None) -> list[dict]:
	"""Per item, batch or month of inspection: freight, replacements, credits, repairs (labour) and penalties."""
	expr = COST_GROUPS[group][0]
	visible = complaint_conditions(table=COMPLAINT)
	rows = frappe.db.sql(
		f"""select {expr} as grp, count(*) as inspections,
			sum(ifnull(fr.freight, 0)) as freight,
			sum(ifnull(dn.replacements, 0)) as replacements,
			sum(ifnull(si.credits, 0)) as credits,
			sum(ifnull(di.labour_days, 0) * ifnull(di.labour_rate, 0)) as repairs,
			sum(ifnull(pe.penalties, 0)) as penalties
		from `tabDefect Inspection` di
		join {COMPLAINT} on {COMPLAINT}.name = di.complaint
		left join `tabSerial No` sn on sn.name = di.serial_no
		left join (select parent, sum(amount) as freight from `tabDefect Inspection Freight`
			where parenttype = 'Defect Inspection' group by parent) fr on fr.parent = di.name
		left join (select defect_inspection, sum(base_grand_total) as replacements from `tabDelivery Note`
			where docstatus = 1 and is_return = 0 and ifnull(defect_inspection, '') != ''
			group by defect_inspection) dn on dn.defect_inspection = di.name
		left join (select defect_inspection, -sum(base_grand_total) as credits from `tabSales Invoice`
			where docstatus = 1 and is_return = 1 and ifnull(defect_inspection, '') != ''
			group by defect_inspection) si on si.defect_inspection = di.name
		left join (select inspection, sum(amount) as penalties from `tabComplaint Penalty`
			where docstatus = 1 and ifnull(inspection, '') != '' group by inspection) pe on pe.inspection = di.name
		where di.creation >= %(start)s and di.creation < %(end)s {"and " + visible if visible else ""}
			{of_company(company)}
		group by grp
		order by grp""",
		{"start": start, "end": add_days(end, 1)},
		as_dict=True,
	)
	for row in rows:
		row.total = sum(flt(row[k]) for k in ("freight", "replacements", "credits", "repairs", "penalties"))
	return rows


# Satisfaction (CSAT) and follow-up calls ----------------------------------------------------------

SATISFACTION_GROUPS = ("Territory", "Handler", "Category", "Handling Department")


def satisfaction(group: str, start, end, company: str | None = None) -> list[dict]:
	"""Surveys per group: how many, the mean score, how many below the low-score threshold and their share."""
	column = COMPLAINT_GROUPS[group][0]
	rows = frappe.db.sql(
		f"""select ifnull({COMPLAINT}.`{column}`, '') as grp, count(*) as surveys,
			round(avg(fb.satisfaction_score), 1) as mean_score,
			sum(fb.satisfaction_score < %(threshold)s) as low
		from `tabQuality Feedback` fb
		join {COMPLAINT} on {COMPLAINT}.name = fb.customer_complaint
		where date(fb.creation) between %(start)s and %(end)s {restrict_to_visible(company=company)}
		group by grp
		order by mean_score asc, surveys desc""",
		{
			"threshold": flt(frappe.db.get_single_value("Complaint Settings", "survey_low_score")),
			"start": start,
			"end": end,
		},
		as_dict=True,
	)
	for row in rows:
		row.low_share = round(100 * flt(row.low) / row.surveys, 1) if row.surveys else 0
	return rows


def follow_up_calls_by_level(start, end, company: str | None = None) -> list[dict]:
	"""Calls due in the range per level (audit apart): planned, done, each outcome, overdue, share satisfied."""
	today = getdate()
	rows = frappe.db.sql(
		f"""select fuc.level, fuc.is_audit, count(*) as calls,
			sum(fuc.status = 'Done') as done,
			sum(fuc.outcome = 'Satisfied') as satisfied,
			sum(fuc.outcome = 'Not Satisfied') as not_satisfied,
			sum(fuc.outcome = 'Not Reached') as not_reached,
			sum(fuc.status = 'Open' and fuc.due_on < %(today)s) as overdue
		from `tabComplaint Follow-up Call` fuc
		join {COMPLAINT} on {COMPLAINT}.name = fuc.complaint
		where fuc.due_on between %(start)s and %(end)s {restrict_to_visible(company=company)}
		group by fuc.level, fuc.is_audit
		order by fuc.is_audit, fuc.level""",
		{"start": start, "end": end, "today": today},
		as_dict=True,
	)
	for row in rows:
		row.satisfied_share = round(100 * flt(row.satisfied) / row.done, 1) if row.done else None
	return rows


# Penalties by party ------------------------------------------------------------------------------


def penalties_by_party(start, end, company: str | None = None) -> list[dict]:
	"""Per party: penalties proposed, approved, posted (with their amounts) and waived, by penalty date."""
	visible = penalty_conditions(frappe.session.user)
	return frappe.db.sql(
		f"""select `tabComplaint Penalty`.party_type, `tabComplaint Penalty`.party,
			max(`tabComplaint Penalty`.party_name) as party_name,
			count(*) as penalties,
			sum(`tabComplaint Penalty`.docstatus = 1) as posted,
			sum(if(`tabComplaint Penalty`.docstatus = 1, `tabComplaint Penalty`.amount, 0)) as posted_amount,
			sum(if(`tabComplaint Penalty`.docstatus = 0 and `tabComplaint Penalty`.status != 'Waived',
				`tabComplaint Penalty`.amount, 0)) as pending_amount,
			sum(`tabComplaint Penalty`.status = 'Waived') as waived,
			max(`tabComplaint Penalty`.terminates_cooperation) as terminates_cooperation
		from `tabComplaint Penalty`
		where `tabComplaint Penalty`.penalty_date between %(start)s and %(end)s
			and `tabComplaint Penalty`.docstatus < 2 {"and " + visible if visible else ""}
			{of_company(company, "`tabComplaint Penalty`")}
		group by `tabComplaint Penalty`.party_type, `tabComplaint Penalty`.party
		order by posted_amount desc, pending_amount desc""",
		{"start": start, "end": end},
		as_dict=True,
	)


@frappe.whitelist()
@frappe.read_only()  # the read replica may answer (access/replica.py)
def cost_this_month(filters: str | dict | None = None) -> dict:
	"""Number card: what product-quality complaints cost this month, over what the viewer may see."""
	from frappe.utils import get_first_day

	today = getdate()
	total = sum(flt(row.total) for row in cost_of_poor_quality("Month", get_first_day(today), today))
	return {"value": total, "fieldtype": "Currency"}
