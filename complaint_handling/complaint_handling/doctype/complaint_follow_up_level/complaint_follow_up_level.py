# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document


class ComplaintFollowupLevel(Document):
	"""A row of Complaint Settings: who calls the customer back, and how many days after closure."""
