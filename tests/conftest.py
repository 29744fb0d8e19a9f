"""Tier 1 runs from the repository root without Frappe: make the app package importable."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
