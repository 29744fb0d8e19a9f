"""QA keeps the Non Conformance it opens from an inspection; the GM and the representative read it."""

from complaint_handling.integrations.erpnext.permissions import grant_erpnext_permissions


def execute() -> None:
	grant_erpnext_permissions()
