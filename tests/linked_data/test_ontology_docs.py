"""The pyLODE page documents every class and property with labels, definition, domain and range."""

from __future__ import annotations

import pytest
from rdflib.namespace import OWL, RDF, RDFS

from app.namespaces import IZA
from app.ontology_docs import OntologyDocs, ontology_graph

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def docs():
    return OntologyDocs.build()


def test_every_term_has_an_anchor(docs):
    graph = ontology_graph()
    terms = {str(s) for t in TERM_TYPES for s in graph.subjects(RDF.type, t) if str(s).startswith(str(IZA))}
    assert len(terms) > 100
    assert sorted(terms - set(docs.anchors)) == []
    assert len(set(docs.anchors.values())) == len(docs.anchors), "anchors must be unique"


def test_a_term_section_shows_labels_definition_domain_and_range(docs):
    graph = ontology_graph()
    term = IZA.inZorgkantoorRegion
    section = docs.html.split(f'id="{docs.anchors[str(term)]}"', 1)[1].split('class="property entity"', 1)[0]
    for label in graph.objects(term, RDFS.label):
        assert str(label) in section
    assert "Domain" in section and "Range" in section
    assert "zorgkantoorregio" in section.lower()


def test_generation_is_deterministic(docs):
    assert OntologyDocs.build().html == docs.html
