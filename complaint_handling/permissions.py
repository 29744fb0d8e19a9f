"""Who may see a complaint, and every document that belongs to one (docs/procedure.md §12).

One rule, used by `permission_query_conditions` (lists, reports, link searches) and `has_permission`
(opening one document) of the complaint and of each DocType that belongs to it (memos today):

- the person complained about never sees it (Administrator excepted);
- portal users see their own customers' complaints only;
- the coordinator, the directors, QA, the general manager, the management representative, clerks and
  system managers see every complaint;
- a region manager sees the complaints of the territories he manages (and their sub-territories), and
  those he handles, approves or is named region manager of;
- anybody else only what they handle or must approve.
"""

import frappe

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


def sees_all(user: str) -> bool:
	return user == "Administrator" or bool(SEE_ALL_ROLES.intersection(frappe.get_roles(user)))


def managed_territories_sql(user: str) -> str:
	"""Territories whose territory manager (Sales Person → Employee) is this user, with their descendants."""
	return f"""select child.name from `tabTerritory` child
		join `tabTerritory` managed on child.lft >= managed.lft and child.rgt <= managed.rgt
		join `tabSales Person` sp on sp.name = managed.territory_manager
		join `tabEmployee` emp on emp.name = sp.employee
		where emp.user_id = {frappe.db.escape(user)}"""


def complaint_conditions(user: str | None = None, table: str = COMPLAINT) -> str:
	"""SQL on the complaint table: the complaints this user may see ('' = all)."""
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	me = frappe.db.escape(user)
	conditions = []
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
		if REGION_MANAGER in frappe.get_roles(user):
			mine.append(f"{table}.`territory` in ({managed_territories_sql(user)})")
		conditions.append(" or ".join(mine))
	return " and ".join(f"({condition})" for condition in conditions)


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


class AccusedShareError(frappe.PermissionError):
	"""A complaint, or a document of it, may not be shared with the person it is about."""


def refuse_share_to_accused(share, method: str | None = None) -> None:
	"""DocShare `validate`: a share would override the deny on the accused, so it is never made."""
	if share.share_doctype == "Customer Complaint":
		complaint = share.share_name
	elif share.share_doctype == "Complaint Memo":
		complaint = frappe.db.get_value("Complaint Memo", share.share_name, "complaint")
	else:
		return
	if share.user and share.user == frappe.db.get_value("Customer Complaint", complaint, "complained_user"):
		frappe.throw(
			frappe._("{0} is the person this complaint is about and cannot be given access to it.").format(
				share.user
			),
			AccusedShareError,
		)
