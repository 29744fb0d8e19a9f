"""The service desk hands over (docs/procedure.md §2): a support ticket escalates into a complaint and learns how
it ends. issue.py: ERPNext's Issue."""
