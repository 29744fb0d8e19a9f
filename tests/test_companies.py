"""Tier 1: which company a complaint belongs to and which settings apply (domain/companies.py)."""

import pytest

from complaint_handling.domain.companies import (
	CompanyMismatchError,
	CompanyPolicy,
	check_documents,
	choose_company,
	policy_for,
	rows_for_company,
)
from complaint_handling.domain.service_levels import ComplaintScope, PolicyScope, select_policy

GROUP, SALES = "Group Factory", "Group Sales"


def test_the_company_chosen_wins_unless_it_is_only_the_forms_default_and_a_document_names_another():
	assert choose_company(SALES, {}, GROUP, GROUP) == SALES
	assert (
		choose_company(SALES, {"delivery_note": GROUP}, None, GROUP) == SALES
	)  # a real choice: refused later
	assert choose_company(GROUP, {"delivery_note": SALES}, GROUP, GROUP) == SALES  # the form's default yields
	assert choose_company(None, {"sales_order": None, "delivery_note": SALES}, GROUP, GROUP) == SALES
	assert choose_company(None, {}, SALES, GROUP) == SALES  # the user's default
	assert choose_company(None, {}, None, GROUP) == GROUP  # the settings' company
	assert choose_company(None, {}, None, None) is None
	# the form filled in the site's default for a user of another company: their own company replaces it
	assert choose_company(GROUP, {}, SALES, GROUP, form_default=GROUP) == SALES
	assert choose_company(GROUP, {}, GROUP, GROUP, form_default=GROUP) == GROUP
	assert choose_company(GROUP, {}, None, GROUP, form_default=GROUP) == GROUP
	assert choose_company(GROUP, {"sales_invoice": SALES}, None, GROUP, form_default=GROUP) == SALES


def test_a_document_of_another_company_is_refused_naming_its_field():
	check_documents(SALES, {"delivery_note": SALES, "sales_invoice": None})
	check_documents(None, {"delivery_note": SALES})
	with pytest.raises(CompanyMismatchError) as refused:
		check_documents(SALES, {"sales_order": SALES, "delivery_note": GROUP})
	assert (refused.value.field, refused.value.document_company, refused.value.company) == (
		"delivery_note",
		GROUP,
		SALES,
	)


def test_each_company_has_its_own_warehouse_and_accounts_the_settings_company_the_pages():
	default = CompanyPolicy(GROUP, "QA Hold - GF", "Penalties - GF", "Deposits - GF")
	rows = [CompanyPolicy(SALES, "QA Hold - GS", "Penalties - GS")]
	assert policy_for(SALES, default, rows) == CompanyPolicy(SALES, "QA Hold - GS", "Penalties - GS", None)
	assert policy_for(GROUP, default, rows) == default
	assert policy_for(None, default, rows) == default
	# a company with no row: nothing of another company's is lent to it (the caller refuses, naming it)
	assert policy_for("Group Trading", default, rows) == CompanyPolicy("Group Trading")
	# the settings' company's own row fills only what it sets
	own = [CompanyPolicy(GROUP, None, "Other Income - GF")]
	assert policy_for(GROUP, default, own) == CompanyPolicy(
		GROUP, "QA Hold - GF", "Other Income - GF", "Deposits - GF"
	)


def test_a_companys_own_limits_replace_those_of_no_company():
	rows = [(None, "all-1"), (SALES, "sales-1"), (None, "all-2"), (SALES, "sales-2")]
	assert rows_for_company(rows, SALES) == ["sales-1", "sales-2"]
	assert rows_for_company(rows, GROUP) == ["all-1", "all-2"]
	assert rows_for_company(rows, None) == ["all-1", "all-2"]
	assert rows_for_company([], SALES) == []


def test_an_sla_policy_of_the_complaints_company_is_more_specific():
	policies = [
		PolicyScope("Quality", category="Product Quality"),
		PolicyScope("Quality at Sales", category="Product Quality", company=SALES),
	]
	assert select_policy(
		policies, ComplaintScope("Product Quality", "General", False, None, None, SALES)
	) == ("Quality at Sales")
	assert (
		select_policy(policies, ComplaintScope("Product Quality", "General", False, None, None, GROUP))
		== "Quality"
	)
	assert (
		select_policy(policies, ComplaintScope("Product Quality", "General", False, None, None)) == "Quality"
	)
