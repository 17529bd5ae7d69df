"""A query by super-property or super-class answers the same on every store, with no reasoner: the loader
materialises the RDFS entailments of the graph's own hierarchy into https://w3id.org/iza-kg/graph/inferred
(app.inference), and `iza-kg publish` carries that graph to a server like any other."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from app.core.isolation import IsolatedBackend, IsolationLimits
from app.inference import INFERRED_GRAPH, materialise
from app.loader import configured_sources, source_files

ID = "https://w3id.org/iza-kg/id/"
PREFIXES = """PREFIX iza: <https://w3id.org/iza-kg/def/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
# Everything below Midden-Nederland's plan, whichever part property each level uses.
PARTS_BY_SUPER_PROPERTY = PREFIXES + f"""SELECT DISTINCT ?part WHERE {{
    <{ID}plan/regioplan-midden-nederland> iza:hasPart+ ?part }}"""
# Every plan component from Midden-Nederland's plan, whatever its own class.
COMPONENTS_BY_SUPER_CLASS = PREFIXES + f"""SELECT DISTINCT ?item WHERE {{
    ?item a iza:PlanComponent ; prov:wasDerivedFrom <{ID}brondocument/regioplan-midden-nederland> }}"""
AGENTS_BY_EXTERNAL_SUPER_CLASS = PREFIXES + "SELECT DISTINCT ?agent WHERE { ?agent a prov:Agent }"
PARTS_BY_DCTERMS = PREFIXES + f"""SELECT DISTINCT ?part WHERE {{
    <{ID}plan/regioplan-midden-nederland> dcterms:hasPart+ ?part }}"""
QUERIES = {"super-property": PARTS_BY_SUPER_PROPERTY, "super-class": COMPONENTS_BY_SUPER_CLASS,
           "external super-class": AGENTS_BY_EXTERNAL_SUPER_CLASS, "dcterms:hasPart": PARTS_BY_DCTERMS}


def answers(backend, query: str) -> set[str]:
    result = backend.select(query)
    return {str(row[result.variables[0]]) for row in result.rows}


@pytest.fixture(scope="module")
def isolated():
    """The served app's backend: the query template loads the files itself and materialises on its own."""
    backend = IsolatedBackend.from_files(source_files(configured_sources()), IsolationLimits(workers=1, adhoc_workers=1))
    yield backend
    backend.close()


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_a_query_by_super_property_or_super_class_answers_the_same_on_every_backend(
        name, embedded_backend, remote_backend, isolated):
    embedded = answers(embedded_backend, QUERIES[name])
    assert embedded == answers(remote_backend, QUERIES[name]) == answers(isolated, QUERIES[name])


def test_the_super_property_reaches_every_level_of_the_plan(embedded_backend):
    parts = answers(embedded_backend, PARTS_BY_SUPER_PROPERTY)
    assert {ID + "transformatie/mn-netwerkorganisatie",  # iza:hasTransformation
            ID + "opgave-transformatie/mn-am-1",  # iza:hasFundamentalTask / iza:hasSubItem / iza:hasSubItem
            ID + "kpi/mn-productiviteit"} <= parts  # iza:hasKPI
    assert parts == answers(embedded_backend, PARTS_BY_DCTERMS)  # iza:hasPart is a dcterms:hasPart


def test_the_super_class_finds_items_no_file_types_as_plan_components(embedded_backend, project):
    components = answers(embedded_backend, COMPONENTS_BY_SUPER_CLASS)
    assert ID + "opgave-transformatie/mn-am-1" in components  # asserted only as iza:TaskTransformation
    asserted = {t.subject.value for source in project.files if not source.inferred for t in source.triples
                if t.predicate.value.endswith("#type") and t.object.value.endswith("/def/PlanComponent")}
    assert ID + "opgave-transformatie/mn-am-1" not in asserted
    assert len(components) > len(asserted & components)


def test_the_entailments_are_a_named_graph_of_their_own_on_the_server(remote_backend):
    graphs = answers(remote_backend, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert INFERRED_GRAPH.value in graphs
    inferred = remote_backend.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{INFERRED_GRAPH.value}> {{ ?s ?p ?o }} }}")
    assert int(inferred.rows[0]["n"]) > 1000


def test_materialise_adds_the_rdfs_closure_once_and_nothing_asserted():
    ex = "http://example.org/"
    n = {name: ox.NamedNode(ex + name) for name in ("hasPart", "hasChapter", "hasSection", "Part", "Chapter",
                                                     "Section", "book", "ch1", "s1", "g")}
    sub_property = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subPropertyOf")
    sub_class = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    store = ox.Store()
    store.extend([ox.Quad(*triple, n["g"]) for triple in [
        (n["hasSection"], sub_property, n["hasChapter"]), (n["hasChapter"], sub_property, n["hasPart"]),
        (n["Section"], sub_class, n["Chapter"]), (n["Chapter"], sub_class, n["Part"]),
        (n["book"], n["hasSection"], n["s1"]), (n["book"], n["hasPart"], n["s1"]),  # the second is asserted
        (n["s1"], rdf_type, n["Section"]),
    ]])
    assert materialise(store) == 5
    inferred = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, INFERRED_GRAPH)}
    assert inferred == {
        (n["hasSection"], sub_property, n["hasPart"]), (n["Section"], sub_class, n["Part"]),  # rdfs5, rdfs11
        (n["book"], n["hasChapter"], n["s1"]),  # rdfs7 (book hasPart s1 is asserted already)
        (n["s1"], rdf_type, n["Chapter"]), (n["s1"], rdf_type, n["Part"]),  # rdfs9
    }
    assert materialise(store) == 0


def test_an_items_class_is_its_own_not_a_super_class_the_inferred_graph_adds(run_query):
    """Queries that report "the" class of an item pick the most specific one (MIN over the classes would
    now pick iza:PlanComponent for a transformation)."""
    rows = run_query("theme-items", theme=ID + "thema/arbeidsmarkt")
    types = {row["item"]: row["itemType"] for row in rows}
    assert types[ID + "opgave-transformatie/mn-am-1"].endswith("/def/TaskTransformation")
    assert not any(t.endswith("/def/PlanComponent") for t in types.values())


def test_a_search_hit_names_the_items_own_class(client):
    hits = client.get("/search", params={"q": "Ondersteuning nabij"}).json()["data"]
    types = {hit["resource"]: hit["type"] for hit in hits}
    assert types[ID + "transformatie/gv-ondersteuning-nabij"]["iri"].endswith("/def/Transformation")
