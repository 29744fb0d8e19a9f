"""Setting the app up on a site: install, migrate, demo data."""
