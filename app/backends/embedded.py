"""The default backend: the project graph in an Oxigraph store.

`AnsweringBackend` turns the replies of app.backends.store_answers into the Backend protocol's answers
and errors: serialised answers and Python values as they come, rdflib terms only for `select` and
`construct`. `EmbeddedBackend` answers in this process (tests, the CLI); the served app's IsolatedBackend
(app.core.isolation) gets the same replies in process for its own queries and from worker processes
for /sparql.
The default graph is the union of the named graphs (one per source file), as on the remote backend.
"""

from __future__ import annotations

import sys

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from app.backends.base import (
    Answer, BackendError, Bindings, QueryDataset, QuerySyntaxError, ResultTooLarge, SelectResult, Table,
)
from app.backends.binding import bind_with_values
from app.backends.sparql_text import dataset_clauses
from app.backends.store_answers import answer
from app.loader import XSD_STRING, ProjectGraph


def decode(encoded: tuple) -> Node:
    kind, value = encoded[0], encoded[1]
    if kind == "u":
        return URIRef(value)
    if kind == "b":
        return BNode(value)
    language, datatype = encoded[2], encoded[3]
    if language:
        return Literal(value, lang=language)
    if datatype == XSD_STRING:
        return Literal(value)  # rdflib compares plain literals equal only without a datatype
    return Literal(value, datatype=URIRef(datatype))


def unpack(reply: tuple):
    """The value of an ("ok", value) reply; the matching BackendError for any other."""
    status, value = reply
    if status == "ok":
        return value
    if status == "syntax":
        raise QuerySyntaxError(value)
    if status == "too-large":
        raise ResultTooLarge(value)
    raise BackendError(value)


def graphs_of(query: str, dataset: QueryDataset | None) -> tuple:
    """The default and named graphs of a query, as lists: the protocol's dataset, else the query's FROM
    clauses; (None, None) for neither (the union of the named graphs)."""
    if dataset is None and (clauses := dataset_clauses(query)):
        dataset = QueryDataset(*clauses)
    return (list(dataset.default_graphs), list(dataset.named_graphs)) if dataset else (None, None)


class AnsweringBackend:
    """The Backend protocol on top of `_call(kind, text, graphs, media_type, max_rows)`, which returns a
    store_answers reply; `graphs` is (default graphs, named graphs), see graphs_of."""

    def _call(self, kind: str, text: str, graphs: tuple, media_type: str | None = None,
              max_rows: int | None = None) -> tuple:
        raise NotImplementedError

    def _value(self, kind: str, query: str, bindings: Bindings | None, dataset: QueryDataset | None, **extra):
        # the dataset is read off the query before binding: the same text every time, so it is remembered
        return unpack(self._call(kind, bind_with_values(query, bindings), graphs_of(query, dataset), **extra))

    def answer(self, query: str, media_type: str, max_rows: int, bindings: Bindings | None = None,
               dataset: QueryDataset | None = None) -> Answer:
        return Answer(*self._value("serialize", query, bindings, dataset, media_type=media_type, max_rows=max_rows))

    def values(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None,
               max_rows: int | None = None) -> Table:
        return Table(*self._value("values", query, bindings, dataset, max_rows=max_rows))

    def select(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> SelectResult:
        variables, rows = self._value("select", query, bindings, dataset)
        return SelectResult(variables, [{k: decode(v) for k, v in row.items()} for row in rows])

    def ask(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> bool:
        return self._value("ask", query, bindings, dataset)

    def reread(self) -> None:
        """Nothing to forget: every answer comes from the store as it is."""

    def contents_version(self) -> object:
        return 0  # the store behind this backend never changes: a reload puts a new backend in service

    def construct(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> Graph:
        graph = Graph()
        for s, p, o in self._value("construct", query, bindings, dataset):
            graph.add((decode(s), decode(p), decode(o)))
        return graph


class EmbeddedBackend(AnsweringBackend):
    name = "embedded"

    def __init__(self, store: ox.Store):
        self.store = store

    @classmethod
    def from_project(cls, project: ProjectGraph) -> "EmbeddedBackend":
        return cls(project.to_store())

    def _call(self, kind: str, text: str, graphs: tuple, media_type: str | None = None,
              max_rows: int | None = None) -> tuple:
        return answer(self.store, kind, text, *graphs, media_type,
                      max_rows=sys.maxsize if max_rows is None else max_rows, max_bytes=sys.maxsize)

    def close(self) -> None:
        pass
