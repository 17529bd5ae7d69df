"""Where the project's folders are: beside app/ in a checkout, inside the package in an installed wheel.

The wheel carries ontology/, data/, shapes/, queries/ and sources/ as package data under app/project/
(see pyproject.toml), so `pip install .` then `iza-kg serve` works from any directory.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
INSTALLED_ROOT = PACKAGE_DIR / "project"
ROOT = INSTALLED_ROOT if INSTALLED_ROOT.is_dir() else PACKAGE_DIR.parent
