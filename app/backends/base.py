from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from rdflib import Graph
from rdflib.term import Node

Bindings = Mapping[str, Node]


class BackendError(Exception):
    """A query failed in the store."""


class QuerySyntaxError(BackendError):
    """The query text is not valid SPARQL; the message is the parser's."""


class BackendUnavailable(BackendError):
    """The store could not be reached (a remote server that is down)."""


class ResultTooLarge(BackendError):
    """An answer larger than the byte limit."""

    def __init__(self, limit_bytes: int):
        self.limit_bytes = limit_bytes
        super().__init__(f"the answer is larger than {limit_bytes} bytes (the limit set by IZA_MAX_RESULT_BYTES); "
                         "narrow the query or page through it with LIMIT and OFFSET")


# What /sparql and /queries/{name} answer in, canonical media type first: the store serialises into these
# itself (pyoxigraph's writers on the embedded store, the server's own bytes on a remote one).
RESULT_MEDIA_TYPES = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                      "text/tab-separated-values")
RDF_MEDIA_TYPES = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")


@dataclass(frozen=True)
class Answer:
    """A query's answer as the store serialised it: `body` in `media_type`. `capped`: a SELECT answer that had
    more rows than asked for (`max_rows`), of which only the first were kept."""

    body: bytes
    media_type: str
    capped: bool = False
    capped_by: str | None = None  # who cut it, if not the app's own row cap (a server's cap it could not page through)


@dataclass
class Table:
    """A SELECT answer as plain Python values (app.results.literal_value), for the routes that compute with
    them: IRIs and blank nodes as str, numbers as int, Decimal or float, booleans as bool, other literals as str."""

    variables: list[str]
    rows: list[dict] = field(default_factory=list)
    capped: str | None = None  # why a server's answer is incomplete (a row cap that could not be paged through)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class SelectResult:
    variables: list[str]
    rows: list[dict[str, Node]] = field(default_factory=list)
    capped: str | None = None  # why the rows are not the whole answer (a server's cut that could not be paged)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class QueryDataset:
    """The RDF dataset a SPARQL Protocol request names with default-graph-uri and named-graph-uri (IRIs).

    Given, it replaces the query's own FROM / FROM NAMED: the default graph is the merge of
    `default_graphs` (empty if none) and only `named_graphs` can be reached with GRAPH. A backend
    called without one answers over the union of all named graphs, or over the query's FROM clauses.
    """

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


class Backend(Protocol):
    """What routes and the CLI need from a store. Bindings map variable names (without '?') to terms."""

    name: str

    def select(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> SelectResult: ...

    def ask(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> bool: ...

    def construct(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> Graph: ...

    def values(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None,
               max_rows: int | None = None) -> Table:
        """A SELECT answer as Python values, converted once from the store's terms (no rdflib terms). `max_rows`:
        the rows the caller needs at most (None: the backend's own cap, IZA_MAX_ROWS, what the routes serve); more
        only for the app's own bounded reads (the search index). A backend may stop there, or page up to it."""

    def answer(self, query: str, media_type: str, max_rows: int, bindings: Bindings | None = None,
               dataset: QueryDataset | None = None) -> Answer:
        """The answer serialised by the store in `media_type` (one of RESULT_MEDIA_TYPES for SELECT and ASK, of
        RDF_MEDIA_TYPES for CONSTRUCT and DESCRIBE); a SELECT answer keeps its first `max_rows` rows."""

    def reread(self) -> None:
        """Forget what the backend remembers of the store's contents (a remote server's graphs changed)."""

    def contents_version(self) -> object:
        """A value that changes whenever the store's contents may have changed since the backend last looked,
        so that answers kept for one value (the slug lookups) are asked again under the next. An embedded store
        never changes under its backend (a reload puts a new backend in service); a remote server is looked at
        again every minute, and on `reread`."""

    def close(self) -> None: ...
