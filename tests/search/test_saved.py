"""The embedded graph's search index is saved under the graph's version and opened at the next start instead
of being built again; another graph, other code or an unreadable file means a new build."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from app.backends.embedded import EmbeddedBackend
from app.search.service import SearchIndexes, search
from tests.reliability.conftest import build

QUERIES = [{"q": "wachtlijsten"}, {"q": '"positieve gezondheid"'}, {"q": "mantelzorg*"},
           {"q": "zorg", "regions": ["midden-nederland"], "page": 2}]


@pytest.fixture
def versioned(project):
    """An embedded backend of the project graph that knows its version, as the served app's does."""
    backend = EmbeddedBackend.from_project(project)
    backend.graph_version = "0123456789ab"
    return backend


def answers(built) -> list[dict]:
    return [search(built, **params) for params in QUERIES]


def test_a_second_start_opens_the_saved_index_with_the_same_answers(versioned, library, tmp_path):
    first = SearchIndexes(library, saved_in=tmp_path).for_backend(versioned)
    assert not first.opened and first.saved is not None and first.saved.is_file()
    again = SearchIndexes(library, saved_in=tmp_path).for_backend(versioned)
    assert again.opened and again.saved == first.saved
    assert again.built_at == first.built_at
    assert again.index.entries == first.index.entries > 1000
    assert again.index.memory_bytes == first.index.memory_bytes  # the saved lists are not kept in the index
    assert answers(again) == answers(first)
    assert any(hit["passages"] for hit in answers(again)[0]["data"])  # the passages come back too


def test_another_graph_version_is_built_not_opened(versioned, library, tmp_path):
    SearchIndexes(library, saved_in=tmp_path).for_backend(versioned)
    versioned.graph_version = "ba9876543210"
    other = SearchIndexes(library, saved_in=tmp_path).for_backend(versioned)
    assert not other.opened
    assert len(list(tmp_path.glob("search-*.sqlite"))) == 2


def test_an_unreadable_saved_index_is_built_again_and_replaced(versioned, library, tmp_path, caplog):
    first = SearchIndexes(library, saved_in=tmp_path).for_backend(versioned)
    first.saved.write_bytes(b"not a database")
    with caplog.at_level(logging.WARNING, logger="iza_kg.search"):
        again = SearchIndexes(library, saved_in=tmp_path).for_backend(versioned)
    assert not again.opened and "cannot be read" in caplog.text
    assert answers(again) == answers(first)
    assert SearchIndexes(library, saved_in=tmp_path).for_backend(versioned).opened  # the file was written anew


def test_saving_switched_off_or_a_graph_without_version_saves_nothing(versioned, backend, library, tmp_path):
    assert SearchIndexes(library).for_backend(versioned).saved is None
    assert SearchIndexes(library, saved_in=tmp_path).for_backend(backend).saved is None
    assert list(tmp_path.iterdir()) == []


def test_the_served_app_reports_where_its_index_is_saved_and_opens_it_after_a_restart(tmp_path, monkeypatch):
    monkeypatch.setenv("IZA_SEARCH_CACHE_DIR", str(tmp_path))
    with TestClient(build()) as client:
        first = client.get("/search/index").json()
        found = client.get("/search", params={"q": "valpreventie"}).json()
    assert first["saved_file"].startswith(str(tmp_path)) and not first["opened_from_saved"]
    with TestClient(build()) as client:
        again = client.get("/search/index").json()
        assert client.get("/search", params={"q": "valpreventie"}).json() == found
    assert again["opened_from_saved"] and again["saved_file"] == first["saved_file"]
    assert again["built_at"] == first["built_at"]
