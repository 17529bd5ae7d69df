"""Turn RDF terms of query results into plain Python values for JSON, CSV and tests."""

from __future__ import annotations

from decimal import Decimal

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from app.backends import SelectResult

NUMERIC = {XSD.integer: int, XSD.int: int, XSD.long: int, XSD.nonNegativeInteger: int,
           XSD.positiveInteger: int, XSD.decimal: Decimal, XSD.double: float, XSD.float: float}


def to_python(term: Node | None):
    """IRIs and dates as strings, numbers as int/Decimal/float, booleans as bool, text as str."""
    if term is None:
        return None
    if isinstance(term, (URIRef, BNode)):
        return str(term)
    if isinstance(term, Literal):
        if term.datatype in NUMERIC:
            try:
                return NUMERIC[term.datatype](str(term))
            except (ValueError, ArithmeticError):
                return str(term)
        if term.datatype == XSD.boolean:
            return str(term).strip().lower() in ("true", "1")
        return str(term)
    raise TypeError(f"unexpected term {term!r}")


def rows(result: SelectResult) -> list[dict]:
    return [{name: to_python(row.get(name)) for name in result.variables} for row in result.rows]
