"""Content negotiation as data: the tables against many Accept headers (no backend needed)."""

import pytest

from app.api.routes.sparql import RDF_MEDIA_TYPES, RESULT_MEDIA_TYPES
from app.api.tabular import TABULAR_MEDIA_TYPES, negotiate


@pytest.mark.parametrize("accept, expected", [
    (None, "json"), ("", "json"), ("*/*", "json"), ("text/csv", "csv"), ("application/json", "json"),
    ("text/csv;q=0.5, application/json", "json"), ("text/html, text/csv;q=0.9", "csv"), ("text/*", "csv"),
    ("image/png", None), ("text/csv;q=0", "json"),  # nothing positively asked for: the default
])
def test_tabular(accept, expected):
    assert negotiate(accept, TABULAR_MEDIA_TYPES, "json") == expected


@pytest.mark.parametrize("accept, expected", [
    # what SPARQLWrapper sends for JSON, XML and CSV
    ("application/sparql-results+json,application/json,text/javascript,application/javascript", "json"),
    ("application/sparql-results+xml", "xml"), ("text/csv", "csv"), ("text/tab-separated-values", "tsv"),
    ("application/xml;q=0.5, text/csv", "csv"), ("*/*", "json"),
])
def test_sparql_results(accept, expected):
    assert negotiate(accept, RESULT_MEDIA_TYPES, "json") == expected


@pytest.mark.parametrize("accept, expected", [
    ("application/turtle,text/turtle", "text/turtle"), ("application/n-triples", "application/n-triples"),
    ("application/ld+json", "application/ld+json"), ("application/rdf+xml", "application/rdf+xml"),
    ("text/html", None), (None, "text/turtle"),
])
def test_rdf(accept, expected):
    assert negotiate(accept, RDF_MEDIA_TYPES, "text/turtle") == expected
