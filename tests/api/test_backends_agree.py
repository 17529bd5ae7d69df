"""The same request gives byte-identical answers on the embedded store, an Oxigraph server and Virtuoso.

Virtuoso runs with a row cap below the size of the graph (tests/virtuoso.py), so the answers that are
larger than that (the whole graph, a region's observations) are also the test that the remote backend
pages through a cut answer. Graph answers are compared as graphs: blank node labels are each store's own.
"""

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from tests.virtuoso import ROW_CAP

PATHS = [
    "/regions", "/regions?all=true", "/regions/midden-nederland", "/regions/gooi-en-vechtstreek",
    "/regions/noord-en-midden-limburg", "/regions/noord-en-midden-limburg/funding?format=csv",
    "/regions/gooi-en-vechtstreek/observations", "/regions/midden-nederland/themes",
    "/compare?regions=gooi-en-vechtstreek,midden-nederland,noord-en-midden-limburg",
    "/compare?regions=gooi-en-vechtstreek,midden-nederland,noord-en-midden-limburg&aspects=funding&format=csv",
    "/themes", "/themes/arbeidsmarkt", "/frameworks", "/frameworks/iza-criteria",
    "/frameworks/vng-werkagenda", "/search?q=zorg", "/queries", "/queries/regions?pageSize=50",
    "/queries/plan-scope?plan=https://w3id.org/iza-kg/id/plan/regioplan-midden-nederland",
    "/queries/ld-exists?resource=https://w3id.org/iza-kg/id/regio/midden-nederland",
]
BACKENDS = ("embedded", "remote", "virtuoso")


@pytest.mark.parametrize("path", PATHS)
def test_identical_answers_on_every_backend(all_clients, path):
    answers = {name: all_clients[name].get(path) for name in BACKENDS}
    assert {name: a.status_code for name, a in answers.items()} == dict.fromkeys(BACKENDS, 200)
    embedded = answers["embedded"].content
    for name in BACKENDS[1:]:
        assert answers[name].content == embedded, f"{path} differs on {name}"


def test_the_whole_graph_through_a_row_cap(all_clients, project):
    """graph-all is larger than Virtuoso's cap: the remote backend pages through it, nothing is cut."""
    total = len({triple for source in project.files for triple in source.triples})  # a triple in two files counts once
    assert total > ROW_CAP
    graphs = {}
    for name in BACKENDS:
        response = all_clients[name].get("/queries/graph-all", headers={"Accept": "application/n-triples"})
        assert response.status_code == 200
        graphs[name] = Graph().parse(data=response.text, format="nt")
    assert len(graphs["embedded"]) == total
    assert isomorphic(graphs["embedded"], graphs["remote"])
    assert isomorphic(graphs["embedded"], graphs["virtuoso"])


@pytest.mark.parametrize("path", ["/doc/regio/midden-nederland", "/doc/plan/regioplan-gooi-en-vechtstreek"])
def test_the_same_linked_data_document_on_every_backend(all_clients, path):
    graphs = {}
    for name in BACKENDS:
        response = all_clients[name].get(path, headers={"Accept": "application/n-triples"})
        assert response.status_code == 200, (name, response.text[:300])
        graphs[name] = Graph().parse(data=response.text, format="nt")
    assert len(graphs["embedded"]) > 0
    assert isomorphic(graphs["embedded"], graphs["remote"])
    assert isomorphic(graphs["embedded"], graphs["virtuoso"])


PLANS = """PREFIX iza: <https://w3id.org/iza-kg/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?plan ?label WHERE { ?plan iza:forRegion ?region ; rdfs:label ?label FILTER(lang(?label) = "nl") }
ORDER BY STR(?plan)"""


def test_the_same_sparql_answer_on_every_backend(all_clients):
    answers = [all_clients[name].get("/sparql", params={"query": PLANS}) for name in BACKENDS]
    assert answers[0].status_code == 200 and len(answers[0].json()["results"]["bindings"]) > 3
    assert {a.content for a in answers} == {answers[0].content}


def test_sparql_over_the_servers_cap_is_paged_up_to_the_apps_own_cap(all_clients, project):
    """More rows than Virtuoso's cap and than IZA_MAX_ROWS: every backend answers IZA_MAX_ROWS rows, capped."""
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    for name in BACKENDS:
        response = all_clients[name].get("/sparql", params={"query": query})
        assert response.status_code == 200
        assert len(response.json()["results"]["bindings"]) == 10_000, name
        assert "X-Result-Capped" in response.headers, name


def test_an_ordered_answer_over_virtuosos_sort_limit_is_capped_not_an_error(all_clients):
    """Virtuoso sorts no further than 10,000 rows (SR353 for a page past them): the rows before are served,
    marked capped, as on the other backends."""
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    for name in BACKENDS:
        response = all_clients[name].get("/sparql", params={"query": query})
        assert response.status_code == 200, (name, response.text[:300])
        assert len(response.json()["results"]["bindings"]) == 10_000, name
        assert "X-Result-Capped" in response.headers, name


def test_the_apps_own_reads_get_more_rows_than_the_routes_on_every_backend(
        embedded_backend, remote_backend, virtuoso_backend, project):
    """Backend.values(max_rows=...) (the search index's reads) goes past IZA_MAX_ROWS and Virtuoso's cap alike."""
    for backend in (embedded_backend, remote_backend, virtuoso_backend):
        triples = backend.values("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"]
        assert triples > 10_000 > ROW_CAP
        whole = backend.values("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", max_rows=len(project))
        assert len(whole.rows) == triples and whole.capped is None, backend


def test_a_cut_that_cannot_be_paged_is_passed_on(all_clients):
    """A query that ends in VALUES cannot take LIMIT/OFFSET: Virtuoso's cut is passed on as X-Result-Capped."""
    query = ("SELECT ?s ?p ?o WHERE { ?s ?p ?o } VALUES ?p { "
             "<http://www.w3.org/2000/01/rdf-schema#label> <http://www.w3.org/ns/prov#wasDerivedFrom> "
             "<https://w3id.org/iza-kg/def/sourceQuote> }")  # ~6,300 triples: above the cap, below IZA_MAX_ROWS
    response = all_clients["virtuoso"].get("/sparql", params={"query": query})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == ROW_CAP
    assert str(ROW_CAP) in response.headers["X-Result-Capped"]
    assert "X-Result-Capped" not in all_clients["embedded"].get("/sparql", params={"query": query}).headers


@pytest.mark.parametrize("query", [
    "DESCRIBE <https://w3id.org/iza-kg/id/regio/midden-nederland>",
    "DESCRIBE <https://w3id.org/iza-kg/id/begrotingspost/nml-2024-08>",  # with blank nodes (amounts)
    "PREFIX iza: <https://w3id.org/iza-kg/def/> DESCRIBE ?plan WHERE { ?plan iza:forRegion ?region }",
])
def test_the_same_description_on_every_backend(all_clients, query):
    """DESCRIBE is the resource's concise bounded description on every backend (Virtuoso's own adds the
    triples pointing at it and leaves out its blank nodes')."""
    graphs = {}
    for name in BACKENDS:
        response = all_clients[name].get("/sparql", params={"query": query}, headers={"Accept": "application/n-triples"})
        assert response.status_code == 200, (name, response.text[:300])
        graphs[name] = Graph().parse(data=response.text, format="nt")
    assert len(graphs["embedded"]) > 5
    assert isomorphic(graphs["embedded"], graphs["remote"])
    assert isomorphic(graphs["embedded"], graphs["virtuoso"])
