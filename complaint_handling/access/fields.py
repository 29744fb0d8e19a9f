"""What any form of the app's file may hold, checked before its rules run: the generic field checks.

`check_input` guards Customer Complaint, Complaint Memo, Defect Inspection and Complaint Penalty alike: select
options, numbers, dates and links are what they claim, so no rule downstream meets a value it would fail on.
"""

import math
from datetime import date

import frappe
from frappe import _
from frappe.utils import escape_html, get_datetime, getdate, strip_html


def label(doc, fieldname: str) -> str:
	return _(doc.meta.get_label(fieldname))


TEXT_TYPES = ("Data", "Small Text", "Text", "Text Editor", "Long Text", "Signature")


class InvalidInputError(frappe.ValidationError):
	"""A value the complaint cannot hold; the message names the field."""


def check_input(doc) -> None:
	"""Before any rule runs: options, numbers and links are what they claim (docs/procedure.md §2).

	Frappe checks select options and numbers only after `validate`, and does not check a link that a
	fetched field depends on; the app's rules must never see such a value (they would fail with a 500).
	"""
	# Frappe checks a document's links before `validate` unless told not to — except a link some fetched
	# field depends on, whose missing target it lets through (BaseDocument.get_invalid_links)
	links_checked = not doc.meta.istable and not doc.flags.ignore_links
	for df in doc.meta.fields:
		value = doc.get(df.fieldname)
		if df.fieldtype == "Select" and value in (None, "") and df.default:
			doc.set(df.fieldname, df.default)  # blanked by a client: back to its default (e.g. severity)
			continue
		if df.fieldtype in TEXT_TYPES and value is not None and not isinstance(value, str):
			if isinstance(value, bool) or not isinstance(value, int | float):
				frappe.throw(_("{0}: enter text.").format(_(df.label)), InvalidInputError)
			doc.set(df.fieldname, str(value))
			continue
		if df.fieldtype in ("Date", "Datetime") and value not in (None, ""):
			if not isinstance(value, str | date):  # a number is no date (the database would answer 500)
				frappe.throw(
					_("{0}: {1} is not a date.").format(
						_(df.label), frappe.bold(escape_html(str(value)[:40]))
					),
					InvalidInputError,
				)
			try:
				(getdate if df.fieldtype == "Date" else get_datetime)(value)
			except Exception:
				frappe.throw(
					_("{0}: {1} is not a date.").format(
						_(df.label), frappe.bold(escape_html(str(value)[:40]))
					),
					InvalidInputError,
				)
			continue
		if value in (None, "") or df.fieldtype not in ("Select", "Currency", "Float", "Int", "Link"):
			continue
		label_ = _(df.label)
		if isinstance(value, list | dict):
			frappe.throw(_("{0}: enter a single value.").format(label_), InvalidInputError)
		if df.fieldtype == "Select":
			options = [o for o in (df.options or "").split("\n") if o]
			if options and value not in options:
				frappe.throw(
					_("{0}: {1} is not one of {2}.").format(
						label_, frappe.bold(escape_html(str(value))), ", ".join(_(o) for o in options)
					),
					InvalidInputError,
				)
		elif df.fieldtype == "Link":
			if links_checked and not doc.meta.get_fields_to_fetch(df.fieldname):
				continue  # Frappe's own link check has passed it (it skips a link whose target has fields to fetch)
			if df.options and not frappe.db.exists(df.options, value):
				frappe.throw(
					_("{0}: {1} {2} does not exist.").format(
						label_, _(df.options), frappe.bold(escape_html(str(value)))
					),
					frappe.LinkValidationError,
				)
		else:
			try:
				number = float(value)
			except (TypeError, ValueError):
				frappe.throw(
					_("{0}: {1} is not a number.").format(label_, frappe.bold(escape_html(str(value)))),
					InvalidInputError,
				)
			if not math.isfinite(number) or number < 0 or abs(number) > 1e12:
				frappe.throw(
					_("{0} must be a number from 0 to 1,000,000,000,000.").format(label_), InvalidInputError
				)


def has_text(value: str | None) -> bool:
	return bool(strip_html(value or "").strip())
