# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from complaint_handling import memos, service_level


class ComplaintMemo(Document):
	def validate(self) -> None:
		complaint = frappe.get_doc("Customer Complaint", self.complaint)
		memos.apply_defaults(self, complaint)
		memos.apply_stage_change(self, complaint)
		service_level.apply(self, complaint=complaint)

	def on_update(self) -> None:
		memos.after_save(self)

	def on_submit(self) -> None:
		memos.after_save(self)
