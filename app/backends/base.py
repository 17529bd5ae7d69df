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

    def reread(self) -> None:
        """Forget what the backend remembers of the store's contents (a remote server's graphs changed)."""

    def close(self) -> None: ...
