"""Pure domain core: the seed's rules as plain functions. Never imports frappe."""
