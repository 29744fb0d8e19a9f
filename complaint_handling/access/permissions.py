"""Who may see a complaint, and every document that belongs to one (docs/procedure.md §12).

One rule, used by `permission_query_conditions` (lists, reports, link searches) and `has_permission`
(opening one document) of the complaint and of each DocType that belongs to it (memos today):

- the person complained about never sees it (Administrator excepted);
- a user restricted to some companies (ERPNext's User Permission on Company) sees theirs only;
- portal users see their own customers' complaints only;
- the coordinator, the directors, QA, the general manager, the management representative, clerks and
  system managers see every complaint;
- a region manager sees the complaints of the territories he manages (and their sub-territories), and
  those he handles, approves or is named region manager of;
- anybody else only what they handle or must approve.
"""

from contextlib import contextmanager

import frappe
from frappe import _

from complaint_handling.access import records
from complaint_handling.integrations.erpnext.companies import allowed_companies
from complaint_handling.integrations.erpnext.people import customers_of_portal_user, is_website_user

SEE_ALL_ROLES = frozenset(
	{
		"System Manager",
		"Complaint Clerk",
		"Complaint Coordinator",
		"Marketing Director",
		"General Manager",
		"Management Representative",
		"Quality Manager",
	}
)
REGION_MANAGER = "Region Manager"
COMPLAINT = "`tabCustomer Complaint`"

# The columns of the visibility rule below. Each index of `VISIBILITY_INDEXES` ends with them, so that a
# count, card or chart of a user who sees only some complaints reads the index alone (no row per match).
VISIBILITY_COLUMNS = ("territory", "region_manager", "handler", "pending_approver_user")
# ... the person complained about and the company (ERPNext's User Permission on Company): every column the
# rule reads besides a portal user's customer, carried by what counts complaints apart from them (the SLA
# clocks, the satisfaction and weekly summaries)
RULE_COLUMNS = (*VISIBILITY_COLUMNS, "complained_user", "company")
# index name → its leading columns: what the workspace's cards, shortcuts, the list and the reports filter on
VISIBILITY_INDEXES = {
	"status_visibility": ("status", "creation", "received_on"),  # the list, awaiting approval, by age
	"docstatus_visibility": ("docstatus", "sla_status", "creation"),  # open, breached (and each "% since")
	"due_visibility": ("docstatus", "timer_due_at"),  # due today
	"received_visibility": ("received_on", "creation", "category"),  # this month, the chart, reports
}  # satisfaction is read from its monthly summary (customer/satisfaction.py)


def sees_all(user: str) -> bool:
	return user == "Administrator" or bool(SEE_ALL_ROLES.intersection(frappe.get_roles(user)))


def managed_territories(user: str) -> list[str]:
	"""Territories whose territory manager (Sales Person → Employee) is this user, with their descendants."""
	return frappe.db.sql_list(
		"""select distinct child.name from `tabTerritory` child
		join `tabTerritory` managed on child.lft >= managed.lft and child.rgt <= managed.rgt
		join `tabSales Person` sp on sp.name = managed.territory_manager
		join `tabEmployee` emp on emp.name = sp.employee
		where emp.user_id = %s""",
		user,
	)


def complaint_conditions(user: str | None = None, table: str = COMPLAINT) -> str:
	"""SQL on the complaint table: the complaints this user may see ('' = all)."""
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	me = frappe.db.escape(user)
	conditions = []
	if (companies := restricted_companies(user)) is not None and not is_website_user(user):
		conditions.append(f"{table}.`company` in ({', '.join(frappe.db.escape(c) for c in companies)})")
	if frappe.db.exists("Customer Complaint", {"complained_user": user}):  # indexed; most users never are
		conditions.append(f"ifnull({table}.`complained_user`, '') != {me}")
	if is_website_user(user):
		customers = customers_of_portal_user(user)
		conditions.append(
			f"{table}.`customer` in ({', '.join(frappe.db.escape(c) for c in customers)})"
			if customers
			else "1 = 0"
		)
	elif not sees_all(user):
		mine = [
			f"{table}.`{field}` = {me}" for field in ("handler", "pending_approver_user", "region_manager")
		]
		# the territories as values, not a subquery: every branch of the `or` is then a range on a column
		# of the visibility indexes (customer_complaint.on_doctype_update), read from the index alone
		if REGION_MANAGER in frappe.get_roles(user) and (territories := managed_territories(user)):
			mine.append(f"{table}.`territory` in ({', '.join(frappe.db.escape(t) for t in territories)})")
		conditions.append(" or ".join(mine))
	return " and ".join(f"({condition})" for condition in conditions)


def restricted_companies(user: str, doctype: str = "Customer Complaint") -> list[str] | None:
	"""The companies the user's User Permissions allow, when the site has others (None = no restriction):
	ERPNext restricts every employee's user to the employee's company, which on a one-company site (or one
	whose every company the user may see) leaves nothing out — and no column to check on every complaint."""
	allowed = allowed_companies(user, doctype)
	if allowed is None or not set(frappe.get_all("Company", pluck="name")) - set(allowed):
		return None
	return allowed


def can_see_complaint(complaint, user: str | None = None) -> bool:
	"""The same rule for one complaint (a document or its name)."""
	user = user or frappe.session.user
	if user == "Administrator":
		return True
	name = complaint if isinstance(complaint, str) else complaint.name
	if not name or (not isinstance(complaint, str) and complaint.is_new()):
		return _can_see_new(complaint, user)
	conditions = complaint_conditions(user)
	return bool(
		frappe.db.sql(
			f"select 1 from {COMPLAINT} where {COMPLAINT}.name = %s and {conditions or '1 = 1'} limit 1", name
		)
	)


def _can_see_new(doc, user: str) -> bool:
	"""A complaint being created: the accused and other customers' portal users may not."""
	if isinstance(doc, str):
		return False
	if doc.get("complained_user") and doc.complained_user == user:
		return False
	# its company: the form may hold the site's default for now; registration sets and checks it before
	# anything is stored (intake/registration.py: apply_company)
	if is_website_user(user):
		return not doc.get("customer") or doc.customer in customers_of_portal_user(user)
	return True


# Documents that belong to a complaint -------------------------------------------------------------


def belongs_to_complaint_conditions(doctype: str, user: str | None = None, field: str = "complaint") -> str:
	"""SQL on a child document's table: those whose complaint the user may see."""
	conditions = complaint_conditions(user)
	if not conditions:
		return ""
	return f"(`tab{doctype}`.`{field}` in (select {COMPLAINT}.name from {COMPLAINT} where {conditions}))"


def can_see_belonging(doc, user: str | None = None, field: str = "complaint") -> bool:
	complaint = doc.get(field)
	return isinstance(complaint, str) and bool(complaint) and can_see_complaint(complaint, user)


def breach_conditions(user: str | None = None) -> str:
	"""SQL on the SLA breach table: breaches of complaints (or their memos) the user may see."""
	conditions = complaint_conditions(user)
	if not conditions:
		return ""
	complaints = f"select {COMPLAINT}.name from {COMPLAINT} where {conditions}"
	return (
		"((`tabComplaint SLA Breach`.reference_doctype = 'Customer Complaint' "
		f"and `tabComplaint SLA Breach`.reference_name in ({complaints})) or "
		"(`tabComplaint SLA Breach`.reference_doctype = 'Complaint Memo' "
		"and `tabComplaint SLA Breach`.reference_name in "
		f"(select name from `tabComplaint Memo` where complaint in ({complaints}))))"
	)


def can_see_breach(doc, user: str | None = None) -> bool:
	complaint = records.complaint_of(doc.doctype, doc.name) if doc.name else None
	return bool(complaint) and can_see_complaint(complaint, user)


# Child tables: a row is seen with its parent -------------------------------------------------------


def child_row_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""`permission_query_conditions` of a child table of the app: rows of parents the user may read."""
	user = user or frappe.session.user
	parent = records.child_tables().get(doctype or "")
	if not parent or user == "Administrator" or not complaint_conditions(user):
		return ""
	table = f"`tab{doctype}`"
	return f"({table}.parenttype = {frappe.db.escape(parent)} and {table}.parent in ({readable_names_sql(parent, user)}))"


def readable_names_sql(doctype: str, user: str) -> str:
	"""A subquery of the names of `doctype` the user may read: Frappe's own list query for that user, with
	the role, user-permission, share and `permission_query_conditions` rules it applies to every list."""
	nothing = "select null from dual where 1 = 0"
	with quietly():
		if not frappe.has_permission(doctype, "read", user=user):
			return nothing
		try:
			return frappe.get_list(
				doctype, fields=["name"], user=user, limit_page_length=0, order_by="", run=0, strict=False
			)
		except frappe.PermissionError:
			return nothing


@contextmanager
def quietly():
	"""Permission checks the app makes on its own behalf (inside another check, a list, a request) leave no
	trace for the user: Frappe collects the reasons of every check into the message it shows when an outer
	check fails, and a refused list leaves its message behind even when the refusal is caught."""
	logs = frappe.flags.get("has_permission_check_logs")
	frappe.flags.has_permission_check_logs = None
	messages = len(frappe.local.message_log)
	error_message = frappe.flags.error_message
	try:
		yield
	finally:
		frappe.flags.has_permission_check_logs = logs
		del frappe.local.message_log[messages:]
		frappe.flags.error_message = error_message


# Frappe's records that point at a document of the app (records.POINTERS) ---------------------------


def pointer_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""`permission_query_conditions` of ToDo, Comment, File, Version, Workflow Action, …: none that names a
	document of the app this user may not read (the accused finds no trace of the complaint)."""
	user = user or frappe.session.user
	if doctype not in records.POINTERS or user == "Administrator" or not complaint_conditions(user):
		return ""
	dt_field, name_field = records.POINTERS[doctype]
	table = f"`tab{doctype}`"
	app = ", ".join(frappe.db.escape(dt) for dt in records.PARENTS)
	readable = " or ".join(
		f"({table}.`{dt_field}` = {frappe.db.escape(dt)} and {table}.`{name_field}` in "
		f"({readable_names_sql(dt, user)}))"
		for dt in records.PARENTS
	)
	return f"(ifnull({table}.`{dt_field}`, '') not in ({app}) or {readable})"


def pointer_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	"""`has_permission` of such a record: no, when it names a document of the app the user may not read;
	otherwise no opinion, and Frappe's own rule decides."""
	user = user or frappe.session.user
	dt_field, name_field = records.POINTERS.get(doc.doctype, (None, None))
	target, name = doc.get(dt_field) if dt_field else None, doc.get(name_field) if name_field else None
	if user == "Administrator" or target not in records.PARENTS or not isinstance(name, str) or not name:
		return None
	with quietly():
		if not frappe.db.exists(target, name):
			return None
		return None if frappe.has_permission(target, "read", doc=name, user=user) else False


# Shares ---------------------------------------------------------------------------------------------


class AccusedShareError(frappe.PermissionError):
	"""A complaint, or a document of it, may not be shared with the person it is about."""


class ShareRefusedError(frappe.PermissionError):
	"""A share the visibility rule does not allow: to everyone, or to someone the rule does not let see it."""


@contextmanager
def sharing_by_app():
	"""Shares the app itself makes (a memo's signer, the handler's superior, an assignee): they name people
	the procedure involves, whom the rule on complaint fields alone does not list."""
	previous = frappe.flags.complaint_shares_by_app
	frappe.flags.complaint_shares_by_app = True
	try:
		yield
	finally:
		frappe.flags.complaint_shares_by_app = previous


def check_share(share, method: str | None = None) -> None:
	"""DocShare `validate`: a share overrides every permission hook, so it is made only where the rule allows:
	never to everyone, never to the person the complaint is about, never to another customer's portal user,
	and otherwise only to someone the rule already lets see the complaint (or whom the app itself names)."""
	if share.share_doctype not in records.PARENTS:
		return
	if share.everyone:
		frappe.throw(_("A complaint and its documents are never shared with everyone."), ShareRefusedError)
	complaint = records.complaint_of(share.share_doctype, share.share_name)
	if not share.user or not complaint:
		return
	if share.user == frappe.db.get_value("Customer Complaint", complaint, "complained_user"):
		frappe.throw(
			_("{0} is the person this complaint is about and cannot be given access to it.").format(
				share.user
			),
			AccusedShareError,
		)
	by_app = frappe.flags.complaint_shares_by_app and not is_website_user(share.user)
	if not by_app and not can_see_complaint(complaint, share.user):
		frappe.throw(
			_("{0} may not see this complaint, so it cannot be shared with them.").format(share.user),
			ShareRefusedError,
		)


def revoke_shares_of_accused(doc) -> None:
	"""The person a complaint turns out to be about loses any share of it and of its documents."""
	if not doc.get("complained_user"):
		return
	frappe.db.delete(
		"DocShare", {"share_doctype": doc.doctype, "share_name": doc.name, "user": doc.complained_user}
	)
	for doctype, field in records.BELONGING.items():
		names = frappe.get_all(doctype, filters={field: doc.name}, pluck="name")
		if names:
			frappe.db.delete(
				"DocShare",
				{"share_doctype": doctype, "share_name": ("in", names), "user": doc.complained_user},
			)


def remove_forbidden_shares() -> int:
	"""Shares made before the rule above: to everyone, or to the accused, on the app's documents. Removed."""
	removed = 0
	for share in frappe.get_all(
		"DocShare",
		filters={"share_doctype": ("in", records.PARENTS)},
		fields=["name", "share_doctype", "share_name", "user", "everyone"],
	):
		complaint = records.complaint_of(share.share_doctype, share.share_name)
		accused = complaint and frappe.db.get_value("Customer Complaint", complaint, "complained_user")
		if (
			share.everyone
			or (share.user and share.user == accused)
			or (
				share.user
				and complaint
				and is_website_user(share.user)
				and not can_see_complaint(complaint, share.user)
			)
		):
			frappe.db.delete("DocShare", share.name)
			removed += 1
	return removed


# who reads every penalty: the approvers, finance and the coordinator who proposes them (docs/procedure.md §11)
PENALTY_READERS = frozenset(
	{
		"System Manager",
		"Complaint Coordinator",
		"Marketing Director",
		"General Manager",
		"Management Representative",
		"Quality Manager",
		"Accounts User",
		"Accounts Manager",
	}
)


def penalty_conditions(user: str | None = None) -> str:
	"""A region manager sees the penalties of complaints he sees; the readers see all; nobody else any."""
	user = user or frappe.session.user
	if user == "Administrator" or set(frappe.get_roles(user)) & PENALTY_READERS:
		companies = restricted_companies(user, "Complaint Penalty")
		if companies is None:
			return ""
		return f"(`tabComplaint Penalty`.company in ({', '.join(frappe.db.escape(c) for c in companies)}))"
	return (
		belongs_to_complaint_conditions("Complaint Penalty", user)
		or "(`tabComplaint Penalty`.complaint is not null)"
	)


def can_see_penalty(doc, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user == "Administrator" or set(frappe.get_roles(user)) & PENALTY_READERS:
		companies = allowed_companies(user, "Complaint Penalty")
		return companies is None or doc.get("company") in companies
	complaint = doc.get("complaint")
	return isinstance(complaint, str) and bool(complaint) and can_see_complaint(complaint, user)
