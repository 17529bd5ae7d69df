"""Parameters are bound as a VALUES block at the start of the WHERE group, never pasted as text."""

import pytest
from rdflib import Literal, URIRef

from app.backends.base import QuerySyntaxError
from app.backends.binding import bind_with_values
from app.backends.embedded import EmbeddedBackend


def test_values_go_into_the_where_group_not_the_construct_template():
    query = 'CONSTRUCT { ?s ?p "{x}" } WHERE { # a { brace in a comment\n ?s ?p ?o FILTER(?o != <urn:x:{>) }'
    bound = bind_with_values(query, {"s": URIRef("urn:a")})
    assert bound.startswith('CONSTRUCT { ?s ?p "{x}" } WHERE { VALUES (?s) { (<urn:a>) } ')


def test_literals_are_escaped_and_bad_iris_refused():
    bound = bind_with_values("SELECT * WHERE { ?s ?p ?o }", {"o": Literal('x" } ; DROP ALL ; {"')})
    assert 'VALUES (?o) { ("x\\" } ; DROP ALL ; {\\"") }' in bound
    with pytest.raises(ValueError, match="not a valid IRI"):
        bind_with_values("SELECT * WHERE { ?s ?p ?o }", {"s": URIRef("urn:a> } ; DROP ALL ; <urn:b")})


def test_a_query_without_a_where_group_is_a_syntax_error():
    with pytest.raises(QuerySyntaxError):
        bind_with_values("SELECT ?x", {"x": URIRef("urn:a")})


def test_an_injection_attempt_is_only_ever_a_value(project):
    backend = EmbeddedBackend.from_project(project)
    attack = Literal('GM0402" } UNION { ?m ?p ?o')
    result = backend.select("PREFIX iza: <https://w3id.org/iza-kg/def/>\n"
                            "SELECT ?m WHERE { ?m iza:cbsCode ?code }", {"code": attack})
    assert result.rows == []
