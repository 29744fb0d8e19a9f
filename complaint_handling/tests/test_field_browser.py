"""Tier 2, in a real browser on a phone's screen with the network cut: the region manager fills the inspection
on its field page offline — two photos from the camera, the findings, the determination, the customer's
opinion and signature —, reloads the page without a connection, and comes back online: the server then has the
inspection and exactly two photos. An upload whose connection drops after the server stored it is sent again
and stored once; a value changed on the server meanwhile is shown to the user, who decides.

Screenshots (what the person sees) go to the test site's test-output/screenshots.
"""

import unittest

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.quality import field_inspection
from complaint_handling.setup import demo
from complaint_handling.tests.browser import Desk, missing_browser, start_browser, stop_browser
from complaint_handling.tests.factories import demo_delivery, make_complaint
from complaint_handling.tests.test_defect_inspection import PNG, Inspector
from complaint_handling.tests.test_field_inspection import FieldInspections

EAST = demo.TERRITORIES[0].manager_email
PAGE = "/inspection-field/app#"


def photo(name: str) -> dict:
	return {"name": name, "mimeType": "image/png", "buffer": PNG}


@unittest.skipIf(missing_browser(), missing_browser() or "")
class TestFieldPageOffline(FieldInspections, FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.delivery = demo_delivery(0)
		cls.east = Inspector(EAST)
		cls.complaints: list[str] = []
		start_browser(cls)

	@classmethod
	def tearDownClass(cls):
		stop_browser(cls)
		cls.remove_inspections()
		super().tearDownClass()

	def phone(self, name: str) -> Desk:
		"""The region manager's phone, logged in, with the field page loaded once with a connection."""
		phone = Desk(self.browser, self.base, EAST, demo.DEMO_PASSWORD, phone=True)
		self.addCleanup(phone.close)
		phone.page.goto(f"{self.base}{PAGE}{name}")
		phone.page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
		phone.see(name, "All sent")
		# installable on the home screen: Chromium finds nothing missing but a private window's own limit
		errors = phone.context.new_cdp_session(phone.page).send("Page.getInstallabilityErrors")
		found = {e["errorId"] for e in errors["installabilityErrors"]} - {"in-incognito"}
		self.assertEqual(found, set(), errors)
		return phone

	def all_sent(self, phone: Desk) -> None:
		"""Until the page says everything is sent (and nothing is left on the phone to send)."""
		phone.page.wait_for_function("() => document.getElementById('sync').textContent === 'All sent'")
		phone.see("All sent")

	def stored(self, name: str):
		frappe.db.rollback()
		return frappe.get_doc("Defect Inspection", name)

	def test_filled_offline_with_two_photos_kept_across_a_reload_and_sent_once_online(self):
		name = self.inspection()
		phone = self.phone(name)
		page = phone.page
		phone.context.set_offline(True)
		phone.see("Offline: what you enter is kept on this phone and sent when the connection returns.")
		page.fill("#caption", "Inlet housing")
		page.set_input_files("#camera", [photo("inlet.png"), photo("label.png")])
		phone.see("2 waiting to send")
		page.fill("#findings", "Housing cracked at the inlet; no sign of a blow.")
		page.click("#now")
		page.select_option("#determination", "Obvious Quality Defect")
		page.click("#add-part")
		page.fill("#parts .part-item", frappe.db.get_value("Defect Inspection", name, "item"))
		page.fill("#parts .part-qty", "2")
		page.fill("#customer_opinion", "Wants a replacement.")
		box = page.locator("#signature").bounding_box()
		page.mouse.move(box["x"] + 20, box["y"] + 30)
		page.mouse.down()
		page.mouse.move(box["x"] + 120, box["y"] + 80, steps=8)
		page.mouse.move(box["x"] + 220, box["y"] + 40, steps=8)
		page.mouse.up()
		page.click("#save")
		phone.see("3 waiting to send")
		phone.shot("field-page-offline-waiting")
		self.assertEqual(len(self.stored(name).photos), 0, "nothing reached the server")

		page.reload()  # offline: the service worker serves the page, the phone keeps what was entered
		phone.see("3 waiting to send", "Waiting to send")
		self.assertEqual(page.input_value("#findings"), "Housing cracked at the inlet; no sign of a blow.")
		self.assertEqual(page.locator(".photo.waiting").count(), 2)
		phone.shot("field-page-offline-after-reload")

		phone.context.set_offline(False)
		page.evaluate("() => window.dispatchEvent(new Event('online'))")
		self.all_sent(phone)
		phone.shot("field-page-back-online")
		doc = self.stored(name)
		self.assertEqual(len(doc.photos), 2, "exactly the two photos")
		self.assertEqual({row.caption for row in doc.photos}, {"Inlet housing"})
		self.assertTrue(all(row.taken_on_phone_at and row.client_key for row in doc.photos))
		self.assertTrue(all(row.photo.startswith("/private/files/") for row in doc.photos))
		self.assertEqual(doc.findings, "Housing cracked at the inlet; no sign of a blow.")
		self.assertEqual(doc.determination, "Obvious Quality Defect")
		self.assertEqual((doc.determined_by, doc.customer_opinion), (EAST, "Wants a replacement."))
		self.assertTrue(doc.customer_signature.startswith("data:image/png;base64,"))
		self.assertTrue(doc.arrived_at)
		self.assertEqual([(row.item, row.qty) for row in doc.parts_used], [(doc.item, 2)])
		self.assertEqual(frappe.db.count(field_inspection.CHANGE_LOG, {"inspection": name}), 1)
		self.assertEqual(phone.problems, [])

	def test_an_upload_cut_off_after_the_server_stored_it_is_sent_again_and_stored_once(self):
		name = self.inspection()
		phone = self.phone(name)
		cut = []

		def drop_the_answer(route):
			if not cut:
				# the server receives and stores the photo (sent by Playwright, which resolves no *.localhost:
				# to the loopback address, with the site's name as the host) ...
				site = route.request.url.split("/")[2]
				route.fetch(
					url=route.request.url.replace(site, "127.0.0.1:" + site.rsplit(":", 1)[1], 1),
					headers={**route.request.headers, "host": site},
				)
				cut.append(route.request.url)
				route.abort("connectionreset")  # ... and the phone never hears back
			else:
				route.continue_()

		phone.context.route("**/complaint_handling.quality.field_inspection.add_photo", drop_the_answer)
		phone.page.set_input_files("#camera", [photo("meter.png")])
		phone.see("1 waiting to send")
		self.all_sent(phone)
		self.assertEqual(len(cut), 1, "the first answer was cut off")
		self.assertEqual(len(self.stored(name).photos), 1, "stored once, though sent twice")
		self.assertEqual(frappe.db.count("File", {"attached_to_name": name}), 1)

	def test_a_value_changed_on_the_server_meanwhile_is_shown_and_the_user_decides(self):
		name = self.inspection()
		phone = self.phone(name)
		page = phone.page
		phone.context.set_offline(True)
		page.fill("#findings", "Written on the phone.")
		page.click("#save")
		phone.see("1 waiting to send")
		response = self.east.put(name, {"findings": "Written in the desk meanwhile."})
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:300])
		frappe.db.commit()
		phone.context.set_offline(False)
		page.evaluate("() => window.dispatchEvent(new Event('online'))")
		phone.see(
			"Changed on the server meanwhile", "Written in the desk meanwhile.", "Written on the phone."
		)
		phone.shot("field-page-conflict")
		self.assertEqual(self.stored(name).findings, "Written in the desk meanwhile.", "not overwritten")
		page.click("button.keep-mine")
		self.all_sent(phone)
		self.assertEqual(self.stored(name).findings, "Written on the phone.", "the user kept his")

	def test_the_inspection_form_and_the_assignment_lead_to_the_field_page(self):
		complaint = make_complaint(
			customer=self.delivery.customer, category="Product Quality", serial_no=self.delivery.serial_no
		)
		self.complaints.append(complaint.name)
		# the region manager's assignment to inspect on site (as the dispatch leaves it), then his inspection
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": EAST,
				"description": "Inspect on site",
				"reference_type": "Customer Complaint",
				"reference_name": complaint.name,
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
		response = self.east.create({"complaint": complaint.name})
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:400])
		name = response.json["data"]["name"]
		frappe.db.rollback()
		todo = frappe.get_all(
			"ToDo",
			{"reference_name": complaint.name, "allocated_to": EAST, "status": "Open"},
			pluck="description",
		)
		self.assertTrue(todo and all(f"{PAGE}{name}" in t for t in todo), todo)
		desk = Desk(self.browser, self.base, EAST, demo.DEMO_PASSWORD)
		self.addCleanup(desk.close)
		desk.open(f"defect-inspection/{name}")
		with desk.context.expect_page() as opened:
			desk.button("Field Page")
		field = opened.value
		field.wait_for_load_state()
		self.assertTrue(field.url.endswith(f"{PAGE}{name}"), field.url)
		field.wait_for_function("() => document.getElementById('sync').textContent === 'All sent'")
		self.assertIn(name, field.inner_text("#main"))
		self.assertEqual(desk.problems, [])
