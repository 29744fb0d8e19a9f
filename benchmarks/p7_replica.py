"""P7: a real read replica — which of the app's screens read from it, that nothing is written there, what a
lagging replica shows, and the P5 requests with and without it.

Needs the replica of `scripts/dev-bench replica SITE` (a second MariaDB on 127.0.0.1:3307 replicating the
site's database, read-only for everyone but replication; `read_from_replica` on for the site). Run with the
bench's Python from its sites folder:

    cd ~/frappe-bench/sites && PYTHONPATH=/path/to/complaint_handling \\
        ../env/bin/python /path/to/complaint_handling/benchmarks/p7_replica.py \\
        --site bench-complaints.localhost --url http://127.0.0.1:8000 [--json PATH]

1. Each request of a region manager's workspace, lists and reports (P5) is sent once; the replica's own
   counters (`Com_select`, and `Com_insert`/`Com_update`/`Com_delete`/`Com_replace`) tell whether it read
   there and that it wrote nothing (the server is read-only as well: a write would fail the request).
2. Lag: the replica's applier is stopped, a complaint is registered over REST; the region manager's count
   read from the replica is the old one, the complaint opens and its form answers (the primary); the applier
   is started again and the count catches up.
3. The P5 requests, median of `--repeat`, with read_from_replica on and then off.
"""

import argparse
import json
import statistics
import time

import frappe
import pymysql

from benchmarks import p5_screens as p5

COUNTERS = ("Com_select", "Com_insert", "Com_update", "Com_delete", "Com_replace")


def replica_connection(port: int) -> pymysql.Connection:
	return pymysql.connect(
		host="127.0.0.1",
		port=port,
		user="root",
		password=frappe.conf.root_password or "root",
		autocommit=True,
	)


def counters(conn) -> dict[str, int]:
	with conn.cursor() as cursor:
		cursor.execute("show global status where Variable_name in %s", (COUNTERS,))
		return {name: int(value) for name, value in cursor.fetchall()}


def delta(before: dict, after: dict) -> dict:
	return {k: after[k] - before[k] for k in before}


def set_replica(site: str, on: bool) -> None:
	from frappe.installer import update_site_config

	update_site_config("read_from_replica", 1 if on else 0, site_config_path=f"{site}/site_config.json")


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", default="bench-complaints.localhost")
	parser.add_argument("--url", default="http://127.0.0.1:8000")
	parser.add_argument("--replica-port", type=int, default=3307)
	parser.add_argument("--repeat", type=int, default=5)
	parser.add_argument("--json")
	args = parser.parse_args()
	frappe.init(site=args.site)
	frappe.connect()
	replica = replica_connection(args.replica_port)
	set_replica(args.site, True)
	client = p5.Client(args.url, args.site, p5.REGION_MANAGER)
	calls = {
		**p5.complaint_list_requests(),
		**p5.workspace_requests(p5.REGION_MANAGER),
		**p5.report_requests(),
	}

	# 1. where each request reads, and that nothing is written on the replica
	where: dict[str, dict] = {}
	for name, call in calls.items():
		client.call(*call)  # warm: sessions, caches
		before = counters(replica)
		client.call(*call)
		change = delta(before, counters(replica))
		where[name] = {
			"replica_selects": change["Com_select"],
			"replica_writes": sum(change.values()) - change["Com_select"],
		}
	print(json.dumps(where, indent=1), flush=True)

	# 2. lag: the applier stopped, a complaint registered on the primary
	clerk = p5.Client(args.url, args.site, f"clerk@{p5.demo.EMAIL_DOMAIN}")
	count_call = p5.complaint_list_requests()["exact count, open"]

	def count() -> int:
		return client.session.post(f"{args.url}/api/method/{count_call[0]}", data=count_call[1]).json()[
			"message"
		]

	with replica.cursor() as cursor:
		cursor.execute("stop slave sql_thread")
	try:
		before = count()
		response = clerk.session.post(
			f"{args.url}/api/resource/Customer Complaint",
			json={"customer": frappe.get_all("Customer", pluck="name", limit=1)[0], "category": "Policy / Customer Service",
				"subject": "P7 lag: registered while the replica lags", "channel": "Phone",
				"complainant_email": "p7.buyer@customers.example.com", "unconfirmed_reason": "P7"},
		)  # fmt: skip
		response.raise_for_status()
		name = response.json()["data"]["name"]
		frappe.db.rollback()
		frappe.db.set_value("Customer Complaint", name, "territory", p5.demo.TERRITORIES[0].name)
		frappe.db.commit()
		during = count()
		opened = client.session.get(f"{args.url}/api/method/frappe.desk.form.load.getdoc",
			params={"doctype": "Customer Complaint", "name": name})  # fmt: skip
		lag = {
			"count before": before,
			"count while lagging": during,
			"the new complaint opens": opened.status_code,
		}
	finally:
		with replica.cursor() as cursor:
			cursor.execute("start slave sql_thread")
	for _ in range(60):
		with replica.cursor() as cursor:
			cursor.execute("show slave status")
			row = dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=False))
		if row["Seconds_Behind_Master"] == 0:
			break
		time.sleep(0.5)
	time.sleep(1)
	lag["count after catching up"] = count()
	print(json.dumps(lag, indent=1), flush=True)
	frappe.delete_doc("Customer Complaint", name, force=True, ignore_permissions=True)
	frappe.db.commit()

	# 3. the P5 requests with and without the replica
	timings: dict[str, dict] = {}
	for on in (True, False):
		set_replica(args.site, on)
		time.sleep(1)
		for request, call in calls.items():
			client.call(*call)
			ms = round(statistics.median(client.call(*call) for _ in range(args.repeat)) * 1000, 1)
			timings.setdefault(request, {})["with replica" if on else "primary only"] = ms
	set_replica(args.site, True)
	print(json.dumps(timings, indent=1), flush=True)
	if args.json:
		with open(args.json, "w") as f:
			json.dump({"where": where, "lag": lag, "timings": timings}, f, indent=1)
	frappe.destroy()


if __name__ == "__main__":
	main()
