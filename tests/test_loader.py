"""The loader: one named graph per file, errors that name file and line, label conflicts reported."""

from pathlib import Path

import pytest

from app.loader import GRAPH_BASE, LoadError, load_project

FIXTURES = Path(__file__).parent / "fixtures" / "loader"


def test_each_file_becomes_its_own_named_graph(project):
    names = [source.graph.value for source in project.files]
    assert len(names) == len(set(names))
    assert GRAPH_BASE + "ontology/iza" in names
    assert GRAPH_BASE + "data/reference/gemeenten" in names
    store = project.to_store()
    assert {g.value for g in store.named_graphs()} == set(names)
    assert len(store) == len(project)


def test_a_malformed_file_stops_the_load_with_file_and_line():
    with pytest.raises(LoadError) as raised:
        load_project([FIXTURES / "label-one.ttl", FIXTURES / "broken.ttl"])
    error = raised.value
    assert error.path.name == "broken.ttl"
    assert error.line == 4
    assert str(error).startswith(f"{FIXTURES / 'broken.ttl'}:4: ")


def test_a_missing_source_is_an_error():
    with pytest.raises(LoadError, match="no such file or folder"):
        load_project([FIXTURES / "does-not-exist"])


def test_two_labels_in_one_language_across_files_are_reported():
    project = load_project([FIXTURES / "label-one.ttl", FIXTURES / "label-two.ttl"])
    conflicts = project.label_conflicts()
    assert len(conflicts) == 1
    conflict = conflicts[0]
    assert (conflict.subject, conflict.language) == ("https://example.org/thing", "nl")
    assert set(conflict.labels) == {"Gezond Gooi", "Gezond 't Gooi"}
    assert "label-two.ttl" in str(conflict)


def test_the_project_graph_has_no_label_conflicts(project):
    assert [str(c) for c in project.label_conflicts()] == []


def test_plain_literals_stay_plain_for_rdflib(tmp_path):
    """A Turtle "EUR" must equal rdflib's Literal("EUR"), or SHACL sh:in/sh:hasValue checks misfire."""
    from rdflib import Literal, URIRef

    data = tmp_path / "amount.ttl"
    data.write_text('<https://example.org/a> <https://schema.org/currency> "EUR" .\n')
    graph = load_project([data]).union_graph()
    assert (URIRef("https://example.org/a"), URIRef("https://schema.org/currency"), Literal("EUR")) in graph
