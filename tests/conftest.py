"""Shared fixtures: the project graph loaded once, a backend over it, and the query library."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from app.backends.embedded import EmbeddedBackend
from app.backends.remote import RemoteBackend
from app.loader import load_project
from app.queries import QueryLibrary
from app.results import rows
from tests.virtuoso import Virtuoso

# Saved search indexes (IZA_SEARCH_CACHE_DIR) go to a folder of this run, never to the user's cache: set before
# any app reads its settings, and inherited by the servers the tests start.
SEARCH_CACHE = Path(tempfile.mkdtemp(prefix="iza-kg-test-search-cache-"))
os.environ["IZA_SEARCH_CACHE_DIR"] = str(SEARCH_CACHE)


@pytest.fixture(scope="session", autouse=True)
def search_cache():
    yield SEARCH_CACHE
    shutil.rmtree(SEARCH_CACHE, ignore_errors=True)



@pytest.fixture(scope="session")
def project():
    return load_project()


@pytest.fixture(scope="session")
def backend(project):
    return EmbeddedBackend.from_project(project)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A running Virtuoso holding the project graph, with a row cap below the graph's size."""
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        server.wait()
        server.publish()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtuoso_backend(virtuoso):
    return RemoteBackend(virtuoso.endpoint, timeout_s=30)


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
