"""Puts the project's folders into the wheel, so an installed iza-kg serves the whole graph from anywhere.

ontology/, data/, shapes/, queries/ and sources/ sit beside app/ in a checkout; setuptools only packages
what lies inside a package, so the build copies them to app/project/ (app/paths.py looks there first).
An editable install (`pip install -e .`, the Makefile's) reads them where they are and copies nothing.
Everything else is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

PROJECT_FOLDERS = ("ontology", "data", "shapes", "queries", "sources")


class BuildWithProjectFolders(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        here = Path(__file__).resolve().parent
        for folder in PROJECT_FOLDERS:
            target = Path(self.build_lib) / "app" / "project" / folder
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(here / folder, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithProjectFolders})
