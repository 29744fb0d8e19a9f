"""The inspection's field page (issue 26): a phone-first page under /inspection-field/ that keeps working
without a connection once loaded — its shell, its service worker and its web app manifest, served by this
page renderer (Frappe's `page_renderer` hook) so that the worker's scope covers the page and every response
says what it is. The page's script and style are the app's public assets; its data comes from
quality/field_inspection.py and is kept on the phone (IndexedDB) by the script.
"""

import functools
import hashlib
import json
from pathlib import Path

import frappe
from frappe import _
from frappe.website.page_renderers.base_renderer import BaseRenderer
from werkzeug.wrappers import Response

from complaint_handling.domain.inspection import FIELD_PAGE

SCOPE = "/inspection-field/"
ASSETS = "/assets/complaint_handling/field/"
PUBLIC = Path(__file__).resolve().parent.parent / "public" / "field"
FILES = ("field.js", "field.css", "icon-192.png", "icon-512.png")
ROUTES = {
	"inspection-field/app": "text/html; charset=utf-8",
	"inspection-field/sw.js": "text/javascript; charset=utf-8",
	"inspection-field/manifest.webmanifest": "application/manifest+json; charset=utf-8",
}
# what the page's script shows; translated into the user's language when the page is served
TEXTS = (
	"Inspection",
	"Offline: what you enter is kept on this phone and sent when the connection returns.",
	"Online",
	"All sent",
	"Sending…",
	"{0} waiting to send",
	"Waiting to send",
	"Changed on the server meanwhile",
	"On the server",
	"Yours",
	"Keep mine",
	"Take the server's",
	"Refused by the server",
	"Discard",
	"Save",
	"Now",
	"Arrived At",
	"Findings",
	"Determination",
	"Misuse Handling",
	"Fixed on Site",
	"Parts Used",
	"Item",
	"Qty",
	"Serial No",
	"Add a Part",
	"Customer's Opinion",
	"Customer Signature",
	"Clear",
	"Photos",
	"Take a Photo",
	"Caption",
	"Taken on the phone",
	"Received",
	"No inspection named in the address.",
	"Log in to open the inspection.",
	"This inspection is not on this phone yet: open it once with a connection.",
	"Only the inspector writes the site report, while the inspection is a draft.",
	"Photo",
	"Changes",
	"Open in the desk",
)


@functools.cache
def version() -> str:
	"""Changes with the page's files: a new worker then replaces the phone's cached copies."""
	digest = hashlib.sha1()
	for name in FILES:
		digest.update((PUBLIC / name).read_bytes())
	return digest.hexdigest()[:12]


class FieldPage(BaseRenderer):
	def can_render(self) -> bool:
		return self.path in ROUTES

	def render(self) -> Response:
		body = {
			"inspection-field/app": shell,
			"inspection-field/sw.js": service_worker,
			"inspection-field/manifest.webmanifest": manifest,
		}[self.path]()
		response = Response(body, status=200, content_type=ROUTES[self.path])
		response.headers["Cache-Control"] = (
			"no-cache"  # the worker keeps the offline copy, not the HTTP cache
		)
		if self.path.endswith("sw.js"):
			response.headers["Service-Worker-Allowed"] = SCOPE
		return response


def shell() -> str:
	return frappe.render_template(
		"complaint_handling/templates/field/app.html",
		{
			"assets": ASSETS,
			"version": version(),
			"scope": SCOPE,
			"texts": json.dumps({text: _(text) for text in TEXTS}, ensure_ascii=False),
			"lang": frappe.local.lang or "en",
			"title": _("Inspection"),
		},
	)


def service_worker() -> str:
	cached = [
		FIELD_PAGE,
		f"{SCOPE}manifest.webmanifest",
		*(f"{ASSETS}{name}?v={version()}" for name in FILES),
	]
	return frappe.render_template(
		"complaint_handling/templates/field/sw.js",
		{"version": version(), "cached": json.dumps(cached), "shell": json.dumps(FIELD_PAGE)},
	)


def manifest() -> str:
	return json.dumps(
		{
			"name": _("Inspection"),
			"short_name": _("Inspection"),
			"start_url": FIELD_PAGE,
			"scope": SCOPE,
			"display": "standalone",
			"background_color": "#ffffff",
			"theme_color": "#2490ef",
			"icons": [
				{"src": f"{ASSETS}icon-192.png?v={version()}", "sizes": "192x192", "type": "image/png"},
				{"src": f"{ASSETS}icon-512.png?v={version()}", "sizes": "512x512", "type": "image/png"},
			],
		},
		ensure_ascii=False,
	)
