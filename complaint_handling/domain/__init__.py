"""Pure domain core: the rules of docs/procedure.md as plain functions. Never imports frappe."""
