"""A remote SPARQL 1.1 server through SPARQLWrapper.

The default graph is the union of the project's graphs (the named graphs under its `/graph/` base that the
server holds) and `GRAPH ?g` reaches only them, as on the embedded store: a server's own graphs (Virtuoso's
system graphs) or other datasets never enter an answer. Where the server holds other graphs, or its default
graph is not the union of its graphs, the backend names the project's graphs in every request
(`default-graph-uri` and `named-graph-uri`). A server that holds nothing but the project's graphs in a
union default graph (Oxigraph's `--union-default-graph`) is asked without them: Oxigraph evaluates a
dataset of forty named graphs about ten times slower than its union default graph.

A server may cut answers at a number of rows (Virtuoso: 10,000, saying so in the header
`X-SPARQL-MaxRows` of a SELECT answer, and silently for CONSTRUCT). A cut SELECT answer is asked again
page by page with LIMIT and OFFSET until it is whole (or holds `max_rows` rows, as many as the routes
serve); a CONSTRUCT answer as large as the cut is paged the same way. An answer that cannot be paged is
marked `capped`, and the routes pass that on (`X-Result-Capped`). Pages rely on the server answering
the same query in the same order each time, which the servers tried do for an unchanged store.
"""

from __future__ import annotations

import http.client
import json
import logging
import math
import re
import socket
import threading
import sys
import time
import urllib.error

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from app.backends.base import (
    Answer, BackendError, BackendUnavailable, Bindings, QueryDataset, QuerySyntaxError,
    ResultTooLarge, SelectResult, Table,
)
from app.backends.binding import bind_with_values, term_to_sparql
from app.backends.sparql_text import dataset_clauses, mask, query_form, without_comments
from app.backends.store_answers import PREFIXES, RDF_FORMATS, RESULT_FORMATS, serialized_solutions
from app.namespaces import BASE
from app.results import json_value

log = logging.getLogger("iza_kg.remote")
# An IRI that names no graph: sent where the dataset must be empty, since no default-graph-uri at all
# would mean the server's own default graph.
NO_GRAPH = "urn:x-iza-kg:no-graph"
GRAPHS_KNOWN_S = 60.0  # how long the list of the project's graphs on the server is used before asking again
MAX_ROWS_HEADER = "X-SPARQL-MaxRows"
SORT_LIMIT_ERROR = "SR353"  # Virtuoso: an ORDER BY answer cannot be read past MaxSortedTopRows (10,000) with OFFSET
# The triples of the described resources (?r) and of the blank nodes they lead to, two levels deep (the project's
# blank nodes, amounts and role assignments, are one); the backend keeps those reachable from the resources.
DESCRIPTION = """CONSTRUCT {{ ?r ?p ?o . ?o ?p2 ?o2 . ?o2 ?p3 ?o3 }}
WHERE {{
  VALUES ?r {{ {resources} }}
  ?r ?p ?o
  OPTIONAL {{ ?o ?p2 ?o2 FILTER(isBlank(?o)) OPTIONAL {{ ?o2 ?p3 ?o3 FILTER(isBlank(?o2)) }} }}
}}"""
# The LIMIT and OFFSET a query ends with (either order), read on the masked text.
TAIL_MODIFIERS = re.compile(r"(?:\s*\b(LIMIT|OFFSET)\s+(\d+))+\s*$", re.IGNORECASE)
TAIL_MODIFIER = re.compile(r"\b(LIMIT|OFFSET)\s+(\d+)", re.IGNORECASE)


class RemoteBackend:
    name = "remote"

    def __init__(self, endpoint: str, timeout_s: float = 30.0, max_result_bytes: int | None = None,
                 max_rows: int | None = None, base_iri: str = BASE):
        self.endpoint = endpoint
        self.timeout_s = timeout_s
        self.max_result_bytes = max_result_bytes
        self.max_rows = max_rows  # rows worth paging for: the routes serve no more (None: all)
        self.graph_base = base_iri + "graph/"
        self._graphs: tuple[str, ...] = ()
        self._default_is_ours = False  # the server's default graph is the union of its graphs, all the project's
        self._graphs_asked = -math.inf
        self._graphs_lock = threading.Lock()
        self._relisting = False  # a listing of the graphs runs in the background
        self._rereads = 0  # how often `reread` was called: a listing begun before one is dropped
        self._cap: int | None = None  # the server's row cap, once an answer has shown it
        self._uncut_up_to = 0  # answers of this many triples were seen whole

    # -- the project's graphs ------------------------------------------------------------------

    def project_graphs(self) -> tuple[str, ...]:
        """The named graphs under the project's /graph/ base that the server holds, and whether its default graph
        is their union with nothing else on the server (both asked again after a minute).

        Listing them counts every triple on the server (~2 s at 1.5M triples on Oxigraph), so a list that has
        grown old is listed again in the background while queries go on with it; only a backend that knows
        no list yet, or was told to `reread`, waits for one."""
        with self._graphs_lock:
            if time.monotonic() - self._graphs_asked <= GRAPHS_KNOWN_S:
                return self._graphs
            if not self._graphs:
                self._graphs, self._default_is_ours, self._graphs_asked = self._list_graphs()
            elif not self._relisting:
                self._relisting = True
                threading.Thread(target=self._relist, args=(self._rereads,), name="iza-list-graphs", daemon=True).start()
            return self._graphs

    def _list_graphs(self) -> tuple[tuple[str, ...], bool, float]:
        """(the project's graphs, whether the default graph is just their union, when they were listed)."""
        data, _ = self._json_answer(self._new_wrapper(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", JSON))
        sizes = {row["g"]["value"]: int(row["n"]["value"]) for row in data["results"]["bindings"]}
        graphs = tuple(sorted(g for g in sizes if g.startswith(self.graph_base)))
        default_is_ours = bool(graphs) and len(graphs) == len(sizes) and self._default_graph_size() == sum(sizes.values())
        return graphs, default_is_ours, time.monotonic() if graphs else -math.inf

    def _relist(self, rereads: int) -> None:
        try:
            listed = self._list_graphs()
            with self._graphs_lock:
                if rereads == self._rereads:  # else the graphs may have changed while they were counted
                    self._graphs, self._default_is_ours, self._graphs_asked = listed
        except BackendError as error:  # the known list stays in use; the next query tries again
            log.warning("the project's graphs on %s were not listed again: %s", self.endpoint, error)
        finally:
            self._relisting = False

    def _default_graph_size(self) -> int:
        data, _ = self._json_answer(self._new_wrapper("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", JSON))
        rows = data["results"]["bindings"]
        return int(rows[0]["n"]["value"]) if rows else 0

    def reread(self) -> None:
        """List the project's graphs again at the next query, which waits for the list."""
        with self._graphs_lock:
            self._graphs, self._graphs_asked = (), -math.inf
            self._rereads += 1

    def contents_version(self) -> object:
        """When the server's graphs were last listed: a new value every minute, or after `reread`."""
        self.project_graphs()
        return self._graphs_asked

    def _dataset(self, text: str, dataset: QueryDataset | None) -> QueryDataset | None:
        """The dataset to send: the one asked for (protocol parameters, else the query's FROM clauses) or the
        union of the project's graphs (None where the server's default graph is just that), never with other
        graphs than the project's."""
        graphs = self.project_graphs()
        if dataset is None and (clauses := dataset_clauses(text)):
            dataset = QueryDataset(*clauses)
        if dataset is None:
            if self._default_is_ours:
                return None
            return QueryDataset(graphs or (NO_GRAPH,), graphs or (NO_GRAPH,))
        own = set(graphs)
        return QueryDataset(tuple(g for g in dataset.default_graphs if g in own) or (NO_GRAPH,),
                            tuple(g for g in dataset.named_graphs if g in own) or (NO_GRAPH,))

    # -- requests ------------------------------------------------------------------------------

    def _new_wrapper(self, text: str, return_format: str, dataset: QueryDataset | None = None) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.endpoint)
        wrapper.setMethod(POST)
        wrapper.setTimeout(max(1, math.ceil(self.timeout_s)))  # whole seconds; 0 would mean no timeout
        # without comments: SPARQLWrapper guesses the query form from the first keyword-like word, comments
        # included, and would send a query whose header says "addresses" as an update (ADD)
        wrapper.setQuery(without_comments(text))
        wrapper.setReturnFormat(return_format)
        wrapper.setOnlyConneg(True)  # the format by Accept only: Virtuoso refuses format=turtle for CONSTRUCT (406)
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
        except (OSError, http.client.HTTPException) as error:  # a connection lost mid-answer: IncompleteRead
            raise BackendError(f"unreadable answer from {self.endpoint}: {error!r}") from None
        finally:
            response.response.close()
        if len(data) > self.max_result_bytes:
            raise ResultTooLarge(self.max_result_bytes)
        return data

    def _json_answer(self, wrapper: SPARQLWrapper) -> tuple[dict, int | None]:
        """The JSON answer and the row cap the server says it applied (None if it did not cut the answer)."""
        response = self._call(wrapper)
        cap = response.response.headers.get(MAX_ROWS_HEADER)
        data = self._read(response)
        try:
            return json.loads(data), int(cap) if cap and cap.strip().isdigit() else None
        except ValueError as error:
            raise BackendError(f"unreadable answer from {self.endpoint}: {error}") from None

    def _graph_answer(self, text: str, dataset: QueryDataset | None, bnodes: dict | None = None) -> Graph:
        """`bnodes`: the server's blank node labels already read (pages of one answer share them, so that a
        blank node whose triples fall on two pages stays one node)."""
        wrapper = self._new_wrapper(text, TURTLE, dataset)
        wrapper.addCustomHttpHeader("Accept", "application/n-triples")  # Virtuoso's Turtle writes doubles as decimals
        data = self._read(self._call(wrapper))
        graph = Graph()
        graph.parse(data=data, format="nt", bnode_context=bnodes if bnodes is not None else {})
        return graph

    # -- the Backend protocol ------------------------------------------------------------------

    def _solutions(self, text: str, dataset: QueryDataset | None,
                   max_rows: int | None = None) -> tuple[list[str], list[dict], str | None]:
        """A SELECT answer as the server's JSON bindings, paged through a row cap (up to `max_rows` rows, None: the
        backend's max_rows), and why it is capped (or None)."""
        sent = self._dataset(text, dataset)
        data, cap = self._json_answer(self._new_wrapper(text, JSON, sent))
        variables = data["head"]["vars"]
        found = data["results"]["bindings"]
        capped = None
        if cap is not None and len(found) >= cap:
            self._cap = cap
            if pageable(text):
                rest, capped = self._rest(text, sent, len(found), cap, self.max_rows if max_rows is None else max_rows)
                found = found + rest
            else:
                capped = f"the SPARQL server cut the answer at {cap} rows ({MAX_ROWS_HEADER})"
        return variables, found, capped

    def select(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> SelectResult:
        variables, found, capped = self._solutions(bind_with_values(query, bindings), dataset)
        rows = [{name: _term_from_json(value) for name, value in binding.items()} for binding in found]
        return SelectResult(variables, rows, capped=capped)

    def _rest(self, text: str, dataset: QueryDataset | None, offset: int, page_size: int,
              max_rows: int | None) -> tuple[list[dict], str | None]:
        """The rows after the first `offset`, asked page by page (up to `max_rows` rows in all, None: all), and why
        they stop short (or None)."""
        rest = []
        while max_rows is None or offset + len(rest) <= max_rows:
            page = paged(text, offset + len(rest), page_size)
            if page is None:
                break
            try:
                data, _ = self._json_answer(self._new_wrapper(page, JSON, dataset))
            except BackendError as error:
                if SORT_LIMIT_ERROR not in str(error):
                    raise
                return rest, (f"the SPARQL server sorts no further than its first {offset + len(rest)} rows "
                              "(Virtuoso's MaxSortedTopRows, error SR353)")
            found = data["results"]["bindings"]
            rest.extend(found)
            if len(found) < page_size:
                break
        return rest, None

    def ask(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> bool:
        text = bind_with_values(query, bindings)
        data, _ = self._json_answer(self._new_wrapper(text, JSON, self._dataset(text, dataset)))
        if "boolean" in data:
            return data["boolean"] in (True, "true")
        # Virtuoso 7.2 answers ASK as a table: one row (`__ASK_RETVAL` 1) if true, none if false
        return any(value.get("value") in ("1", "true") for row in data["results"]["bindings"] for value in row.values())

    def construct(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> Graph:
        text = bind_with_values(query, bindings)
        if query_form(mask(text)) == "DESCRIBE":
            return self._describe(text, dataset)
        sent = self._dataset(text, dataset)
        graph = self._graph_answer(text, sent)
        cap = self._row_cap(len(graph), sent)
        if cap is None:
            return graph
        if query_form(mask(text)) != "CONSTRUCT" or not pageable(text):
            raise BackendError(f"the SPARQL server cut the answer at {cap} triples; narrow the query")
        # pages of solutions small enough that the triples they make stay under the cut
        size, whole, offset, bnodes = cap, Graph(), 0, {}
        while (page_text := paged(text, offset, size)) is not None:
            page = self._graph_answer(page_text, sent, bnodes)
            if len(page) >= cap and size > 1:
                size //= 2
                continue
            if len(page) == 0:
                break
            whole += page
            offset += size
        return whole

    def _describe(self, text: str, dataset: QueryDataset | None) -> Graph:
        """DESCRIBE as the embedded store answers it, a resource's concise bounded description: servers describe
        differently (Virtuoso adds the triples that point at the resource and leaves out its blank nodes')."""
        try:
            targets = prepareQuery(text).algebra["PV"]
        except Exception as error:  # rdflib's parser raises several kinds
            raise QuerySyntaxError(str(error)) from None
        resources = {term for term in targets if isinstance(term, URIRef)}
        variables = [term for term in targets if isinstance(term, Variable)]
        if variables:  # DESCRIBE ?x WHERE {...}: the resources the pattern finds
            masked = mask(text)
            keyword = re.search(r"\bDESCRIBE\b", masked, re.IGNORECASE)
            where = re.search(r"\bWHERE\b|\{", masked[keyword.end():], re.IGNORECASE)
            select = (text[:keyword.start()] + "SELECT DISTINCT " + " ".join(v.n3() for v in variables) + " "
                      + text[keyword.end() + where.start():])
            found = self.select(select, dataset=dataset)
            resources |= {value for row in found.rows for value in row.values() if isinstance(value, URIRef)}
        if not resources:
            return Graph()
        values = " ".join(term_to_sparql(resource) for resource in sorted(resources))
        graph = self.construct(DESCRIPTION.format(resources=values), dataset=dataset)
        described, reached = Graph(), set(resources)
        while True:  # the resources' triples, then those of the blank nodes they reach
            more = [triple for triple in graph if triple[0] in reached and triple not in described]
            if not more:
                return described
            for triple in more:
                described.add(triple)
                if isinstance(triple[2], BNode):
                    reached.add(triple[2])

    def _row_cap(self, answered: int, dataset: QueryDataset | None) -> int | None:
        """The server's cap if an answer of `answered` triples may have been cut. A server cuts CONSTRUCT
        answers without saying so; a SELECT of one row more over the same graphs shows its cap (once)."""
        if self._cap is None and self._uncut_up_to < answered:
            probe = f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {answered + 1}"
            data, cap = self._json_answer(self._new_wrapper(probe, JSON, dataset))
            if cap is not None:
                self._cap = cap
            elif len(data["results"]["bindings"]) > answered:
                self._uncut_up_to = answered
        return self._cap if self._cap is not None and answered >= self._cap else None

    def values(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None,
               max_rows: int | None = None) -> Table:
        variables, found, capped = self._solutions(bind_with_values(query, bindings), dataset, max_rows)
        return Table(variables, [{name: json_value(binding.get(name)) for name in variables} for binding in found],
                     capped=capped)

    def answer(self, query: str, media_type: str, max_rows: int, bindings: Bindings | None = None,
               dataset: QueryDataset | None = None) -> Answer:
        """The answer read as select, ask and construct read it (the project's graphs named, a server's row cap
        paged through, DESCRIBE as the embedded store describes), then written by pyoxigraph's writers, as the
        embedded store writes it: servers write their formats differently (Virtuoso's JSON "typed-literal",
        CSV booleans as 1), so passing their bytes through would give each server its own answer."""
        text = bind_with_values(query, bindings)
        form = query_form(mask(text))
        if form in ("CONSTRUCT", "DESCRIBE"):
            rdf_format = RDF_FORMATS.get(media_type)
            if rdf_format is None:
                raise ValueError(f"a CONSTRUCT or DESCRIBE answer cannot be written as {media_type}")
            triples = ox.parse(self.construct(text, dataset=dataset).serialize(format="nt", encoding="utf-8"),
                               format=ox.RdfFormat.N_TRIPLES)
            return Answer(ox.serialize(triples, format=rdf_format, prefixes=PREFIXES), rdf_format.media_type)
        results_format = RESULT_FORMATS.get(media_type)
        if results_format is None:
            raise ValueError(f"a SELECT or ASK answer cannot be written as {media_type}")
        if form == "ASK":
            answer = json.dumps({"head": {}, "boolean": self.ask(text, dataset=dataset)}).encode()
            return Answer(ox.parse_query_results(answer, format=ox.QueryResultsFormat.JSON).serialize(format=results_format),
                          results_format.media_type)
        variables, found, server_capped = self._solutions(text, dataset)
        blank_nodes: dict[str, str] = {}  # a server's blank node labels (Virtuoso: nodeID://...) as valid ones

        def term_of(term: dict) -> dict:
            if term["type"] == "typed-literal":
                return {**term, "type": "literal"}
            if term["type"] == "bnode":
                return {"type": "bnode", "value": blank_nodes.setdefault(term["value"], f"b{len(blank_nodes)}")}
            return term

        as_json = json.dumps({"head": {"vars": variables}, "results": {"bindings": [
            {name: term_of(term) for name, term in row.items()} for row in found]}}).encode()

        def solutions():
            return ox.parse_query_results(as_json, format=ox.QueryResultsFormat.JSON)

        body, capped = serialized_solutions(solutions(), solutions, results_format, max_rows,
                                            self.max_result_bytes or sys.maxsize)
        return Answer(body, results_format.media_type, capped or server_capped is not None, server_capped)

    def close(self) -> None:
        pass


def pageable(text: str) -> bool:
    """True if the query ends in its solution modifiers, where a page's LIMIT and OFFSET go (not in VALUES)."""
    return not re.search(r"\bVALUES\b[^{}]*\{[^{}]*\}\s*$", mask(text), re.IGNORECASE)


def paged(text: str, offset: int, size: int) -> str | None:
    """The query's rows [offset, offset + size) as a query, its own LIMIT and OFFSET respected (None past
    its own LIMIT). The query must be `pageable`."""
    masked = mask(text)
    own_limit, own_offset, end = None, 0, len(text)
    if tail := TAIL_MODIFIERS.search(masked):
        end = tail.start()
        for word, number in TAIL_MODIFIER.findall(tail.group()):
            if word.upper() == "LIMIT":
                own_limit = int(number)
            else:
                own_offset = int(number)
    if own_limit is not None:
        size = min(size, own_limit - offset)
        if size <= 0:
            return None
    return f"{text[:end]}\nLIMIT {size} OFFSET {own_offset + offset}"


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
