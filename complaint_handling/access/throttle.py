"""Per-user and per-IP limits on what outsiders can repeat: submissions and the guest confirmation link.

Counted in Redis in fixed windows (as Frappe's own `rate_limit`), with the limits from Complaint Settings
(policy is data). Exceeding one answers HTTP 429 with a message saying when to try again.
"""

import frappe
from frappe import _
from frappe.utils import cint

WINDOW_SECONDS = 3600


def identities() -> list[str]:
	user = frappe.session.user
	ip = getattr(frappe.local, "request_ip", None)
	found = [] if user == "Guest" else [f"user:{user}"]
	return [*found, f"ip:{ip}"] if ip else found


def check(action: str, setting: str) -> None:
	"""Count one `action` for this user and this IP; refuse past the hourly limit in `setting`."""
	if frappe.session.user == "Administrator" or (frappe.flags.in_test and not frappe.flags.throttle_in_test):
		return
	limit = cint(frappe.db.get_single_value("Complaint Settings", setting))
	if limit <= 0:
		return  # 0 turns the limit off
	for identity in identities():
		key = frappe.cache.make_key(f"complaint_handling:{action}:{identity}")
		if not frappe.cache.get(key):
			frappe.cache.setex(key, WINDOW_SECONDS, 0)
		if frappe.cache.incrby(key, 1) > limit:
			frappe.throw(
				_("Too many attempts: at most {0} an hour. Please try again later.").format(limit),
				frappe.RateLimitExceededError,
				title=_("Slow down"),
			)
