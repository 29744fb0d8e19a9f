"""The group's companies in ERPNext's terms (domain/companies.py): a user's companies from ERPNext's own User
Permission on Company, each company's settings from Complaint Settings."""

import frappe
from frappe import _
from frappe.core.doctype.user_permission.user_permission import get_user_permissions
from frappe.permissions import get_allowed_docs_for_doctype

from complaint_handling.domain.companies import CompanyPolicy, policy_for, rows_for_company

SETTINGS = "Complaint Settings"


class CompanySettingsError(frappe.ValidationError):
	"""A company of the group lacks a setting its complaints need (named in the message)."""


def settings_company() -> str | None:
	"""The settings' company: the default company of the group, whose values the settings page holds."""
	return frappe.db.get_single_value(SETTINGS, "company") or frappe.defaults.get_global_default("company")


def allowed_companies(user: str | None = None, doctype: str = "Customer Complaint") -> list[str] | None:
	"""The companies ERPNext's User Permissions allow this user for `doctype`; None = not restricted."""
	user = user or frappe.session.user
	if user in ("Administrator", "Guest"):
		return None
	allowed = get_allowed_docs_for_doctype(get_user_permissions(user).get("Company", []), doctype)
	return sorted(allowed) if allowed else None


def user_company(user: str | None = None) -> str | None:
	"""The user's default company: the one company their User Permissions allow, else ERPNext's default."""
	user = user or frappe.session.user
	allowed = allowed_companies(user)
	if allowed and len(allowed) == 1:
		return allowed[0]
	return frappe.defaults.get_user_default("Company", user=user)


def company_policy(company: str | None) -> CompanyPolicy:
	"""What `company`'s complaints use: its row of the settings' other companies, else the settings' values."""
	settings = frappe.get_cached_doc(SETTINGS)
	default = CompanyPolicy(
		settings.company,
		settings.qa_hold_warehouse,
		settings.penalty_income_account,
		settings.penalty_deposit_account,
	)
	rows = [
		CompanyPolicy(
			row.company, row.qa_hold_warehouse, row.penalty_income_account, row.penalty_deposit_account
		)
		for row in settings.get("company_policies") or []
	]
	return policy_for(company or settings_company(), default, rows)


def qa_hold_warehouse(company: str | None) -> str:
	"""The QA-hold warehouse of the company, or a clear refusal naming the company."""
	policy = company_policy(company)
	if not policy.qa_hold_warehouse:
		frappe.throw(
			_("{0}: set a QA-hold warehouse for company {1} in Complaint Settings.").format(
				_("QA Hold Warehouse"), policy.company
			),
			CompanySettingsError,
		)
	return policy.qa_hold_warehouse


def authority_rows(settings, company: str | None) -> list:
	"""The authority-limit rows that apply to the company: its own, else those of no company."""
	return rows_for_company(
		((row.get("company"), row) for row in settings.get("authority_limits") or []),
		company or settings.get("company"),
	)


def of_company(users: list[str], company: str | None, doctype: str = "Customer Complaint") -> list[str]:
	"""The users who may work on a document of `company`: those whose User Permissions on Company (if any)
	include it — a role's holder in another company of the group is never assigned, shared or told."""
	if not company:
		return users
	return [
		user for user in users if (allowed := allowed_companies(user, doctype)) is None or company in allowed
	]
