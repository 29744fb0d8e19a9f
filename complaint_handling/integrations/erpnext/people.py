"""Who is who in ERPNext: region managers, employees' users, portal users' customers."""

import frappe
from frappe.query_builder import DocType

REGION_MANAGERS = "complaint_handling:region_manager"  # cache: territory -> user ("" for none)


def region_manager_for(territory: str | None) -> str | None:
	"""Territory → territory manager (Sales Person) → Employee → User, inherited from the nearest ancestor.

	Cached per territory; any change to a Territory, Sales Person or Employee clears the cache."""
	if not territory:
		return None
	cached = frappe.cache.hget(REGION_MANAGERS, territory)
	if cached is None:
		cached = _region_manager_for(territory) or ""
		frappe.cache.hset(REGION_MANAGERS, territory, cached)
		frappe.db.after_rollback.add(_forget_region_managers)  # read inside a transaction undone
	return cached or None


def clear_region_managers(doc=None, method: str | None = None) -> None:
	"""doc_events of Territory, Sales Person, Employee and User: who manages a region may have changed.

	Cleared now, and again once the change is committed or undone (a reader in between may have cached
	the state before it)."""
	_forget_region_managers()
	frappe.db.after_commit.add(_forget_region_managers)
	frappe.db.after_rollback.add(_forget_region_managers)


def _forget_region_managers() -> None:
	frappe.cache.delete_value(REGION_MANAGERS)


def _region_manager_for(territory: str) -> str | None:
	bounds = frappe.db.get_value("Territory", territory, ["lft", "rgt"], as_dict=True)
	if not bounds:
		return None
	managers = frappe.get_all(
		"Territory",
		filters={"lft": ("<=", bounds.lft), "rgt": (">=", bounds.rgt), "territory_manager": ("is", "set")},
		pluck="territory_manager",
		order_by="lft desc",
	)
	for sales_person in managers:
		if user := user_of_sales_person(sales_person):
			return user
	return None


def user_of_employee(employee: str | None) -> str | None:
	return frappe.db.get_value("Employee", employee, "user_id") if employee else None


def user_of_sales_person(sales_person: str | None) -> str | None:
	if not sales_person:
		return None
	return user_of_employee(frappe.db.get_value("Sales Person", sales_person, "employee"))


def customers_of_portal_user(user: str) -> list[str]:
	"""Customers whose Portal Users table lists this user (ERPNext v15 portal access)."""
	portal_user = DocType("Portal User")
	return (
		frappe.qb.from_(portal_user)
		.select(portal_user.parent)
		.where(portal_user.user == user)
		.where(portal_user.parenttype == "Customer")
	).run(pluck=True)


def customer_of_email(email: str | None) -> frappe._dict | None:
	"""The contact with this e-mail address and the customer it is linked to."""
	if not email:
		return None
	contact_email, link = DocType("Contact Email"), DocType("Dynamic Link")
	rows = (
		frappe.qb.from_(contact_email)
		.join(link)
		.on((link.parent == contact_email.parent) & (link.parenttype == "Contact"))
		.select(contact_email.parent.as_("contact"), link.link_name.as_("customer"))
		.where(contact_email.email_id == email)
		.where(link.link_doctype == "Customer")
		.limit(1)
	).run(as_dict=True)
	return rows[0] if rows else None


def is_website_user(user: str) -> bool:
	if user in ("Guest", "Administrator"):
		return False
	return frappe.get_cached_value("User", user, "user_type") == "Website User"


def users_with_role(role: str, limit: int | None = None) -> list[str]:
	"""Enabled desk users who hold the role (Administrator and Guest excluded), by name."""
	has_role, user = DocType("Has Role"), DocType("User")
	query = (
		frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(user.name)
		.distinct()
		.where(has_role.role == role)
		.where(has_role.parenttype == "User")
		.where(user.enabled == 1)
		.where(user.user_type == "System User")
		.where(user.name.notin(("Administrator", "Guest")))
		.orderby(user.name)
	)
	return (query.limit(limit) if limit else query).run(pluck=True)
