"""The ontology and the data are consistent under OWL 2 RL."""

import pytest
from owlrl import DeductiveClosure, OWLRL_Semantics
from rdflib import Graph, URIRef
from rdflib.namespace import ORG, OWL, PROV, RDF

from app.namespaces import IZA


def closure(graph: Graph) -> Graph:
    expanded = Graph()
    for triple in graph:
        expanded.add(triple)
    DeductiveClosure(OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False,
                     datatype_axioms=False).expand(expanded)
    return expanded


OWLRL_ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")


def inconsistencies(graph: Graph) -> list[str]:
    """owlrl reports a contradiction as an error message node, or types an individual owl:Nothing."""
    errors = [str(message) for message in graph.objects(None, OWLRL_ERROR)]
    return errors + [str(s) for s in graph.subjects(RDF.type, OWL.Nothing)]


@pytest.fixture(scope="module")
def inferred(project) -> Graph:
    return closure(project.union_graph())


def test_ontology_and_data_are_consistent_under_owl_rl(inferred):
    assert inconsistencies(inferred) == []


def test_reasoning_infers_the_standard_vocabularies(inferred):
    """Reuse by subclassing works: a hospital is an org:Organization, a regioplan a prov:Plan."""
    assert (IZA.Hospital, RDF.type, OWL.Class) in inferred
    hospitals = set(inferred.subjects(RDF.type, IZA.Hospital))
    assert hospitals and all((h, RDF.type, ORG.Organization) in inferred for h in hospitals)
    plans = set(inferred.subjects(RDF.type, IZA.Regioplan))
    assert plans and all((p, RDF.type, PROV.Plan) in inferred for p in plans)


def test_a_contradiction_is_detected():
    """The check above can fail: an individual of two disjoint classes is found."""
    graph = Graph()
    a, b, x = URIRef("urn:test:A"), URIRef("urn:test:B"), URIRef("urn:test:x")
    graph.add((a, OWL.disjointWith, b))
    graph.add((x, RDF.type, a))
    graph.add((x, RDF.type, b))
    assert inconsistencies(closure(graph)) != []
