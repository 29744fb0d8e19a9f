"""Install hooks: give a new (or migrated) site what complaint handling needs. Safe to run again."""

import json
from pathlib import Path

import frappe

from complaint_handling.domain.routing import DEFAULT_LIMITS
from complaint_handling.integrations.erpnext.permissions import grant_erpnext_permissions
from complaint_handling.service_desk import helpdesk

WORKFLOWS = Path(__file__).parent.parent / "workflows"  # complaint_handling/workflows/

# The three categories (docs/procedure.md §1), each with its own handling path (§3, §5).
DEFAULT_CATEGORIES = (
	("Policy / Customer Service", "Policy / Customer Service"),
	("Staff Conduct", "Staff Conduct"),
	("Product Quality", "Product Quality"),
)


def after_install() -> None:
	install_default_categories()
	install_workflows()
	setup_defaults()
	install_default_authority_limits()
	install_default_sla_policies()
	grant_erpnext_permissions()
	install_default_penalty_rules()
	install_survey_template()
	install_follow_up_levels()
	index_assignments()
	helpdesk.setup()


def after_migrate() -> None:
	setup_defaults()
	index_assignments()
	helpdesk.setup()


ASSIGNMENT_INDEX = ("allocated_to", "status", "reference_type", "assigned_by", "reference_name")
ASSIGNMENT_INDEX_NAME = "allocated_status_reference_name"
FORMER_ASSIGNMENT_INDEX = "allocated_status_reference"  # without reference_name (until 0.8)


def index_assignments() -> None:
	"""The workspace's *My Open Complaints* counts the user's open ToDos on complaints (as Frappe's own
	"Assigned To" counts do) instead of testing `_assign like '%user%'` on every open complaint: an index on
	ToDo serves it, whatever the number of complaints, and holds the other columns ToDo's permission rule reads
	(`assigned_by`; `reference_name`, whose complaint the rule checks), so each ToDo is read from the index alone
	(benchmarks/README.md, P5)."""
	frappe.db.add_index("ToDo", list(ASSIGNMENT_INDEX), ASSIGNMENT_INDEX_NAME)
	if frappe.db.has_index("tabToDo", FORMER_ASSIGNMENT_INDEX):
		frappe.db.sql_ddl(f"alter table `tabToDo` drop index `{FORMER_ASSIGNMENT_INDEX}`")


def on_company_created(doc, method: str | None = None) -> None:
	"""The setup wizard creates the first company after the app may already be installed."""
	if not frappe.db.get_single_value("Complaint Settings", "company"):
		setup_defaults(doc.name)


def install_default_categories() -> None:
	"""Installed once (install, or the patch on existing sites): an administrator may rename or remove them."""
	for name, path in DEFAULT_CATEGORIES:
		if not frappe.db.exists("Complaint Category", name):
			frappe.get_doc(
				{"doctype": "Complaint Category", "category_name": name, "handling_path": path}
			).insert(ignore_permissions=True)


def setup_defaults(company: str | None = None) -> None:
	"""Fill policy values never set on this site, and point the settings at a company and its QA hold."""
	settings = frappe.get_single("Complaint Settings")
	missing = missing_policy_defaults(settings)
	company = settings.company or company or default_company()
	complete = settings.company == company and settings.qa_hold_warehouse and settings.penalty_income_account
	if not missing and (not company or complete):
		return
	settings.update(missing)
	if company:
		settings.company = company
		if not settings.get("penalty_income_account"):
			settings.penalty_income_account = penalty_income_account(company)
	settings.flags.ignore_permissions = True
	settings.save()


def penalty_income_account(company: str) -> str | None:
	"""An income account of the company for posted penalties (an administrator may choose another)."""
	return frappe.db.get_value(
		"Account",
		{
			"company": company,
			"root_type": "Income",
			"is_group": 0,
			"account_type": ["in", ["", "Income Account"]],
		},
		"name",
		order_by="lft desc",
	)


def missing_policy_defaults(settings) -> dict:
	"""Defaults of fields that have no stored value yet (new fields after an upgrade); edits are kept."""
	stored = set(
		frappe.db.sql("select field from `tabSingles` where doctype = %s", settings.doctype, pluck=True)
	)
	return {
		field.fieldname: field.default
		for field in settings.meta.fields
		if field.default is not None and field.fieldname not in stored
	}


def default_company() -> str | None:
	return frappe.defaults.get_global_default("company") or frappe.db.get_value(
		"Company", {}, "name", order_by="creation asc"
	)


def install_workflows() -> None:
	"""Install the default workflows once; an administrator's own or edited workflow is never replaced.

	Not fixtures: fixtures re-sync on every migrate and would wipe edits made in the Workflow screen.
	"""
	definitions = sorted(WORKFLOWS.glob("*.json"))
	if not definitions:
		raise FileNotFoundError(f"no workflow definitions in {WORKFLOWS}")
	for path in definitions:
		definition = json.loads(path.read_text(encoding="utf-8"))
		if frappe.db.exists("Workflow", definition["workflow_name"]) or frappe.db.exists(
			"Workflow", {"document_type": definition["document_type"], "is_active": 1}
		):
			continue
		for state in definition["states"]:
			style = state.pop("style", "")
			if not frappe.db.exists("Workflow State", state["state"]):
				frappe.get_doc(
					{"doctype": "Workflow State", "workflow_state_name": state["state"], "style": style}
				).insert(ignore_permissions=True)
		for action in {t["action"] for t in definition["transitions"]}:
			if not frappe.db.exists("Workflow Action Master", action):
				frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
					ignore_permissions=True
				)
		frappe.get_doc(definition).insert(ignore_permissions=True)


def install_default_authority_limits() -> None:
	"""The routing defaults as editable rows of Complaint Settings (only when the table is empty)."""

	settings = frappe.get_single("Complaint Settings")
	if settings.get("authority_limits"):
		return
	for limit in DEFAULT_LIMITS:
		settings.append(
			"authority_limits",
			{
				"party": limit.party,
				"handling_path": limit.handling_path,
				"max_amount": limit.max_amount if limit.max_amount != float("inf") else 999_999_999_999,
			},
		)
	settings.flags.ignore_permissions = True
	settings.save()


# The deadlines of docs/procedure.md §8 as the installed default policies.
OFFICE_WINDOWS = [("08:30:00", "12:00:00"), ("13:30:00", "17:30:00")]
# Who is warned and escalated to when a first response or resolution runs late (app defaults; the
# procedure names the deadlines, not the chain). The first party of a chain also gets the warning.
FIRST_RESPONSE_ESCALATION = "Complaint Clerk, Complaint Coordinator, Marketing Director"
RESOLUTION_ESCALATION = "Handler, Marketing Director, General Manager"
RESOLUTION_ESCALATE_EVERY = 24  # hours between levels once the 15 days have run out


def targets(first_response_hours: float, resolution_hours: float) -> list[dict]:
	"""The same clock-time targets for every severity, with the default escalation chains."""
	return [
		{
			"severity": severity,
			"first_response_hours": first_response_hours,
			"first_response_working": 0,
			"first_response_escalation": FIRST_RESPONSE_ESCALATION,
			"resolution_hours": resolution_hours,
			"resolution_working": 0,
			"resolution_escalation": RESOLUTION_ESCALATION,
			"resolution_escalate_every": RESOLUTION_ESCALATE_EVERY,
		}
		for severity in ("General", "Major", "Urgent")
	]


# first reply 2 h (7x24, clock), resolved within half a month (15 days, clock)
DEFAULT_TARGETS = targets(2, 360)
COMPLAINT_TIMERS = [
	# HQ clerk dispatches within 2 working hours (docs/procedure.md §8)
	(
		"Customer Complaint",
		"Registered",
		"memo_dispatch",
		2,
		1,
		"",
		0,
		"Complaint Coordinator, Marketing Director",
	),
	(
		"Customer Complaint",
		"Awaiting Approval",
		"approval",
		7.5,
		1,
		"",
		0,
		"Marketing Director, General Manager",
	),
	# the clerk replies within 1 working hour of the approved decision (docs/procedure.md §8)
	(
		"Customer Complaint",
		"Approved",
		"reply_after_approval",
		1,
		1,
		"",
		0,
		"Complaint Clerk, Complaint Coordinator",
	),
	# waiting for the customer to accept: resolution time pauses
	("Customer Complaint", "Replied to Customer", "customer_decision", 0, 1, "", 1, ""),
	("Complaint Memo", "Draft", "memo_dispatch", 2, 1, "", 0, "Complaint Coordinator"),
	# the department answers by the memo's requested reply time (docs/procedure.md §8)
	(
		"Complaint Memo",
		"Dispatched",
		"memo_reply",
		0,
		1,
		"reply_by",
		0,
		"Addressee, Department Head, Complaint Coordinator",
	),
]
# Cross-department or beyond authority (routing marks the route): reported to the marketing director within
# 1 working day, and the customer answered within 24 hours, clock time (docs/procedure.md §8). On every policy;
# they run only on the complaints whose route lists them.
ROUTE_TIMERS = [
	{
		"timer": "director_report",
		"allowed_hours": 7.5,  # one working day of the default windows
		"working_time": 1,
		"escalation": "Handler, Region Manager, Marketing Director",
	},
	{
		"timer": "customer_reply",
		"allowed_hours": 24,
		"working_time": 0,
		"escalation": "Handler, Region Manager, Marketing Director",
	},
]
QUALITY_TIMERS = [
	# the region manager is on site within 2-3 working hours (docs/procedure.md §8)
	("Customer Complaint", "In Handling", "on_site", 3, 1, "", 0, "Handler, Marketing Director"),
]
# field service in warranty (docs/procedure.md §8): answer within 24 h, engineer on site within 48 h
FIELD_SERVICE_TARGETS = targets(24, 48)


def install_default_sla_policies() -> None:
	"""Installed once each (by name); administrators edit them in Complaint SLA Policy."""
	from frappe.utils import get_system_timezone

	def timers(rows):
		return [
			{
				"document_type": dt,
				"workflow_state": state,
				"timer": key,
				"allowed_hours": hours,
				"working_time": working,
				"due_field": due_field or None,
				"pauses": pauses,
				"escalation": escalation,
			}
			for dt, state, key, hours, working, due_field, pauses, escalation in rows
			if frappe.db.exists("Workflow State", state)
		]

	def category(name: str) -> str | None:
		return name if frappe.db.exists("Complaint Category", name) else None

	windows = [
		{"weekday": day, "start_time": start, "end_time": end}
		for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
		for start, end in OFFICE_WINDOWS
	]
	policies = {
		"Default": {"timers": timers(COMPLAINT_TIMERS)},
		"Policy / Customer Service": {
			"category": category("Policy / Customer Service"),
			"timers": timers(COMPLAINT_TIMERS),
		},
		"Product Quality": {
			"category": category("Product Quality"),
			"timers": timers(QUALITY_TIMERS + COMPLAINT_TIMERS),
		},
		"Field Service (in warranty)": {
			"enabled": 0,  # an administrator enables it for the categories of field-service calls
			"category": category("Product Quality"),
			"priority": 1,
			"targets": FIELD_SERVICE_TARGETS,
			"timers": timers(QUALITY_TIMERS + COMPLAINT_TIMERS),
		},
	}
	for name, values in policies.items():
		if frappe.db.exists("Complaint SLA Policy", name):
			continue
		frappe.get_doc(
			{
				"doctype": "Complaint SLA Policy",
				"policy_name": name,
				"time_zone": get_system_timezone() or "Asia/Shanghai",
				"working_windows": windows,
				"targets": values.pop("targets", DEFAULT_TARGETS),
				"route_timers": ROUTE_TIMERS,
				**values,
			}
		).insert(ignore_permissions=True)


# The procedure's penalty schedules (docs/procedure.md §11) as the installed default rules.
DEFAULT_PENALTY_RULES: tuple[dict, ...] = (
	{
		"rule_name": "Region Manager Negligence",
		"party_type": "Employee",
		"kind": "Percentage Band",
		"percent_low": 30,
		"percent_high": 60,
		"description": "Goods sent back that could have been determined on site: 30-60 % of the freight actually incurred, by degree of fault.",
	},
	{
		"rule_name": "Dealer Real-Name Registration Breach",
		"party_type": "Customer",
		"deduct_from_deposit": 1,
		"kind": "Escalating",
		"first_amount": 10_000,
		"later_amount": 50_000,
		"description": "Customer not told of, or not checked against, real-name registration: 10,000 the first time, 50,000 each time after.",
	},
	{
		"rule_name": "Falsifying or Leaking Customer Data",
		"party_type": "Customer",
		"deduct_from_deposit": 1,
		"kind": "Fixed",
		"amount": 50_000,
		"description": "False or concealed customer information, deceiving customers, leaking customer data: 50,000 each time.",
	},
	{
		"rule_name": "Leaking Confidential Data",
		"party_type": "Customer",
		"deduct_from_deposit": 1,
		"kind": "Fixed",
		"amount": 30_000,
		"description": "Leak of confidential data: 30,000 each time.",
	},
	{
		"rule_name": "Regulator or Media Exposure",
		"party_type": "Customer",
		"deduct_from_deposit": 1,
		"kind": "Fixed",
		"amount": 100_000,
		"terminates_cooperation": 1,
		"description": "Exposure to a regulator or the media: 100,000, and cooperation ends.",
	},
	{
		"rule_name": "Canteen: Food Poisoning",
		"party_type": "Supplier",
		"kind": "Fixed",
		"amount": 5_000,
		"adds_base": 1,
		"description": "All costs (the base) + 5,000.",
	},
	{
		"rule_name": "Canteen: Foreign Object",
		"party_type": "Supplier",
		"kind": "Multiple",
		"multiple": 2,
		"description": "200 % of the meal's price.",
	},
	{
		"rule_name": "Canteen: Insects, Glass or Similar",
		"party_type": "Supplier",
		"kind": "Fixed",
		"amount": 100,
	},
	{
		"rule_name": "Canteen: Spoiled Food",
		"party_type": "Supplier",
		"kind": "Amount Band",
		"amount": 300,
		"description": "Up to 300.",
	},
	{"rule_name": "Canteen: Unapproved Brand", "party_type": "Supplier", "kind": "Fixed", "amount": 200},
	{"rule_name": "Canteen: Three-No Goods", "party_type": "Supplier", "kind": "Fixed", "amount": 300},
	{"rule_name": "Canteen: Stock Rotation", "party_type": "Supplier", "kind": "Fixed", "amount": 200},
	{
		"rule_name": "Canteen: Failed Tableware Check",
		"party_type": "Supplier",
		"kind": "Fixed",
		"amount": 200,
		"per_unit": 1,
		"description": "200 per item.",
	},
	{
		"rule_name": "Canteen: Complaint Not Properly Handled",
		"party_type": "Supplier",
		"kind": "Fixed",
		"amount": 100,
	},
	{
		"rule_name": "Canteen: Satisfaction Under 60 % Three Times",
		"party_type": "Supplier",
		"kind": "Fixed",
		"amount": 0,
		"terminates_cooperation": 1,
		"description": "Customer surveys rated the contractor below 60 % three times: the contract may be ended without compensation.",
	},
)
LOW_SATISFACTION_RULE = "Canteen: Satisfaction Under 60 % Three Times"


def install_default_penalty_rules() -> None:
	"""Installed once (install, or the patch on existing sites): an administrator may edit or disable them."""
	for rule in DEFAULT_PENALTY_RULES:
		if not frappe.db.exists("Penalty Rule", rule["rule_name"]):
			frappe.get_doc({"doctype": "Penalty Rule", **rule}).insert(ignore_permissions=True)
	settings = frappe.get_single("Complaint Settings")
	if not settings.negligence_penalty_rule:
		frappe.db.set_single_value(
			"Complaint Settings", "negligence_penalty_rule", "Region Manager Negligence"
		)
	if not settings.get("low_satisfaction_rule"):
		frappe.db.set_single_value("Complaint Settings", "low_satisfaction_rule", LOW_SATISFACTION_RULE)


SURVEY_TEMPLATE = "Customer Complaint Satisfaction"
SURVEY_QUESTIONS = (
	"How quickly we responded",
	"How our staff treated you",
	"How well the solution fits your problem",
	"Overall satisfaction",
)


def install_survey_template() -> None:
	"""The satisfaction survey after closure (parts 5 and 8), installed once as an ERPNext Quality Feedback
	Template an administrator may edit; the settings point at it unless they name another."""
	if not frappe.db.exists("Quality Feedback Template", SURVEY_TEMPLATE):
		frappe.get_doc(
			{
				"doctype": "Quality Feedback Template",
				"template": SURVEY_TEMPLATE,
				"parameters": [{"parameter": question} for question in SURVEY_QUESTIONS],
			}
		).insert(ignore_permissions=True)
	if not frappe.db.get_single_value("Complaint Settings", "survey_template"):
		frappe.db.set_single_value("Complaint Settings", "survey_template", SURVEY_TEMPLATE)


# The four follow-up levels of the commitments (part 7); the ones a company without dealers or service
# stations does not have come disabled, with no role, for an administrator to switch on.
DEFAULT_FOLLOW_UP_LEVELS = (
	("Customer Service Centre", "Complaint Clerk", 1, 1),
	("After-Sales Department", "Complaint Coordinator", 3, 1),
	("Service Station", "Region Manager", 2, 0),
	("Dealer", None, 2, 0),
)


def install_follow_up_levels() -> None:
	"""Installed once, when the settings have no level yet; edits and removals are kept afterwards."""
	settings = frappe.get_single("Complaint Settings")
	if settings.get("follow_up_levels"):
		return
	settings.update(missing_policy_defaults(settings))  # saving the whole form stores every field
	for level, role, days, enabled in DEFAULT_FOLLOW_UP_LEVELS:
		settings.append(
			"follow_up_levels", {"level": level, "role": role, "days_after_closure": days, "enabled": enabled}
		)
	settings.flags.ignore_permissions = True
	settings.save()
