"""Frappe's generic doors onto a complaint, each held to the one visibility rule (access/permissions.py).

Frappe answers many requests that name a document without asking that document's permission hooks: likes,
tags, follows, link validation, counts, searches that may ignore user permissions, child rows saved on their
own. Rather than list such methods one by one (an upgrade of Frappe adds more), every request is read for the
documents it names (`named_documents`): a request that names a document of a complaint's file is answered
only for a user who may read that document, and a customer's portal user reaches only the portal's methods.
What a method computes over many documents (counts, searches, group-by counts) is overridden to count only
what the user may read. The census test (tests/test_door_census.py) runs every whitelisted method of frappe,
erpnext and this app against every DocType of the app as each user who must not pass.
"""

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import frappe
from frappe import _
from frappe.utils import cint

from complaint_handling.access import records
from complaint_handling.access.permissions import quietly
from complaint_handling.access.replica import on_replica
from complaint_handling.integrations.erpnext.people import is_website_user

# A request's arguments that name a DocType, each with the arguments that name documents of it.
NAMING_ARGUMENTS: dict[str, tuple[str, ...]] = {
	"doctype": ("name", "docname", "doc_name", "docnames", "names", "dn"),
	"dt": ("dn", "docname", "name"),
	"doc_type": ("name", "docname"),
	"reference_doctype": ("reference_name", "docname"),
	"ref_doctype": ("ref_docname", "docname"),
	"reference_type": ("reference_name",),
	"document_type": ("document_name",),
	"share_doctype": ("share_name",),
	"attached_to_doctype": ("attached_to_name",),
	"parenttype": ("parent",),
	"parent_doctype": ("parent",),
}
DOCUMENT_ARGUMENTS = ("doc", "docs", "document")

# What a customer's portal user may call about the app's DocTypes: the portal's own pages and methods.
PORTAL_METHODS = frozenset(
	{
		"frappe.www.list.get",
		"frappe.utils.print_format.download_pdf",
		"frappe.website.doctype.web_form.web_form.get_form_data",
	}
)
PORTAL_PRINT_FORMATS = frozenset({"Complaint Registration Form"})
PRINT_PATHS = ("/printview", "/api/method/frappe.utils.print_format.download_pdf")


class SideDoorError(frappe.PermissionError):
	"""A request reached a complaint's document by a door the visibility rule does not open to this user."""


# The request --------------------------------------------------------------------------------------


def check_request() -> None:
	"""`before_request`: refuse a request that names a document of a complaint's file the user may not read,
	and any desk door of the app's DocTypes to a customer's portal user."""
	request = getattr(frappe.local, "request", None)
	if not request or frappe.session.user == "Administrator":
		return
	guarded = set(records.app_doctypes())
	method, rest_doctype, rest_name = request_route(request.path)
	arguments = request_arguments()
	named = list(named_documents(arguments))
	if rest_doctype:
		named.append((rest_doctype, rest_name))
	if not any(doctype in guarded for doctype, _name in named) and not names_guarded_doctype(
		arguments, guarded
	):
		return
	user = frappe.session.user
	if is_website_user(user) or user == "Guest":
		check_portal_request(request, method, rest_doctype, arguments)
	decided: dict[tuple[str, str], bool] = {}  # a document sent whole names its parent once per child row
	for doctype, name in named:
		if doctype in guarded and name and not may_read(doctype, name, user, decided):
			frappe.throw(_("You may not open {0} {1}.").format(_(doctype), name), SideDoorError)


def request_route(path: str) -> tuple[str | None, str | None, str | None]:
	"""(whitelisted method, REST DocType, REST document name) of a request path."""
	parts = [unquote(p) for p in path.strip("/").split("/")]
	if parts[:2] == ["api", "method"] and len(parts) > 2:
		return "/".join(parts[2:]), None, None
	if parts[:3] == ["api", "v2", "method"] and len(parts) > 3:
		return parts[-1] if len(parts) == 4 else None, parts[3] if len(parts) == 5 else None, None
	if parts[:2] == ["api", "resource"] and len(parts) > 2:
		return None, parts[2], parts[3] if len(parts) > 3 else None
	if parts[:3] == ["api", "v2", "document"] and len(parts) > 3:
		return None, parts[3], parts[4] if len(parts) > 4 else None
	if parts[:3] == ["api", "v2", "doctype"] and len(parts) > 3:
		return None, parts[3], None
	return frappe.form_dict.get("cmd") or None, None, None


def request_arguments() -> dict:
	"""The request's arguments: its form or query, and a JSON body."""
	arguments = dict(frappe.form_dict or {})
	request = frappe.local.request
	if request.method in ("POST", "PUT", "PATCH") and request.content_type == "application/json":
		try:
			body = request.get_json(silent=True)
		except Exception:
			body = None
		if isinstance(body, dict):
			arguments = {**body, **arguments}
	return arguments


def parsed(value):
	"""A JSON argument as Frappe will read it (a string that is not JSON stays itself)."""
	if isinstance(value, str) and value[:1] in ("{", "["):
		try:
			return json.loads(value)
		except ValueError:
			return value
	return value


def named_documents(arguments: dict) -> Iterator[tuple[str, str]]:
	"""Every (DocType, name) the arguments name: pairs such as doctype/name or reference_doctype/
	reference_name, lists of names, and documents passed whole (`doc`, `docs`)."""
	for doctype_key, name_keys in NAMING_ARGUMENTS.items():
		doctype = arguments.get(doctype_key)
		if not isinstance(doctype, str):
			continue
		for name_key in name_keys:
			names = parsed(arguments.get(name_key))
			for name in names if isinstance(names, list) else [names]:
				if isinstance(name, str | int) and str(name):
					yield doctype, str(name)
	for key in DOCUMENT_ARGUMENTS:
		docs = parsed(arguments.get(key))
		for doc in docs if isinstance(docs, list) else [docs]:
			if isinstance(doc, dict) and isinstance(doc.get("doctype"), str):
				if isinstance(doc.get("name"), str) and not doc.get("__islocal"):
					yield doc["doctype"], doc["name"]
				for value in doc.values():  # child rows sent with their parent
					for row in value if isinstance(value, list) else []:
						if isinstance(row, dict) and isinstance(row.get("doctype"), str) and row.get("name"):
							if isinstance(row["name"], str) and not row.get("__islocal"):
								yield row["doctype"], row["name"]


def names_guarded_doctype(arguments: dict, guarded: set[str]) -> bool:
	"""Whether any argument names one of the app's DocTypes (a count, a search, a report over them)."""
	for key in NAMING_ARGUMENTS:
		if isinstance(arguments.get(key), str) and arguments[key] in guarded:
			return True
	for key in DOCUMENT_ARGUMENTS:
		docs = parsed(arguments.get(key))
		for doc in docs if isinstance(docs, list) else [docs]:
			if isinstance(doc, dict) and isinstance(doc.get("doctype"), str) and doc["doctype"] in guarded:
				return True
	return False


def may_read(doctype: str, name: str, user: str, decided: dict | None = None) -> bool:
	"""The rule for one named document: read permission on it, or on its parent for a child row. A name
	that does not exist is Frappe's to answer (as a missing document). `decided`: the answers of this
	request so far, by the document whose permission decides, so that each is loaded and checked once."""
	parent_doctype = records.child_tables().get(doctype)
	if parent_doctype:
		row = frappe.db.get_value(doctype, name, ["parenttype", "parent"])
		if not row:
			return True
		if row[0] != parent_doctype or not row[1]:
			return False
		doctype, name = row
	decided = {} if decided is None else decided
	if (doctype, name) not in decided:
		if not frappe.db.exists(doctype, name):
			decided[doctype, name] = True
		else:
			with quietly():
				decided[doctype, name] = bool(frappe.has_permission(doctype, "read", doc=name, user=user))
	return decided[doctype, name]


def check_portal_request(request, method: str | None, rest_doctype: str | None, arguments: dict) -> None:
	"""A customer's portal user reaches the app's DocTypes only through the portal: its pages, the app's
	own methods, the list, the customer's copy of the registration form, and REST on their own complaints
	(whose internal fields Frappe leaves out by permission level)."""
	if request.path in PRINT_PATHS or method in PRINT_PATHS:
		if str(arguments.get("format") or "Standard") not in PORTAL_PRINT_FORMATS:
			frappe.throw(_("This form is not available in the portal."), SideDoorError)
		return
	if rest_doctype:
		if rest_doctype != records.COMPLAINT:
			frappe.throw(_("Not available in the portal."), SideDoorError)
		check_portal_columns(arguments)
		return
	if method and (method.startswith("complaint_handling.") or method in PORTAL_METHODS):
		if method == "frappe.www.list.get":
			check_portal_columns({"filters": {k: v for k, v in arguments.items() if k not in LIST_ARGUMENTS}})
		return
	if request.path.startswith("/api/") or method:
		frappe.throw(_("Not available in the portal."), SideDoorError)


LIST_ARGUMENTS = frozenset({"cmd", "doctype", "txt", "limit_start", "limit", "pathname", "web_form_name"})


def check_portal_columns(arguments: dict) -> None:
	"""The fields a portal user lists, filters or sorts by: only those their permission level lets them
	read — never Frappe's internal columns (comments, assignments, likes) or the company's fields."""
	readable = portal_readable_fields()
	for key in ("fields", "filters", "or_filters", "order_by", "group_by"):
		value = parsed(arguments.get(key))
		for field in mentioned_fields(value):
			if field not in readable:
				frappe.throw(_("{0} cannot be read in the portal.").format(field), SideDoorError)


def portal_readable_fields() -> set[str]:
	meta = frappe.get_meta(records.COMPLAINT)
	levels = meta.get_permlevel_access("read")
	return {"name", "creation", "modified", "docstatus", "count(*)", "count(name)", "*"} | {
		df.fieldname for df in meta.fields if (df.permlevel or 0) in levels and df.fieldtype not in ("Table",)
	}


def mentioned_fields(value) -> Iterator[str]:
	"""Field names in a fields, filters or order-by argument (dict, list of lists, or text)."""
	if isinstance(value, dict):
		yield from (str(k) for k in value)
	elif isinstance(value, list):
		for item in value:
			if isinstance(item, list | tuple):
				if len(item) >= 3:
					yield str(item[1] if len(item) >= 4 else item[0])
			elif isinstance(item, str):
				yield from mentioned_fields(item)
	elif isinstance(value, str) and value.strip():
		for part in value.split(","):
			column = re.sub(r"^`?tab[^`.]*`?\.", "", part.strip())  # `tabCustomer Complaint`.`name`
			yield column.split(" ")[0].strip("`")


# Overrides of Frappe's methods that compute over many documents -----------------------------------


def guarded(doctype) -> bool:
	return isinstance(doctype, str) and (doctype in records.app_doctypes() or doctype in records.POINTERS)


@frappe.whitelist()
def get_count(
	doctype: str, filters: str | dict | list | None = None, debug: bool = False, cache: bool = False
) -> int:
	"""`frappe.client.get_count`, which counts without permissions: for a complaint's documents (and
	Frappe's records about them) only what the user may read is counted."""
	from frappe.client import get_count as frappe_get_count

	if not guarded(doctype):
		return frappe_get_count(doctype, filters, debug, cache)
	parent = records.child_tables().get(doctype)
	return on_replica(  # a count only reads: the read replica may answer it (access/replica.py)
		frappe.get_list,
		doctype,
		filters=frappe.parse_json(filters) if isinstance(filters, str) else filters,
		fields=["count(*) as count"],
		parent_doctype=parent,
		order_by="",
		limit_page_length=0,
	)[0].count


@frappe.whitelist()
def search_widget(
	doctype: str,
	txt: str,
	query: str | None = None,
	searchfield: str | None = None,
	start: int = 0,
	page_length: int = 10,
	filters: str | dict | list | None = None,
	filter_fields: str | list | None = None,
	as_dict: bool = False,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
) -> list:
	"""`frappe.desk.search.search_widget`: on the app's DocTypes, user permissions are never ignored and
	only the app's own search queries run."""
	from frappe.desk.search import search_widget as frappe_search_widget

	if guarded(doctype):
		query, ignore_user_permissions = own_query(query), False
		if is_website_user(frappe.session.user):
			filter_fields = None
	return frappe_search_widget(
		doctype,
		txt,
		query,
		searchfield=searchfield,
		start=start,
		page_length=page_length,
		filters=filters,
		filter_fields=filter_fields,
		as_dict=as_dict,
		reference_doctype=reference_doctype,
		ignore_user_permissions=ignore_user_permissions,
	)


@frappe.whitelist()
def search_link(
	doctype: str,
	txt: str,
	query: str | None = None,
	filters: str | dict | list | None = None,
	page_length: int = 10,
	searchfield: str | None = None,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
) -> list:
	"""`frappe.desk.search.search_link`, held like `search_widget`."""
	from frappe.desk.search import search_link as frappe_search_link

	if guarded(doctype):
		query, ignore_user_permissions = own_query(query), False
	return frappe_search_link(
		doctype,
		txt,
		query,
		filters=filters,
		page_length=page_length,
		searchfield=searchfield,
		reference_doctype=reference_doctype,
		ignore_user_permissions=ignore_user_permissions,
	)


def own_query(query: str | None) -> str | None:
	"""A client's search query for the app's DocTypes runs only if it is the app's own."""
	return query if query and str(query).startswith("complaint_handling.") else None


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	"""`frappe.desk.listview.get_group_by_count`, whose "assigned to" counts ignore permissions: on the
	app's DocTypes they count only the documents the user may read."""
	from frappe.desk.listview import get_group_by_count as frappe_group_by_count

	if not guarded(doctype):
		return frappe_group_by_count(doctype, current_filters, field)
	if field not in ("assigned_to", "owner") and not frappe.get_meta(doctype).has_field(field):
		frappe.throw(_("{0}: {1} is not a field of {2}.").format("field", field, _(doctype)))
	if field != "assigned_to":
		return frappe_group_by_count(doctype, current_filters, field)
	readable = frappe.get_list(
		doctype, filters=frappe.parse_json(current_filters), fields=["name"], order_by="", run=0
	)
	return frappe.db.sql(
		f"""select todo.allocated_to as name, count(*) as count
		from `tabToDo` todo join `tabUser` user on user.name = todo.allocated_to
		where todo.status != 'Cancelled' and user.user_type = 'System User'
			and todo.reference_type = %(doctype)s and todo.reference_name in ({readable})
		group by todo.allocated_to order by count desc limit 50""",
		{"doctype": doctype},
		as_dict=True,
	)


@frappe.whitelist()
def validate_link(doctype: str, docname: str, fields: str | list | None = None) -> dict:
	"""`frappe.client.validate_link`, which tells whether any name exists: a document of the app the user
	may not read is answered as if it did not exist."""
	from frappe.client import validate_link as frappe_validate_link

	if guarded(doctype) and isinstance(docname, str) and not may_read(doctype, docname, frappe.session.user):
		return frappe._dict()
	return frappe_validate_link(doctype, docname, fields)


@frappe.whitelist(allow_guest=True)
def list_get(
	doctype: str,
	txt: str | None = None,
	limit_start: Any = 0,
	limit: Any = 20,
	pathname: str | None = None,
	**kwargs: Any,
) -> dict:
	"""`frappe.www.list.get` (the portal's lists), whose numbers are not checked: a clear 4xx for them."""
	from frappe.www.list import get as frappe_list_get

	for field, value in (("limit_start", limit_start), ("limit", limit)):
		if value is not None and not str(value).strip().lstrip("-").isdigit():
			frappe.throw(_("{0}: expected a whole number.").format(field), frappe.ValidationError)
	return frappe_list_get(doctype, txt, cint(limit_start), cint(limit) or 20, pathname, **kwargs)


@frappe.whitelist()
def download_multi_pdf(
	doctype: Any,
	name: Any,
	format: Any = None,
	no_letterhead: Any = False,
	letterhead: Any = None,
	options: Any = None,
) -> None:
	"""`frappe.utils.print_format.download_multi_pdf`, checked for the shape it expects (a 4xx, not a 500)."""
	from frappe.utils.print_format import download_multi_pdf as frappe_download_multi_pdf

	doctype = parsed(doctype)
	if not isinstance(doctype, str | dict):
		frappe.throw(_("{0}: expected a DocType or a map of DocTypes to names.").format("doctype"))
	if isinstance(doctype, dict):
		if not all(isinstance(k, str) and isinstance(v, list) for k, v in doctype.items()):
			frappe.throw(_("{0}: expected a DocType or a map of DocTypes to names.").format("doctype"))
		for dt, names in doctype.items():
			for docname in names:
				if guarded(dt) and not may_read(dt, str(docname), frappe.session.user):
					frappe.throw(_("You may not open {0} {1}.").format(_(dt), docname), SideDoorError)
	elif not isinstance(parsed(name), list):
		frappe.throw(_("{0}: expected a list of names.").format("name"))
	return frappe_download_multi_pdf(doctype, name, format, no_letterhead, letterhead, options)


@frappe.whitelist()
def number_card_result(doc: Any, filters: Any, to_date: Any = None) -> Any:
	"""`frappe.desk.doctype.number_card.number_card.get_result`, checked for the card it is given: a card
	must name a DocType the user may read and valid filters (a 4xx, not a 500)."""
	from frappe.desk.doctype.number_card.number_card import get_result

	card = parsed(doc)
	if not isinstance(card, dict) or not isinstance(card.get("document_type"), str):
		frappe.throw(_("{0}: expected a number card.").format("doc"))
	if not frappe.db.exists("DocType", card["document_type"]):
		frappe.throw(_("{0}: no such DocType.").format("document_type"))
	if card.get("function") not in (None, "Count", "Sum", "Average", "Minimum", "Maximum"):
		frappe.throw(_("{0}: not a function of a number card.").format("function"))
	if not frappe.has_permission(card["document_type"], "read"):
		frappe.throw(_("You may not read {0}.").format(_(card["document_type"])), frappe.PermissionError)
	if not isinstance(parsed(filters), list | dict | type(None)):
		frappe.throw(_("{0}: expected a list of filters.").format("filters"))
	try:
		if card["document_type"] in records.app_doctypes():  # the read replica may answer (access/replica.py)
			return on_replica(get_result, doc, filters, to_date)
		return get_result(doc, filters, to_date)
	except (frappe.DataError, frappe.db.ProgrammingError, frappe.db.OperationalError) as error:
		frappe.throw(_("The number card cannot be computed: {0}").format(error), frappe.ValidationError)


# Documents Frappe writes about a complaint's documents ---------------------------------------------


class ChildRowError(frappe.PermissionError):
	"""A row of a complaint's table changes only through its document (and that document's rule)."""


def refuse_row_on_its_own(row, method: str | None = None) -> None:
	"""Child tables of the app (`before_validate`, `before_update_after_submit`, `on_trash`): Frappe saves or
	deletes a row on its own (REST on the row) and then saves its parent reloaded, so the parent's rule
	never sees the change. Rows change only with their document."""
	frappe.throw(
		_("A row of {0} changes only with its {1}.").format(
			_(row.doctype), _(row.get("parenttype") or records.child_tables().get(row.doctype) or "")
		),
		ChildRowError,
	)


class FollowRefusedError(frappe.PermissionError):
	"""A document is followed only by someone who may read it."""


def check_follow(follow, method: str | None = None) -> None:
	"""Document Follow `validate`: the hourly digest of a followed document carries its changes and comments,
	so a document of a complaint is followed only by a user who may read it."""
	if follow.ref_doctype in records.PARENTS and follow.ref_docname and follow.user:
		if frappe.db.exists(follow.ref_doctype, follow.ref_docname) and not frappe.has_permission(
			follow.ref_doctype, "read", doc=follow.ref_docname, user=follow.user
		):
			frappe.throw(_("{0} may not follow this document.").format(follow.user), FollowRefusedError)


class AttachmentError(frappe.PermissionError):
	"""A complaint's file stays attached to it, and private."""


def keep_attachment(file, method: str | None = None) -> None:
	"""File `validate`: a file attached to a complaint's document is never detached, moved to another
	document or made public; a file is attached only to a document the user may read."""
	if frappe.flags.in_install or frappe.flags.in_migrate or frappe.session.user == "Administrator":
		return
	if file.flags.ignore_permissions:  # the app's own code (a client cannot set a document's flags)
		return
	before = file.get_doc_before_save()
	if before and before.attached_to_doctype in records.PARENTS and before.attached_to_name:
		if (file.attached_to_doctype, file.attached_to_name) != (
			before.attached_to_doctype,
			before.attached_to_name,
		) or not cint(file.is_private):
			frappe.throw(_("A complaint's file stays attached to it, and private."), AttachmentError)
	if (
		file.attached_to_doctype in records.PARENTS
		and file.attached_to_name
		and (before is None or before.attached_to_name != file.attached_to_name)
		and frappe.db.exists(file.attached_to_doctype, file.attached_to_name)
		and not frappe.has_permission(file.attached_to_doctype, "read", doc=file.attached_to_name)
	):
		frappe.throw(_("You may not attach files to this document."), AttachmentError)
