from complaint_handling.integrations.erpnext.permissions import grant_erpnext_permissions


def execute() -> None:
	grant_erpnext_permissions()
