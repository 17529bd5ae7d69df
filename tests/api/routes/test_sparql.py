"""The /sparql endpoint (SPARQL 1.1 Protocol), on both backends."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

from app.api.routes.sparql import RDF_MEDIA_TYPES, RESULT_MEDIA_TYPES

COUNT_REGIONS = "PREFIX iza: <https://w3id.org/iza-kg/def/> SELECT (COUNT(?r) AS ?n) WHERE { ?r a iza:ZorgkantoorRegion }"
REGION_MN = "https://w3id.org/iza-kg/id/regio/midden-nederland"
CONSTRUCT = f"PREFIX iza: <https://w3id.org/iza-kg/def/> CONSTRUCT {{ <{REGION_MN}> iza:cbsCode ?c }} WHERE {{ <{REGION_MN}> iza:cbsCode ?c }}"
SPARQL_NS = "{http://www.w3.org/2005/sparql-results#}"


def test_get_post_form_and_post_query_agree(client):
    get = client.get("/sparql", params={"query": COUNT_REGIONS}).json()
    form = client.post("/sparql", data={"query": COUNT_REGIONS}).json()
    direct = client.post("/sparql", content=COUNT_REGIONS, headers={"Content-Type": "application/sparql-query"}).json()
    assert get == form == direct
    assert get["results"]["bindings"][0]["n"]["value"] == "31"


@pytest.mark.parametrize("accept", sorted(RESULT_MEDIA_TYPES))
def test_select_in_every_result_format(client, accept):
    response = client.get("/sparql", params={"query": COUNT_REGIONS}, headers={"Accept": accept})
    assert response.status_code == 200
    kind = RESULT_MEDIA_TYPES[accept]
    if kind == "json":
        assert response.json()["results"]["bindings"][0]["n"]["value"] == "31"
    elif kind == "xml":
        root = ET.fromstring(response.text)
        assert root.find(f"{SPARQL_NS}results/{SPARQL_NS}result/{SPARQL_NS}binding/{SPARQL_NS}literal").text == "31"
    elif kind == "csv":
        assert list(csv.reader(io.StringIO(response.text))) == [["n"], ["31"]]
    else:  # terms in Turtle syntax, where an integer may be written bare (`31`): read it with rdflib's TSV parser
        assert response.text.splitlines()[0] == "?n"
        [row] = Result.parse(io.StringIO(response.text), format="tsv")
        assert row[0] == Literal(31)


def test_ask(client):
    assert client.get("/sparql", params={"query": f"ASK {{ <{REGION_MN}> ?p ?o }}"}).json() == {"head": {}, "boolean": True}
    xml = client.get("/sparql", params={"query": "ASK { <http://example.org/nothing> ?p ?o }"},
                     headers={"Accept": "application/sparql-results+xml"})
    assert ET.fromstring(xml.text).find(f"{SPARQL_NS}boolean").text == "false"


@pytest.mark.parametrize("accept", sorted(RDF_MEDIA_TYPES))
def test_construct_in_every_rdf_format(client, accept):
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200
    media = RDF_MEDIA_TYPES[accept]
    assert response.headers["content-type"].startswith(media)
    rdflib_format = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
                     "application/rdf+xml": "xml"}[media]
    graph = Graph().parse(data=response.text, format=rdflib_format)
    assert [str(o) for o in graph.objects(URIRef(REGION_MN), None)] == ["ZK23"]


REFERENCE_GRAPH = "https://w3id.org/iza-kg/graph/data/reference/zorgkantoorregios"
MN_GRAPH = "https://w3id.org/iza-kg/graph/data/midden-nederland/regioplan"
COUNT_MN = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{REGION_MN}> ?p ?o }}"
GRAPHS_OF_MN = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{REGION_MN}> ?p ?o }} }} ORDER BY ?g"


def count(client, query: str, **params) -> int:
    response = client.get("/sparql", params={"query": query, **params})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def graphs(client, query: str, **params) -> list[str]:
    response = client.get("/sparql", params={"query": query, **params})
    assert response.status_code == 200, response.text
    return [row["g"]["value"] for row in response.json()["results"]["bindings"]]


def test_default_graph_is_the_union_and_default_graph_uri_narrows_it(client):
    union = count(client, COUNT_MN)
    assert 0 < count(client, COUNT_MN, **{"default-graph-uri": REFERENCE_GRAPH}) < union


def test_several_default_graph_uris_are_merged(client):
    every_graph = graphs(client, GRAPHS_OF_MN)
    assert REFERENCE_GRAPH in every_graph and len(every_graph) >= 2
    per_graph = [count(client, COUNT_MN, **{"default-graph-uri": g}) for g in every_graph]
    merged = client.get("/sparql", params=[("query", COUNT_MN)] + [("default-graph-uri", g) for g in every_graph])
    # the same triple may be stated in two files; the merge counts it once, the union of all files too
    assert int(merged.json()["results"]["bindings"][0]["n"]["value"]) == count(client, COUNT_MN) <= sum(per_graph)


def test_named_graph_uri_limits_what_graph_reaches(client):
    every_graph = graphs(client, GRAPHS_OF_MN)
    assert graphs(client, GRAPHS_OF_MN, **{"named-graph-uri": REFERENCE_GRAPH}) == [REFERENCE_GRAPH]
    # with only named-graph-uri given, the default graph is empty (SPARQL 1.1 Protocol, 2.1.4)
    assert count(client, COUNT_MN, **{"named-graph-uri": REFERENCE_GRAPH}) == 0
    assert len(every_graph) > 1


def test_the_querys_own_from_clause_is_honoured(client):
    union = count(client, COUNT_MN)
    in_reference = count(client, COUNT_MN, **{"default-graph-uri": REFERENCE_GRAPH})
    from_reference = COUNT_MN.replace("WHERE", f"FROM <{REFERENCE_GRAPH}> WHERE")
    assert count(client, from_reference) == in_reference < union
    from_named = GRAPHS_OF_MN.replace("WHERE", f"FROM NAMED <{REFERENCE_GRAPH}> WHERE")
    assert graphs(client, from_named) == [REFERENCE_GRAPH]


@pytest.mark.parametrize("iri", ["not an iri", "relative/path", "http://example.org/a b"])
def test_a_graph_uri_that_is_not_an_absolute_iri_is_400(client, iri):
    for name in ("default-graph-uri", "named-graph-uri"):
        response = client.get("/sparql", params={"query": COUNT_MN, name: iri})
        assert response.status_code == 400 and name in response.json()["detail"]


def test_update_is_refused(client):
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    for response in (client.get("/sparql", params={"query": update}),
                     client.post("/sparql", data={"update": update}),
                     client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"})):
        assert response.status_code == 403 and "read-only" in response.json()["detail"]
    assert client.get("/sparql", params={"query": "ASK { <http://example.org/a> ?p ?o }"}).json()["boolean"] is False


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "PREFIX ex: <http://example.org/>\nSELECT * WHERE { ?s ?p ?o OPTIONAL { service silent ex:sparql { ?s ?q ?r } } }",
])
def test_service_is_refused(client, query):
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 403 and "SERVICE" in response.json()["detail"]


def test_the_word_service_in_a_comment_a_string_or_a_name_is_not_a_service_call(client):
    query = ("PREFIX service: <https://w3id.org/iza-kg/def/>\n# SERVICE <http://example.org/sparql>\n"
             "SELECT ?service WHERE { ?service a service:ZorgkantoorRegion FILTER(?service != <http://x/SERVICE>) "
             "FILTER(!CONTAINS(STR(?service), 'SERVICE {')) } LIMIT 1")
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    assert len(response.json()["results"]["bindings"]) == 1


def test_syntax_error_is_400_with_the_parsers_message(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "syntax error" in detail.lower() and "1:" in detail  # the parser's position: line 1


def test_a_syntax_error_after_comments_is_reported_at_its_line_as_written(client):
    query = "# which regions\n# (a comment the store never sees)\nSELECT * WHERE {\n  ?s ?p \n}"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert "5:" in response.json()["detail"]  # line 5, where the object is missing, counting the comments


def test_unacceptable_format_is_406(client):
    assert client.get("/sparql", params={"query": COUNT_REGIONS}, headers={"Accept": "image/png"}).status_code == 406


def test_without_query_describes_itself(client):
    assert "union" in client.get("/sparql").json()["description"]
