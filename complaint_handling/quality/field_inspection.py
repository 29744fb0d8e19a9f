"""The inspection's field page on the server (issue 26): what the region manager's phone loads, and the changes
and photos it sends when it has a connection again.

Each change and each photo carries a key made on the phone, so a retry (a connection dropped after the server
stored it) never stores it twice; each change carries the values the phone saw, so a value changed meanwhile on
the server is answered with a conflict (409) to show the user, never silently overwritten. Everything goes
through the inspection's own save: the same permissions, steps and rules as the desk form (only its inspector,
only while it is a draft; a determination needs a photo the server has received); photos are stamped by the
server (when received, by whom) and kept private, beside when the phone says it took them.
"""

import json
import mimetypes
import re
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import get_datetime, get_system_timezone, now_datetime

from complaint_handling.domain.inspection import field_page_url
from complaint_handling.domain.statuses import INSPECTION_DRAFT
from complaint_handling.service_levels.calendars import naive

INSPECTION = "Defect Inspection"
CHANGE_LOG = "Inspection Field Change"
# what the field page writes: the site report of docs/procedure.md §5
FIELDS = (
	"arrived_at",
	"findings",
	"determination",
	"misuse_handling",
	"fixed_on_site",
	"customer_opinion",
	"customer_signature",
	"parts_used",
)
PART_FIELDS = ("item", "qty", "serial_no")
KEY_PATTERN = re.compile(r"[A-Za-z0-9-]{8,64}")
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
CAPTION_LENGTH = 140


class FieldInputError(frappe.ValidationError):
	"""What the phone sent is not a change the field page makes (a bad key, an unknown field)."""


class NotTheInspectorError(frappe.PermissionError):
	"""Only the inspection's inspector writes its site report from the field page, while it is a draft."""


def check_key(key) -> str:
	if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
		frappe.throw(_("{0}: 8 to 64 letters, digits or dashes.").format(_("Key")), FieldInputError)
	return key


def parse_object(value, label: str) -> dict:
	try:
		parsed = json.loads(value) if isinstance(value, str) else value
	except ValueError:
		parsed = None
	if not isinstance(parsed, dict):
		frappe.throw(_("{0}: send an object of field names and values.").format(_(label)), FieldInputError)
	return parsed


def lock(name) -> None:
	"""Take the inspection's row first: two sends of one key wait for each other instead of both storing."""
	if not isinstance(name, str) or not frappe.db.sql(
		f"select name from `tab{INSPECTION}` where name = %s for update", name
	):
		frappe.throw(_("{0} {1} not found").format(_(INSPECTION), name), frappe.DoesNotExistError)


def inspection_for_field(name) -> "frappe.model.document.Document":
	if not isinstance(name, str) or not frappe.db.exists(INSPECTION, name):
		frappe.throw(_("{0} {1} not found").format(_(INSPECTION), name), frappe.DoesNotExistError)
	doc = frappe.get_doc(INSPECTION, name)
	doc.check_permission("read")
	return doc


def may_write(doc, user: str | None = None) -> bool:
	user = user or frappe.session.user
	return doc.status == INSPECTION_DRAFT and (user == doc.inspector or user == "Administrator")


def check_inspector(doc) -> None:
	doc.check_permission("write")
	if not may_write(doc):
		frappe.throw(
			_("Only the inspector ({0}) writes the site report, while the inspection is a draft.").format(
				doc.inspector
			),
			NotTheInspectorError,
		)


def parts_of(rows) -> list[dict]:
	return [{f: row.get(f) for f in PART_FIELDS} for row in rows or []]


def value_of(doc, field: str):
	if field == "parts_used":
		return parts_of(doc.parts_used)
	value = doc.get(field)
	if isinstance(value, datetime):
		return value.strftime("%Y-%m-%d %H:%M:%S")
	return value


def same(a, b) -> bool:
	"""Equal as the form shows them: blanks alike, numbers by value, date-times to the second."""

	def norm(value):
		if value in (None, "", 0, False, []):
			return None
		if isinstance(value, list):
			return [
				{f: norm(row.get(f)) if f != "qty" else float(row.get("qty") or 0) for f in PART_FIELDS}
				for row in value
				if isinstance(row, dict)
			]
		if isinstance(value, bool | int | float):
			return float(value)
		if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?", value):
			return get_datetime(value.replace("T", " ")).replace(microsecond=0)
		return value

	return norm(a) == norm(b)


def phone_time(value) -> datetime | None:
	"""A moment the phone sends (ISO 8601, with its offset) as the site's local time; None when absent."""
	if value in (None, ""):
		return None
	try:
		moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
	except ValueError:
		frappe.throw(
			_("{0}: {1} is not a date.").format(_("Taken on the Phone At"), frappe.bold(str(value)[:40])),
			FieldInputError,
		)
	if moment.tzinfo is not None:
		moment = naive(moment)  # the site's wall clock
	return moment.replace(microsecond=0)


def to_second(value) -> str | None:
	return str(get_datetime(value).replace(microsecond=0)) if value else None


def state(doc) -> dict:
	"""What the field page shows and keeps on the phone."""
	meta = frappe.get_meta(INSPECTION)
	options = {
		field: [{"value": o, "label": _(o)} for o in (meta.get_field(field).options or "").split("\n") if o]
		for field in ("determination", "misuse_handling")
	}
	return {
		"name": doc.name,
		"complaint": doc.complaint,
		"customer": doc.customer,
		"customer_name": frappe.db.get_value("Customer", doc.customer, "customer_name")
		if doc.customer
		else None,
		"item": doc.item,
		"serial_no": doc.serial_no,
		"status": doc.status,
		"status_label": _(doc.status),
		"inspector": doc.inspector,
		"editable": may_write(doc),
		"modified": str(doc.modified),
		"values": {field: value_of(doc, field) for field in FIELDS},
		"photos": [
			{
				"client_key": row.client_key,
				"photo": row.photo,
				"caption": row.caption,
				"taken_on_phone_at": to_second(row.taken_on_phone_at),
				"received_at": to_second(row.taken_at),
				"taken_by": row.taken_by,
			}
			for row in doc.photos
		],
		"options": options,
		"url": field_page_url(doc.name),
		"time_zone": get_system_timezone(),  # the page's date-times are the site's wall clock
		"csrf_token": frappe.sessions.get_csrf_token(),
	}


@frappe.whitelist(methods=["GET"])
def field_state(name: str) -> dict:
	"""The inspection as the field page shows it (and keeps on the phone for when it is offline)."""
	return state(inspection_for_field(name))


@frappe.whitelist(methods=["POST"])
def apply_change(
	name: str, key: str, changes: str | dict, seen: str | dict, sent_at: str | None = None
) -> dict:
	"""Apply one change made on the phone: `changes` the new values, `seen` the values the phone showed before
	the change. Already applied (same key): answered as applied. A field changed meanwhile on the server to
	something else: 409 with the conflicting values, nothing stored."""
	check_key(key)
	made_at = phone_time(sent_at)
	changes = parse_object(changes, "Changes")
	seen = parse_object(seen, "Seen")
	unknown = sorted(set(changes) - set(FIELDS))
	if unknown or not changes:
		frappe.throw(
			_("{0}: the field page changes only {1}.").format(
				", ".join(unknown) or _("Changes"),
				", ".join(_(frappe.get_meta(INSPECTION).get_label(f)) for f in FIELDS),
			),
			FieldInputError,
		)
	lock(name)
	doc = inspection_for_field(name)
	if frappe.db.exists(CHANGE_LOG, key):
		return {"status": "duplicate", "state": state(doc)}
	check_inspector(doc)
	conflicts = {
		field: {
			"label": _(doc.meta.get_label(field)),
			"server": value_of(doc, field),
			"mine": mine,
		}
		for field, mine in changes.items()
		if not same(value_of(doc, field), seen.get(field)) and not same(value_of(doc, field), mine)
	}
	if conflicts:
		frappe.local.response.http_status_code = 409
		return {"status": "conflict", "conflicts": conflicts, "state": state(doc)}
	for field, value in changes.items():
		if field == "parts_used":
			if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
				frappe.throw(_("{0}: send a list of parts.").format(_("Parts Used")), FieldInputError)
			doc.set("parts_used", [{f: row.get(f) for f in PART_FIELDS} for row in value])
		else:
			doc.set(field, value)
	doc.save()
	record(doc.name, key, {"changes": changes, "seen": seen}, made_at)
	return {"status": "applied", "state": state(doc)}


@frappe.whitelist(methods=["POST"])
def add_photo(name: str, key: str, taken_on_phone_at: str | None = None, caption: str | None = None) -> dict:
	"""Store one photo taken on the phone (the request's `file`), once per key, private to the inspection."""
	check_key(key)
	taken = phone_time(taken_on_phone_at)
	if caption is not None and (not isinstance(caption, str) or len(caption) > CAPTION_LENGTH):
		frappe.throw(_("{0}: at most {1} characters.").format(_("Caption"), CAPTION_LENGTH), FieldInputError)
	lock(name)
	doc = inspection_for_field(name)
	if any(row.client_key == key for row in doc.photos):
		return {"status": "duplicate", "state": state(doc)}
	check_inspector(doc)
	upload = frappe.request.files.get("file") if frappe.request and frappe.request.files else None
	if upload is None or not upload.filename:
		frappe.throw(_("{0}: send the photo as the request's file.").format(_("Photo")), FieldInputError)
	kind = mimetypes.guess_type(upload.filename)[0]
	if kind not in IMAGE_TYPES:
		frappe.throw(_("{0}: a JPEG, PNG, WebP or GIF image.").format(_("Photo")), FieldInputError)
	content = upload.stream.read()
	if not content:
		frappe.throw(_("{0}: the file is empty.").format(_("Photo")), FieldInputError)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": upload.filename,
			"attached_to_doctype": INSPECTION,
			"attached_to_name": doc.name,
			"is_private": 1,
			"content": content,
		}
	).insert(ignore_permissions=True)  # the inspector's photo of his own inspection, checked above
	doc.append("photos", {"photo": file.file_url, "caption": caption, "client_key": key})
	doc.flags.field_photos = {key: taken}
	doc.save()
	return {"status": "applied", "state": state(doc)}


def record(inspection: str, key: str, sent: dict, made_at: datetime | None) -> None:
	"""The change as the phone sent it, under its key: a second send of the key finds it."""
	frappe.get_doc(
		{
			"doctype": CHANGE_LOG,
			"key": key,
			"inspection": inspection,
			"user": frappe.session.user,
			"sent": json.dumps(sent, default=str, ensure_ascii=False),
			"sent_at": made_at,
			"received_at": now_datetime(),
		}
	).insert(ignore_permissions=True)
