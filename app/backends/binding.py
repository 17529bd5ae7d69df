"""Bind query parameters the same way on every backend: a VALUES block placed first in the WHERE group.

The block is built from RDF terms that rdflib serialises (IRIs checked, literals escaped), so user
text is never pasted into a query. Unlike a trailing VALUES clause it also constrains aggregates.
"""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.term import Node

from app.backends.base import Bindings, QuerySyntaxError

UNSAFE_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def term_to_sparql(term: Node) -> str:
    if isinstance(term, URIRef):
        if UNSAFE_IRI.search(str(term)):
            raise ValueError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise TypeError(f"cannot bind {term!r}")


def _where_group_start(query: str) -> int:
    """Index just after the '{' that opens the query's WHERE group (skipping IRIs, strings, comments)."""
    depth, groups_closed, i, n = 0, 0, 0, len(query)
    is_construct_template = re.search(r"\bCONSTRUCT\s*\{", query, re.IGNORECASE) is not None
    while i < n:
        char = query[i]
        if char == "#":
            i = query.find("\n", i)
            i = n if i < 0 else i
            continue
        if char == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", query[i:]):
            i = query.index(">", i) + 1
            continue
        if char in "\"'":
            quote = query[i : i + 3] if query[i : i + 3] in ('"""', "'''") else char
            end = query.find(quote, i + len(quote))
            while end > 0 and query[end - 1] == "\\" and len(quote) == 1:
                end = query.find(quote, end + 1)
            i = (end if end > 0 else n) + len(quote)
            continue
        if char == "{":
            if depth == 0 and not (is_construct_template and groups_closed == 0):
                return i + 1
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                groups_closed += 1
        i += 1
    raise QuerySyntaxError("the query has no WHERE group to bind parameters in")


def bind_with_values(query: str, bindings: Bindings | None) -> str:
    if not bindings:
        return query
    names = list(bindings)
    values = " ".join(term_to_sparql(bindings[name]) for name in names)
    block = f" VALUES ({' '.join('?' + name for name in names)}) {{ ({values}) }} "
    at = _where_group_start(query)
    return query[:at] + block + query[at:]
