"""Reads a read replica may answer (Frappe's `read_from_replica`, docs/operations.md): the counts, number
cards, charts and reports over the app's documents. Frappe reads its list views, counts and query reports
from the replica itself (`@frappe.read_only()`); the app's own chart source and cards are read there too.
Nothing read there is written back: these calls only read, and every write goes to the primary.
"""

import frappe
from frappe import _

from complaint_handling.access import records


def app_doctype(doctype) -> bool:
	return isinstance(doctype, str) and doctype in records.app_doctypes()


def on_replica(fn, *args, **kwargs):
	"""`fn` with the replica's connection when the site has one (`read_from_replica`), else the primary's."""
	return frappe.read_only()(fn)(*args, **kwargs)


@frappe.whitelist()
def number_card_change(
	doc: str | dict, filters: str | list | dict | None = None, result: str | float | None = None
) -> float | None:
	"""Frappe's "% since" of a number card; for the app's documents read from the replica."""
	from frappe.desk.doctype.number_card.number_card import get_percentage_difference

	card = frappe.parse_json(doc)
	if not isinstance(card, dict) or not isinstance(card.get("name"), str):
		frappe.throw(_("{0}: expected a number card.").format("doc"))
	if app_doctype(card.get("document_type")):
		return on_replica(get_percentage_difference, doc, filters, result)
	return get_percentage_difference(doc, filters, result)
