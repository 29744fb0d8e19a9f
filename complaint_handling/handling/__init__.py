"""Handling a complaint (docs/procedure.md §3–§4, §9): routing, approvals, memos to the department at fault, whose move it is."""
