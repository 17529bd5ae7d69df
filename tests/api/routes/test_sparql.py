"""The /sparql endpoint (SPARQL 1.1 Protocol), on both backends."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, URIRef

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
    else:
        assert response.text.splitlines() == ["?n", '"31"^^<http://www.w3.org/2001/XMLSchema#integer>']


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


def test_default_graph_is_the_union_and_default_graph_uri_narrows_it(client):
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{REGION_MN}> ?p ?o }}"
    union = int(client.get("/sparql", params={"query": query}).json()["results"]["bindings"][0]["n"]["value"])
    reference = "https://w3id.org/iza-kg/graph/data/reference/zorgkantoorregios"
    narrowed = client.get("/sparql", params={"query": query, "default-graph-uri": reference}).json()
    assert 0 < int(narrowed["results"]["bindings"][0]["n"]["value"]) < union


def test_update_is_refused(client):
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    for response in (client.get("/sparql", params={"query": update}),
                     client.post("/sparql", data={"update": update}),
                     client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"})):
        assert response.status_code == 403 and "read-only" in response.json()["detail"]
    assert client.get("/sparql", params={"query": "ASK { <http://example.org/a> ?p ?o }"}).json()["boolean"] is False


def test_service_is_refused(client):
    query = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 403 and "SERVICE" in response.json()["detail"]


def test_syntax_error_is_400_with_the_parsers_message(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    assert response.status_code == 400
    assert "syntax error" in response.json()["detail"] and "col" in response.json()["detail"]


def test_unacceptable_format_is_406(client):
    assert client.get("/sparql", params={"query": COUNT_REGIONS}, headers={"Accept": "image/png"}).status_code == 406


def test_without_query_describes_itself(client):
    assert "union" in client.get("/sparql").json()["description"]
