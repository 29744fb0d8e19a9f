"""Penalties (docs/procedure.md §11): rules as data, fines proposed, approved, posted and reversed."""
