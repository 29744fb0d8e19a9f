"""A group of companies on one site (issue 27): which company a complaint belongs to, and which settings apply.

Every complaint belongs to one company, and so does every document it makes (memos, inspections, returns,
resolutions, penalties). The company comes from what the complaint names — its order, delivery or invoice —
else from the registering user's default company, else from the settings' company. Each company of the group
has its own QA-hold warehouse and accounts (the settings page's for the settings' company), and may have its
own authority limits and SLA policies; where it has none, those of no company apply.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace


class CompanyMismatchError(ValueError):
	"""A document the complaint names belongs to another company than the complaint's."""

	def __init__(self, field: str, document_company: str, company: str):
		super().__init__(f"{field} belongs to company {document_company}, not {company}")
		self.field, self.document_company, self.company = field, document_company, company


def choose_company(
	chosen: str | None,
	documents: Mapping[str, str | None],
	user_default: str | None,
	settings_company: str | None,
	form_default: str | None = None,
) -> str | None:
	"""The complaint's company: the one chosen, else the company of the first document it names (field →
	that document's company), else the user's default company, else the settings' company. A company equal to
	what the form fills in (the user's default, the site's default) is not a choice: a document the complaint
	names decides, and the user's own default replaces the site's."""
	named = next((company for company in documents.values() if company), None)
	filled_in = {user_default, form_default} - {None}
	if chosen and (chosen not in filled_in or (not named and chosen == (user_default or chosen))):
		return chosen
	return named or user_default or chosen or settings_company


def check_documents(company: str | None, documents: Mapping[str, str | None]) -> None:
	"""Refuse the first document (field → its company) of another company than the complaint's."""
	if not company:
		return
	for field, document_company in documents.items():
		if document_company and document_company != company:
			raise CompanyMismatchError(field, document_company, company)


@dataclass(frozen=True)
class CompanyPolicy:
	"""The settings one company's complaints use; blank = the settings' value where it may apply."""

	company: str | None
	qa_hold_warehouse: str | None = None
	penalty_income_account: str | None = None
	penalty_deposit_account: str | None = None


# a warehouse and accounts are their company's own: the settings' values never apply to another company
COMPANY_BOUND = ("qa_hold_warehouse", "penalty_income_account", "penalty_deposit_account")


def policy_for(company: str | None, default: CompanyPolicy, rows: Iterable[CompanyPolicy]) -> CompanyPolicy:
	"""The settings for `company` (blank = the settings' company): its own row; the settings' values for the
	settings' company where its row (if any) leaves them blank; another company's blanks stay blank (the
	caller refuses, naming the company)."""
	company = company or default.company
	own = next((row for row in rows if row.company == company), None) or CompanyPolicy(company)
	if company != default.company:
		return own
	values = {name: getattr(own, name) or getattr(default, name) for name in COMPANY_BOUND}
	return replace(own, **values)


def rows_for_company(rows: Iterable[tuple[str | None, object]], company: str | None) -> list:
	"""Rows of a per-company table (company → row): the company's own when it has any, else those of no
	company (today's single-company values)."""
	rows = list(rows)
	own = [row for row_company, row in rows if row_company and row_company == company]
	return own or [row for row_company, row in rows if not row_company]
