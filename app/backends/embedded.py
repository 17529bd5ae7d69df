"""The default backend: the project graph in an Oxigraph store.

`AnsweringBackend` turns the plain-tuple replies of app.backends.store_answers into the Backend
protocol's rdflib terms and errors. `EmbeddedBackend` answers in this process (tests, the CLI); the
served app's IsolatedBackend (app.core.isolation) gets the same replies from its worker processes.
The default graph is the union of the named graphs (one per source file), as on the remote backend.
"""

from __future__ import annotations

import sys

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from app.backends.base import (
    BackendError, Bindings, QueryDataset, QuerySyntaxError, ResultTooLarge, SelectResult,
)
from app.backends.binding import bind_with_values
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


class AnsweringBackend:
    """select / ask / construct on top of `_call(form, text, dataset)`, which returns a store_answers reply."""

    def _call(self, form: str, text: str, dataset: QueryDataset | None) -> tuple:
        raise NotImplementedError

    def _value(self, form: str, query: str, bindings: Bindings | None, dataset: QueryDataset | None):
        return unpack(self._call(form, bind_with_values(query, bindings), dataset))

    def select(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> SelectResult:
        variables, rows = self._value("select", query, bindings, dataset)
        return SelectResult(variables, [{k: decode(v) for k, v in row.items()} for row in rows])

    def ask(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> bool:
        return self._value("ask", query, bindings, dataset)

    def reread(self) -> None:
        """Nothing to forget: every answer comes from the store as it is."""

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

    def _call(self, form: str, text: str, dataset: QueryDataset | None) -> tuple:
        graphs = (dataset.default_graphs, dataset.named_graphs) if dataset else (None, None)
        return answer(self.store, form, text, *graphs, max_rows=sys.maxsize, max_bytes=sys.maxsize)

    def close(self) -> None:
        pass
