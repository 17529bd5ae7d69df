"""The code has no unused imports, undefined names or syntax errors (ruff's pyflakes rules)."""

import subprocess
import sys

from app.loader import ROOT


def test_ruff_finds_no_pyflakes_errors():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "F,E9", "--output-format", "concise",
                             "app", "bench", "tests"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
