"""The linked-data routes: redirects, terms, named graphs, downloads, traversal, the Link header."""

from __future__ import annotations

import hashlib

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS

from app.namespaces import BASE


def test_a_thing_redirects_303_to_its_document(client):
    answer = client.get("/id/regio/midden-nederland", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/doc/regio/midden-nederland"


def changed_iris(project) -> list[tuple[str, str]]:
    """(old path, new path) of every row of data/iri-changes.ttl."""
    graph = project.union_graph()
    return sorted(("/" + str(old)[len(BASE):], "/" + str(new)[len(BASE):])
                  for new, old in graph.subject_objects(DCTERMS.replaces))


def test_every_changed_iri_answers_301_with_the_iri_that_replaces_it(client, project):
    changes = changed_iris(project)
    assert ("/id/thema/gv-ggz", "/id/plan-thema/gv-ggz") in changes
    for old, new in changes:
        answer = client.get(old, follow_redirects=False)
        assert (answer.status_code, answer.headers["location"]) == (301, new), old
        assert client.get(new, follow_redirects=False).status_code == 303, new


def test_the_document_of_a_changed_iri_moves_too_keeping_the_format(client):
    answer = client.get("/doc/transformatie/mn-am-1.ttl", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (301, "/doc/opgave-transformatie/mn-am-1.ttl")
    followed = client.get("/id/thema/nml-gezond-vooruit", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=followed.text, format="turtle")
    new, old = URIRef(BASE + "id/plan-thema/nml-gezond-vooruit"), URIRef(BASE + "id/thema/nml-gezond-vooruit")
    assert followed.status_code == 200 and (new, DCTERMS.replaces, old) in graph


def test_an_unchanged_comparison_theme_keeps_its_iri(client):
    answer = client.get("/id/thema/arbeidsmarkt", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/doc/thema/arbeidsmarkt")


def test_the_document_describes_the_thing_and_itself(client):
    graph = Graph().parse(data=client.get("/doc/regio/midden-nederland.ttl").text, format="turtle")
    thing, doc = URIRef(BASE + "id/regio/midden-nederland"), URIRef(BASE + "doc/regio/midden-nederland")
    assert (doc, URIRef("http://xmlns.com/foaf/0.1/primaryTopic"), thing) in graph
    assert any(graph.objects(thing, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))
    assert any(graph.objects(thing, URIRef(BASE + "def/sourceQuote")))
    municipalities = set(graph.subjects(URIRef(BASE + "def/inZorgkantoorRegion"), thing))
    assert URIRef(BASE + "id/gemeente/utrecht") in municipalities  # incoming links
    assert graph.value(URIRef(BASE + "id/gemeente/utrecht"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))


def test_trig_keeps_the_named_graphs(client):
    dataset = Dataset().parse(data=client.get("/doc/regio/midden-nederland.trig").text, format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert BASE + "graph/data/reference/zorgkantoorregios" in names
    assert BASE + "graph/data/midden-nederland/regio" in names


def test_html_quotes_the_source_and_links_the_source_document(client):
    page = client.get("/doc/regio/midden-nederland", headers={"Accept": "text/html"}).text
    assert "<blockquote" in page and 'href="/doc/brondocument/regioplan-midden-nederland"' in page
    assert 'lang="en"' in page and '<link rel="alternate" type="application/ld+json"' in page


def test_a_term_redirects_browsers_to_its_anchor_and_machines_get_rdf(client):
    answer = client.get("/def/Regioplan", headers={"Accept": "text/html"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/def/#Regioplan"
    graph = Graph().parse(data=client.get("/def/Regioplan", headers={"Accept": "text/turtle"}).text, format="turtle")
    assert (URIRef(BASE + "def/Regioplan"), None, None) in graph
    assert client.get("/def/Regioplan.nt").headers["content-type"].startswith("application/n-triples")
    assert client.get("/def/NoSuchTerm", headers={"Accept": "text/turtle"}).status_code == 404


def test_the_ontology_in_html_and_rdf(client):
    page = client.get("/def/", headers={"Accept": "text/html"})
    assert page.status_code == 200 and 'id="Regioplan"' in page.text
    graph = Graph().parse(data=client.get("/def/", headers={"Accept": "text/turtle"}).text, format="turtle")
    assert (URIRef(BASE + "def/"), None, None) in graph and len(graph) > 1000


def test_a_named_graph_resolves(client):
    graph = Graph().parse(data=client.get("/graph/data/sources.ttl").text, format="turtle")
    assert (URIRef(BASE + "id/brondocument/regioplan-midden-nederland"), None, None) in graph
    assert client.get("/graph/data/nothing-here", headers={"Accept": "text/turtle"}).status_code == 404


@pytest.mark.parametrize("path", [
    "/doc/regio/%2e%2e", "/doc/%2e%2e/%2e%2e", "/id/regio/..%2F..%2Fpyproject.toml", "/graph/%2e%2e/pyproject",
    "/download/..%2Fpyproject.toml", "/download/%2e%2e", "/def/%2e%2e", "/doc/regio/a%00b", "/id/x", "/doc/a/b/c",
    "/doc/regio/a%20b", "/def/a%2Fb",
])
def test_traversal_and_malformed_paths_give_404_never_500(client, path):
    answer = client.get(path, headers={"Accept": "application/ld+json"}, follow_redirects=False)
    assert answer.status_code == 404, answer.text
    assert "pyproject" not in answer.text or "unknown" in answer.text.lower()


def test_downloads_list_files_with_checksums_that_match(client):
    listing = client.get("/download/", headers={"Accept": "application/json"}).json()
    names = {f["name"] for f in listing["data"]}
    assert {"iza-kg.ttl", "iza-kg.nt.gz", "iza-kg.trig", "iza-kg.jsonld", "catalog.ttl", "void.ttl"} <= names
    for entry in listing["data"]:
        body = client.get(f"/download/{entry['name']}").content
        assert hashlib.sha256(body).hexdigest() == entry["sha256"] and len(body) == entry["byteSize"]
    assert client.get("/download/", headers={"Accept": "text/html"}).status_code == 200
    assert client.get("/download/nothing.ttl").status_code == 404


def test_catalog_and_void_negotiate_rdf(client):
    for path in ("/catalog", "/.well-known/void"):
        answer = client.get(path)  # no Accept: Turtle
        assert answer.headers["content-type"].startswith("text/turtle")
        assert len(Graph().parse(data=answer.text, format="turtle")) > 20
        assert client.get(path, headers={"Accept": "application/ld+json"}).status_code == 200
        assert client.get(path, headers={"Accept": "text/html"}).headers["content-type"].startswith("text/html")
        assert client.get(path, headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/catalog.jsonld").headers["content-type"].startswith("application/ld+json")


@pytest.mark.parametrize("path", ["/id/regio/midden-nederland", "/doc/regio/midden-nederland", "/def/", "/catalog",
                                  "/download/", "/doc/regio/atlantis", "/.well-known/void"])
def test_every_response_links_the_dataset_description(client, path):
    answer = client.get(path, follow_redirects=False)
    assert '</catalog>; rel="describedby"' in answer.headers.get("link", "")


def test_the_configured_base_decides_which_iris_are_looked_up(backend):
    from fastapi.testclient import TestClient

    from tests.linked_data.conftest import make_app

    other = TestClient(make_app(backend, base="http://localhost:8000/"))
    # the graph's IRIs are under https://w3id.org/iza-kg/, so under another base nothing resolves
    assert other.get("/id/regio/midden-nederland", follow_redirects=False).status_code == 404
