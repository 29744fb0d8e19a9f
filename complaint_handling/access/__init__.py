"""Who reaches what: the app's answer to every door Frappe opens onto a complaint (docs/procedure.md §12)."""
