"""Bind query parameters the same way on every backend: a VALUES block placed first in the WHERE group.

The block is built from RDF terms that rdflib serialises (IRIs checked, literals escaped), so user
text is never pasted into a query. Unlike a trailing VALUES clause it also constrains aggregates.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.term import Node

from app.backends.base import Bindings, QuerySyntaxError
from app.backends.sparql_text import braces

UNSAFE_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def term_to_sparql(term: Node) -> str:
    if isinstance(term, URIRef):
        if UNSAFE_IRI.search(str(term)):
            raise ValueError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise TypeError(f"cannot bind {term!r}")


@lru_cache(maxsize=512)  # masking takes about 1 ms; a named query is bound again and again
def where_group_start(query: str) -> int:
    """Index just after the '{' that opens the query's WHERE group (a CONSTRUCT template is skipped)."""
    depth, groups_closed = 0, 0
    is_construct_template = re.search(r"\bCONSTRUCT\s*\{", query, re.IGNORECASE) is not None
    for i, char in braces(query):
        if char == "{":
            if depth == 0 and not (is_construct_template and groups_closed == 0):
                return i + 1
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                groups_closed += 1
    raise QuerySyntaxError("the query has no WHERE group to bind parameters in")


def group_end(query: str, start: int) -> int:
    """Index of the '}' closing the group opened just before `start`."""
    depth = 1
    for i, char in braces(query, start):
        depth += 1 if char == "{" else -1
        if depth == 0:
            return i
    raise QuerySyntaxError("unbalanced braces in the WHERE group")


def bind_with_values(query: str, bindings: Bindings | None) -> str:
    if not bindings:
        return query
    names = list(bindings)
    values = " ".join(term_to_sparql(bindings[name]) for name in names)
    block = f" VALUES ({' '.join('?' + name for name in names)}) {{ ({values}) }} "
    at = where_group_start(query)
    return query[:at] + block + query[at:]
