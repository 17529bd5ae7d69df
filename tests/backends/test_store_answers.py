"""Answers serialised by the store (app.backends.store_answers): every format, the row cap, the byte limit."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal
from rdflib.query import Result

from app.backends.base import ResultTooLarge
from app.backends.embedded import EmbeddedBackend, unpack
from app.backends.store_answers import answer

EX = "http://example.org/"
SPARQL_NS = "{http://www.w3.org/2005/sparql-results#}"
# Values that contain the bytes the writers put between solutions, so counting them overestimates the rows.
TRICKY = ['a},{"b', "line\nbreak", "<result>", "plain"]
ALL = "SELECT ?v WHERE { ?s <http://example.org/p> ?v } ORDER BY ?v"


@pytest.fixture(scope="module")
def backend():
    store = ox.Store()
    graph = ox.NamedNode(EX + "g")
    for i, text in enumerate(TRICKY * 3):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(f"{i:02d} {text}"), graph))
    return EmbeddedBackend(store)


def solutions(body: bytes, media_type: str) -> list[str]:
    """The values of ?v, read with parsers other than the store's."""
    if media_type.startswith("application/sparql-results+json"):
        return [row["v"]["value"] for row in json.loads(body)["results"]["bindings"]]
    if media_type.startswith("application/sparql-results+xml"):
        return [e.text for e in ET.fromstring(body).iter(f"{SPARQL_NS}literal")]
    if media_type.startswith("text/csv"):
        return [row[0] for row in list(csv.reader(io.StringIO(body.decode(), newline="")))[1:]]
    return [str(row[0]) for row in Result.parse(io.StringIO(body.decode()), format="tsv")]


MEDIA_TYPES = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
               "text/tab-separated-values"]


@pytest.mark.parametrize("media_type", MEDIA_TYPES)
def test_every_row_when_under_the_cap(backend, media_type):
    answer = backend.answer(ALL, media_type, max_rows=12)
    assert not answer.capped and answer.media_type.startswith(media_type)
    assert solutions(answer.body, answer.media_type) == sorted(f"{i:02d} {t}" for i, t in enumerate(TRICKY * 3))


@pytest.mark.parametrize("media_type", MEDIA_TYPES)
@pytest.mark.parametrize("max_rows", [0, 1, 5, 11])
def test_the_first_rows_when_over_the_cap(backend, media_type, max_rows):
    answer = backend.answer(ALL, media_type, max_rows=max_rows)
    everything = sorted(f"{i:02d} {t}" for i, t in enumerate(TRICKY * 3))
    assert answer.capped
    assert solutions(answer.body, answer.media_type) == everything[:max_rows]


def test_construct_is_turtle_with_the_projects_prefixes(backend):
    answer = backend.answer("CONSTRUCT WHERE { ?s <http://example.org/p> ?v }", "text/turtle", max_rows=1)
    assert b"@prefix iza: <https://w3id.org/iza-kg/def/>" in answer.body
    assert len(Graph().parse(data=answer.body, format="turtle")) == 12  # no row cap on graphs


def test_values_are_python_values(backend):
    table = backend.values('SELECT ?n ?d ?t WHERE { BIND(3 AS ?n) BIND(1.50 AS ?d) BIND(true AS ?t) }')
    assert table.rows == [{"n": 3, "d": pytest.approx(1.5), "t": True}]
    assert Literal(table.rows[0]["n"]) == Literal(3)


def test_an_answer_over_the_byte_limit_is_refused():
    store = ox.Store()
    for i in range(200):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal("x" * 100)))
    reply = answer(store, "serialize", "SELECT * WHERE { ?s ?p ?o }", None, None, "application/sparql-results+json",
                   max_rows=1000, max_bytes=5_000)
    assert reply == ("too-large", 5_000)
    with pytest.raises(ResultTooLarge):
        unpack(reply)
