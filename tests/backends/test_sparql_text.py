"""Reading a query's keywords without parsing it (app.backends.sparql_text), as /sparql does."""

import pytest

from app.backends.sparql_text import (
    braces, calls_service, dataset_clauses, looks_like_update, mask, names_dataset, query_form, without_comments,
)

TRICKY = (
    "PREFIX service: <http://example.org/SERVICE#FROM>\n"
    "# SERVICE <http://example.org/sparql> FROM <http://example.org/g>\n"
    "SELECT ?service ('SERVICE { FROM' AS ?x) WHERE {\n"
    '  ?service service:p "a \\" SERVICE }" , """long\nSERVICE { """ , ?o .\n'
    "  FILTER(?o < 3 && ?o > 1) }"
)


def test_mask_keeps_length_and_lines_and_blanks_comments_strings_and_iris():
    masked = mask(TRICKY)
    assert len(masked) == len(TRICKY) and masked.count("\n") == TRICKY.count("\n")
    assert "SERVICE" not in masked.replace("?service", "").replace("service:", "")
    assert "FILTER(?o < 3 && ?o > 1)" in masked  # comparison operators are not IRIs


def test_without_comments_drops_comments_and_keeps_lines_iris_and_strings():
    stripped = without_comments(TRICKY + "  # the end")
    assert stripped.count("\n") == TRICKY.count("\n")
    assert stripped.splitlines()[1] == ""  # the comment line
    assert stripped.splitlines()[0] == "PREFIX service: <http://example.org/SERVICE#FROM>"
    assert '"a \\" SERVICE }"' in stripped and stripped.rstrip().endswith("FILTER(?o < 3 && ?o > 1) }")
    header = "#+ summary: which plan addresses this\n"  # SPARQLWrapper would take "addresses" for an update
    assert query_form(mask(without_comments(header + "SELECT ?s WHERE { ?s ?p ?o }"))) == "SELECT"


def test_keywords_inside_comments_strings_iris_and_names_are_not_keywords():
    masked = mask(TRICKY)
    assert query_form(masked) == "SELECT"
    assert not calls_service(masked) and not names_dataset(masked) and not looks_like_update(masked)
    assert [char for _, char in braces(TRICKY)] == ["{", "}"]


@pytest.mark.parametrize("text, form", [
    ("ASK {}", "ASK"),
    ("base <http://e/> prefix a: <http://a/> PREFIX : <http://b/>\nconstruct WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("# a comment\nDESCRIBE <http://e/a>", "DESCRIBE"),
    ("PREFIX select: <http://e/> SELECT * {}", "SELECT"),
    ("WHERE { ?s ?p ?o }", None),
])
def test_query_form_is_the_first_keyword_after_the_prologue(text, form):
    assert query_form(mask(text)) == form


@pytest.mark.parametrize("text", [
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "PREFIX ex: <http://e/>\n delete where { ?s ?p ?o }",
    "DROP ALL", "LOAD <http://e/data.ttl>", "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_updates_are_recognised(text):
    assert looks_like_update(mask(text)) and query_form(mask(text)) is None


def test_service_is_found_in_any_case_and_with_silent():
    assert calls_service(mask("SELECT * { ?s ?p ?o OPTIONAL { service SILENT <http://e/sparql> { ?s ?q ?r } } }"))


def test_dataset_clauses_with_iris_and_prefixed_names():
    text = "PREFIX g:<http://g/>\nSELECT * from named<http://a> FROM g:b FROM <http://c> WHERE { ?s ?p ?o }"
    assert dataset_clauses(text) == (("http://g/b", "http://c"), ("http://a",))
    assert dataset_clauses("SELECT * WHERE { ?s ?p 'FROM <http://x>' }") is None
    assert dataset_clauses("SELECT * FROM <relative> WHERE { ?s ?p ?o }") is None  # left to the store


def test_a_long_prologue_is_read_in_linear_time():
    """Many PREFIX lines before a query form used to make the prologue pattern backtrack for seconds."""
    import time

    prologue = "".join(f"PREFIX p{i}: <http://example.org/{i}/>\n" for i in range(40))
    started = time.perf_counter()
    assert query_form(mask(prologue + "SELECT * {}")) == "SELECT"
    assert not looks_like_update(mask(prologue + "SELECT * {}"))
    assert looks_like_update(mask(prologue + "INSERT DATA {}"))
    assert time.perf_counter() - started < 2  # linear: milliseconds; the backtracking pattern took minutes
