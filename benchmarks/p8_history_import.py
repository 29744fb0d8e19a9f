"""P8: importing the paper history — historical complaints through ERPNext's Data Import, beside ERPNext Issues
imported the same way on the same site.

Run from the bench's sites directory with the app on the path:

    cd ~/frappe-bench/sites && PYTHONPATH=/path/to/app ../env/bin/python /path/to/app/benchmarks/p8_history_import.py \\
        --site bench-complaints.localhost [--rows 10000] [--rounds 5] [--json PATH]

Both go through Frappe's own importer exactly as the Data Import screen's *Start Import* runs it in the worker
(`Importer.import_data` of a saved Data Import: one insert and one commit per row, a log row each), as the
Administrator (every role, so neither pays for a check the other does not). The rows are split into rounds,
complaints and Issues alternating, so that the machine's drift hits both alike. A historical complaint row:
customer, category, subject, channel, received on, item, batch, handling department, decision, closed on,
determination, payer, cost and satisfaction; it is checked as a registration (customer, batch, dates,
company), looked up for repeats, stored closed and counted in the weekly and satisfaction summaries. An Issue
row: subject, customer, raised by, description. Everything imported is deleted afterwards (SQL), and the
summaries recounted.
"""

import argparse
import csv
import json
import os
import random
import statistics
import tempfile
import time

import frappe

WORDS = (
	"pump leak seal noise motor bearing filter crack housing valve pressure switch float cable rust "
	"impeller shaft vibration overheating tripping corrosion gasket flange outlet inlet timer display"
).split()
PREFIX = "P8 history"


def write_csv(path: str, headers: list[str], rows: list[dict]) -> None:
	with open(path, "w", newline="", encoding="utf-8") as handle:
		writer = csv.DictWriter(handle, fieldnames=headers)
		writer.writeheader()
		writer.writerows(rows)


def complaint_rows(n: int, rng: random.Random, facts: dict) -> list[dict]:
	rows = []
	for _ in range(n):
		received = frappe.utils.add_days(frappe.utils.now_datetime(), -rng.randrange(400, 3000))
		closed = frappe.utils.add_days(received, rng.randrange(1, 40))
		rows.append(
			{
				"Customer": rng.choice(facts["customers"]),
				"Category": "Product Quality",
				"Subject": f"{PREFIX} {' '.join(rng.sample(WORDS, 4))}",
				"Channel": "Phone",
				"Received On": received.strftime("%Y-%m-%d %H:%M:%S"),
				"Item": facts["item"],
				"Batch No": rng.choice(facts["batches"]) if facts["batches"] else "",
				"Handling Department": facts["department"],
				"Decision Communicated to Customer": "Settled on paper",
				"Imported History": 1,
				"Closed On": closed.strftime("%Y-%m-%d"),
				"Determination (History)": rng.choice(
					["Obvious Quality Defect", "Obvious Misuse", "Cannot Be Determined"]
				),
				"Paid By (History)": rng.choice(["Company", "Customer", "Dealer", "Shared"]),
				"Cost to the Company (History)": rng.randrange(0, 2000),
				"Satisfaction": rng.choice([0, 40, 60, 80, 100]),
			}
		)
	return rows


def issue_rows(n: int, rng: random.Random, facts: dict) -> list[dict]:
	return [
		{
			"Subject": f"{PREFIX} {' '.join(rng.sample(WORDS, 4))}",
			"Customer": rng.choice(facts["customers"]),
			"Raised By (Email)": "buyer@customers.example.com",
			"Description": "Imported from the old helpdesk",
		}
		for _ in range(n)
	]


def run_import(doctype: str, headers: list[str], rows: list[dict], folder: str) -> tuple[float, int, int]:
	"""Seconds for the import of `rows` (Frappe's importer, as the worker runs it); (seconds, ok, failed)."""
	from frappe.core.doctype.data_import.importer import Importer

	path = os.path.join(folder, f"{frappe.scrub(doctype)}-{time.monotonic_ns()}.csv")
	write_csv(path, headers, rows)
	data_import = frappe.get_doc(
		{
			"doctype": "Data Import",
			"reference_doctype": doctype,
			"import_type": "Insert New Records",
			"mute_emails": 1,
		}
	).insert()
	with open(path, "rb") as handle:  # uploaded as the screen uploads it: a private file of the import
		upload = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": os.path.basename(path),
				"content": handle.read(),
				"is_private": 1,
				"attached_to_doctype": "Data Import",
				"attached_to_name": data_import.name,
			}
		).insert()
	data_import.db_set("import_file", upload.file_url)
	frappe.db.commit()
	started = time.perf_counter()
	log = Importer(doctype, data_import=data_import).import_data()
	seconds = time.perf_counter() - started
	ok = sum(1 for row in log if row.get("success"))
	return seconds, ok, len(log) - ok


def clean() -> None:
	from complaint_handling.customer import satisfaction
	from complaint_handling.intake import received_weeks

	frappe.db.sql("delete from `tabCustomer Complaint` where subject like %s", f"{PREFIX}%")
	frappe.db.sql("delete from `tabIssue` where subject like %s", f"{PREFIX}%")
	frappe.db.sql(
		"delete from `tabData Import Log` where data_import in (select name from `tabData Import` where reference_doctype in ('Customer Complaint', 'Issue') and owner = 'Administrator')"
	)
	for name in frappe.get_all(
		"Data Import",
		{"reference_doctype": ["in", ["Customer Complaint", "Issue"]], "owner": "Administrator"},
		pluck="name",
	):
		frappe.delete_doc("Data Import", name, force=True)  # with its uploaded file
	received_weeks.rebuild()
	satisfaction.rebuild()
	frappe.db.commit()


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--rows", type=int, default=10_000)
	parser.add_argument("--rounds", type=int, default=5)
	parser.add_argument("--seed", type=int, default=2026)
	parser.add_argument("--json")
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	frappe.local.lang = "en"
	rng = random.Random(args.seed)
	from complaint_handling.setup import demo

	facts = {
		"customers": frappe.get_all("Customer", pluck="name", limit=50, order_by="creation"),
		"item": demo.BATCH_ITEM,
		"batches": frappe.get_all("Batch", filters={"item": demo.BATCH_ITEM}, pluck="name", limit=20),
		"department": frappe.get_all("Department", filters={"is_group": 0}, pluck="name", limit=1)[0],
	}
	clean()
	complaint_headers = list(complaint_rows(1, rng, facts)[0])
	issue_headers = list(issue_rows(1, rng, facts)[0])
	per_round = args.rows // args.rounds
	results = {"complaints": [], "issues": []}
	with tempfile.TemporaryDirectory() as folder:
		for round_no in range(args.rounds):
			for kind, doctype, headers, make in (
				("issues", "Issue", issue_headers, issue_rows),
				("complaints", "Customer Complaint", complaint_headers, complaint_rows),
			)[:: 1 if round_no % 2 == 0 else -1]:
				seconds, ok, failed = run_import(doctype, headers, make(per_round, rng, facts), folder)
				results[kind].append({"seconds": seconds, "ok": ok, "failed": failed})
				print(
					f"round {round_no + 1}: {doctype}: {ok} imported, {failed} failed, {seconds:.1f} s",
					flush=True,
				)
	total = {
		kind: {
			"rows": sum(r["ok"] for r in runs),
			"failed": sum(r["failed"] for r in runs),
			"seconds": sum(r["seconds"] for r in runs),
			"ms_per_row_median_round": statistics.median(1000 * r["seconds"] / max(r["ok"], 1) for r in runs),
		}
		for kind, runs in results.items()
	}
	total["ratio"] = total["complaints"]["seconds"] / total["issues"]["seconds"]
	total["complaint_rows_per_s"] = total["complaints"]["rows"] / total["complaints"]["seconds"]
	total["summary_check"] = check_summaries()
	print(json.dumps(total, indent=1))
	if args.json:
		with open(args.json, "w") as handle:
			json.dump({"rounds": results, "total": total}, handle, indent=1)
	clean()


def check_summaries() -> bool:
	"""After the import the weekly summary equals a recount (each row counted itself, in its transaction)."""
	from complaint_handling.intake import received_weeks

	table = received_weeks.SUMMARY.table
	before = frappe.db.sql(f"select name, complaints from {table} where complaints != 0 order by name")
	received_weeks.rebuild()
	after = frappe.db.sql(f"select name, complaints from {table} where complaints != 0 order by name")
	frappe.db.commit()
	return before == after


if __name__ == "__main__":
	main()
