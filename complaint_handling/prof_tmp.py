import cProfile
import io
import pstats
import random

import frappe


def run():
	frappe.set_user("Administrator")
	customers = frappe.get_all("Customer", pluck="name")
	rng = random.Random(1)

	def body(n):
		return {
			"doctype": "Customer Complaint",
			"customer": customers[n % len(customers)],
			"category": "Policy / Customer Service",
			"subject": " ".join(
				rng.sample("a1 b2 c3 d4 e5 f6 g7 h8 i9 j10 k11 l12 m13 n14 o15 p16 q17".split(), 5)
			)
			+ str(n),
			"channel": "Phone",
			"complainant_name": "P",
			"complainant_email": f"p3.{n}@customers.example.com",
			"description": "late",
		}

	for n in range(5):
		frappe.get_doc(body(n)).insert()
	pr = cProfile.Profile()
	pr.enable()
	for n in range(5, 25):
		frappe.get_doc(body(n)).insert()
	pr.disable()
	s = io.StringIO()
	pstats.Stats(pr, stream=s).sort_stats("cumulative").print_stats(
		"complaint_handling|workflow_action|naming|_validate_links|db_insert", 60
	)
	print(s.getvalue()[:12000])
	frappe.db.rollback()
