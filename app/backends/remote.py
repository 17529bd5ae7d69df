"""A remote SPARQL 1.1 server through SPARQLWrapper.

The server must answer queries without GRAPH over the union of its named graphs (Oxigraph:
`serve --union-default-graph`), as the embedded backend does.
"""

from __future__ import annotations

import json
import math
import socket
import urllib.error

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from app.backends.base import (
    RESULT_MEDIA_TYPES, Answer, BackendError, BackendUnavailable, Bindings, QueryDataset, QuerySyntaxError,
    ResultTooLarge, SelectResult, Table,
)
from app.backends.binding import bind_with_values
from app.backends.sparql_text import dataset_clauses
from app.backends.store_answers import RESULT_FORMATS, count_solutions, first_rows
from app.results import json_value

def strip_comment_lines(query: str) -> str:
    """Drop whole-line comments: SPARQLWrapper guesses the query form from the first keyword-like word,
    comments included, and would send a query whose header says "addresses" as an update (ADD)."""
    return "\n".join(line for line in query.splitlines() if not line.lstrip().startswith("#"))


class RemoteBackend:
    name = "remote"

    def __init__(self, endpoint: str, timeout_s: float = 30.0, max_result_bytes: int | None = None):
        self.endpoint = endpoint
        self.timeout_s = timeout_s
        self.max_result_bytes = max_result_bytes

    def _wrapper(self, query: str, bindings: Bindings | None, dataset: QueryDataset | None,
                 return_format: str) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.endpoint)
        wrapper.setMethod(POST)
        wrapper.setTimeout(max(1, math.ceil(self.timeout_s)))  # whole seconds; 0 would mean no timeout
        text = bind_with_values(query, bindings)
        wrapper.setQuery(strip_comment_lines(text))
        wrapper.setReturnFormat(return_format)
        if dataset is None and (clauses := dataset_clauses(query)):
            # the query's FROM clauses, sent as protocol parameters: a union default graph would override them
            dataset = QueryDataset(*clauses)
        if dataset:  # sent as default-graph-uri / named-graph-uri, which replace the query's FROM clauses
            for iri in dataset.default_graphs:
                wrapper.addDefaultGraph(iri)
            for iri in dataset.named_graphs:
                wrapper.addNamedGraph(iri)
        return wrapper

    def _call(self, wrapper: SPARQLWrapper):
        try:
            return wrapper.query()
        except QueryBadFormed as error:
            raise QuerySyntaxError(str(error)) from None
        except (urllib.error.URLError, socket.timeout, ConnectionError, TimeoutError) as error:
            raise BackendUnavailable(f"SPARQL endpoint {self.endpoint} unreachable: {error}") from None
        except SPARQLWrapperException as error:
            raise BackendError(str(error)) from None

    def _read(self, response) -> bytes:
        """The answer's bytes, read no further than the byte limit (a huge answer is never held whole)."""
        try:
            if self.max_result_bytes is None:
                return response.response.read()
            data = response.response.read(self.max_result_bytes + 1)
        except OSError as error:
            raise BackendError(f"unreadable answer from {self.endpoint}: {error}") from None
        finally:
            response.response.close()
        if len(data) > self.max_result_bytes:
            raise ResultTooLarge(self.max_result_bytes)
        return data

    def _json(self, query: str, bindings: Bindings | None, dataset: QueryDataset | None) -> dict:
        data = self._read(self._call(self._wrapper(query, bindings, dataset, JSON)))
        try:
            return json.loads(data)
        except ValueError as error:
            raise BackendError(f"unreadable answer from {self.endpoint}: {error}") from None

    def select(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> SelectResult:
        data = self._json(query, bindings, dataset)
        variables = data["head"]["vars"]
        rows = [{name: _term_from_json(value) for name, value in binding.items()} for binding in data["results"]["bindings"]]
        return SelectResult(variables, rows)

    def ask(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> bool:
        return bool(self._json(query, bindings, dataset)["boolean"])

    def construct(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> Graph:
        data = self._read(self._call(self._wrapper(query, bindings, dataset, TURTLE)))
        graph = Graph()
        graph.parse(data=data, format="turtle")
        return graph

    def values(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> Table:
        data = self._json(query, bindings, dataset)
        variables = data["head"]["vars"]
        rows = [{name: json_value(binding.get(name)) for name in variables} for binding in data["results"]["bindings"]]
        return Table(variables, rows)

    def _bytes(self, query: str, bindings: Bindings | None, dataset: QueryDataset | None,
               media_type: str) -> tuple[bytes, str]:
        """The server's answer in `media_type` (asked for by Accept only), with the content type it gave."""
        wrapper = self._wrapper(query, bindings, dataset, JSON if media_type in RESULT_MEDIA_TYPES else TURTLE)
        wrapper.setOnlyConneg(True)
        wrapper.addCustomHttpHeader("Accept", media_type)
        response = self._call(wrapper)
        served = response.response.headers.get("Content-Type") or media_type
        return self._read(response), served

    def answer(self, query: str, media_type: str, max_rows: int, bindings: Bindings | None = None,
               dataset: QueryDataset | None = None) -> Answer:
        """The server's bytes, passed through with its content type; a SELECT answer of more than `max_rows`
        solutions is asked again as TSV (one line per solution), cut, and written by pyoxigraph."""
        body, served = self._bytes(query, bindings, dataset, media_type)
        if media_type not in RESULT_MEDIA_TYPES or (count_solutions(body, served) or 0) <= max_rows:
            return Answer(body, served, False)
        tsv, _ = self._bytes(query, bindings, dataset, "text/tab-separated-values")
        results_format = RESULT_FORMATS[media_type]
        return Answer(first_rows(tsv, max_rows, results_format), results_format.media_type, True)

    def close(self) -> None:
        pass


def _term_from_json(value: dict) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    if "datatype" in value:
        return Literal(value["value"], datatype=URIRef(value["datatype"]))
    return Literal(value["value"])
