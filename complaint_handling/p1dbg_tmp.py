from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import frappe


def run():
	import sys

	sys.path.insert(0, "/work/main/benchmarks")
	import p1_erpnext as p
	from erpnext.support.doctype.service_level_agreement.service_level_agreement import get_expected_time_for

	from complaint_handling.domain.calendar import Calendar, add_working_time, weekly_windows

	zone = ZoneInfo(p.ZONE)
	both = Calendar(
		weekly_windows(range(5), ("08:30", "17:30")), timezone=p.ZONE, holidays=frozenset(p.NATIONAL_DAY)
	)
	lvl = p.service_level(15 * 9 * 3600)
	bad = 0
	for s in p.starts(2026, 2000):
		e = get_expected_time_for("response", lvl, s)
		o = add_working_time(both, s.replace(tzinfo=zone), timedelta(hours=135)).replace(tzinfo=None)
		if e != datetime.combine(o.date(), datetime.min.time()) + p.CLOSE:
			bad += 1
			if bad < 8:
				print(s, s.strftime("%a"), "erp", e, "ours", o)
	print(bad)
