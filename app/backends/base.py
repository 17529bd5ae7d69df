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


@dataclass
class SelectResult:
    variables: list[str]
    rows: list[dict[str, Node]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)


class Backend(Protocol):
    """What routes and the CLI need from a store. Bindings map variable names (without '?') to terms."""

    name: str

    def select(self, query: str, bindings: Bindings | None = None) -> SelectResult: ...

    def ask(self, query: str, bindings: Bindings | None = None) -> bool: ...

    def construct(self, query: str, bindings: Bindings | None = None) -> Graph: ...

    def close(self) -> None: ...
