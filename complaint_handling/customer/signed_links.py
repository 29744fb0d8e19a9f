"""Signed, expiring links e-mailed to a customer (the read-back confirmation, the satisfaction survey): made
and checked with the site's own signature (frappe.utils.verified_command)."""

import hmac
from urllib.parse import urlencode

from frappe.utils import get_datetime, get_url, now_datetime
from frappe.utils.verified_command import get_signed_params


def _link_params(name: str, expires: str, purpose: str | None = None) -> str:
	"""What a link signs. The survey's carries its purpose, so one link never opens the other's door; the
	confirmation link keeps its original form, so links already e-mailed stay valid."""
	params = {"complaint": name, "expires": expires}
	if purpose:
		params["purpose"] = purpose
	return urlencode(params)


def signed_url(path: str, name: str, expires, purpose: str | None = None) -> str:
	"""A link to `path` for this complaint, signed by this site, valid until `expires`."""
	expires = get_datetime(expires).replace(microsecond=0).isoformat()
	return get_url(f"{path}?" + get_signed_params(_link_params(name, expires, purpose)))


def link_problem(complaint, expires, signature, purpose: str | None = None) -> str | None:
	"""'invalid' unless this site signed the link for this complaint (and purpose); 'expired' past its time."""
	if not all(isinstance(v, str) and v for v in (complaint, expires, signature)):
		return "invalid"
	expected = get_signed_params(_link_params(complaint, expires, purpose)).rsplit("&_signature=", 1)[1]
	if not hmac.compare_digest(expected.encode(), signature.encode()):
		return "invalid"
	try:
		return "expired" if get_datetime(expires) < now_datetime() else None
	except Exception:
		return "invalid"
