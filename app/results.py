"""Turn RDF terms of query results into plain Python values for JSON, CSV and tests.

One rule for every source of terms: pyoxigraph's (the embedded store), SPARQL JSON bindings (a remote
server) and rdflib's (the CLI and the pages, which still read SelectResult).
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from app.backends import SelectResult

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + "integer": int, XSD + "int": int, XSD + "long": int, XSD + "nonNegativeInteger": int,
           XSD + "positiveInteger": int, XSD + "decimal": Decimal, XSD + "double": float, XSD + "float": float}
BOOLEAN = XSD + "boolean"


def literal_value(text: str, datatype: str | None):
    """Numbers as int/Decimal/float, booleans as bool, any other literal (dates too) as its text."""
    if datatype in NUMERIC:
        try:
            return NUMERIC[datatype](text)
        except (ValueError, ArithmeticError):
            return text
    if datatype == BOOLEAN:
        return text.strip().lower() in ("true", "1")
    return text


def oxigraph_value(term):
    """The Python value of a pyoxigraph term (IRIs and blank nodes as str)."""
    if term is None:
        return None
    datatype = getattr(term, "datatype", None)  # only literals have one
    return term.value if datatype is None else literal_value(term.value, datatype.value)


def json_value(term: dict | None):
    """The Python value of a term in SPARQL 1.1 Query Results JSON."""
    if term is None:
        return None
    if term["type"] in ("uri", "bnode"):
        return term["value"]
    return literal_value(term["value"], term.get("datatype"))


def to_python(term: Node | None):
    """The Python value of an rdflib term."""
    if term is None:
        return None
    if isinstance(term, (URIRef, BNode)):
        return str(term)
    if isinstance(term, Literal):
        return literal_value(str(term), str(term.datatype) if term.datatype else None)
    raise TypeError(f"unexpected term {term!r}")


def rows(result: SelectResult) -> list[dict]:
    return [{name: to_python(row.get(name)) for name in result.variables} for row in result.rows]
