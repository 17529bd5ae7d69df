"""Shared fixtures: the project graph loaded once, a backend over it, and the query library."""

from __future__ import annotations

import pytest

from app.backends.embedded import EmbeddedBackend
from app.loader import load_project
from app.queries import QueryLibrary
from app.results import rows



@pytest.fixture(scope="session")
def project():
    return load_project()


@pytest.fixture(scope="session")
def backend(project):
    return EmbeddedBackend.from_project(project)


@pytest.fixture(scope="session")
def library():
    return QueryLibrary.load()


@pytest.fixture(scope="session")
def run_query(backend, library):
    """run_query("name", param=value, ...) -> list of rows, each a dict of plain Python values."""

    def run(name: str, **params):
        query = library.get(name)
        bindings = query.bind({k: str(v) for k, v in params.items()})
        if query.form == "ASK":
            return backend.ask(query.text, bindings)
        return rows(backend.select(query.text, bindings))

    return run
