"""Every class and property of the iza ontology is documented, and the ontology header is complete."""

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, VANN

from app.namespaces import IZA

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def ontology(project):
    from app.loader import ROOT, load_project

    return load_project([ROOT / "ontology"]).union_graph()


def terms(graph):
    return sorted({s for t in TERM_TYPES for s in graph.subjects(RDF.type, t) if str(s).startswith(str(IZA))})


def test_the_ontology_declares_its_terms(ontology):
    assert len(terms(ontology)) > 100


def test_every_term_has_a_label_in_dutch_and_english(ontology):
    missing = [
        f"{term} @{lang}"
        for term in terms(ontology)
        for lang in ("nl", "en")
        if not any(isinstance(l, Literal) and l.language == lang for l in ontology.objects(term, RDFS.label))
    ]
    assert missing == []


def test_every_term_has_an_english_definition_and_is_defined_by_the_ontology(ontology):
    undefined = [
        str(term)
        for term in terms(ontology)
        if not any(l.language == "en" for l in ontology.objects(term, SKOS.definition))
        or (term, RDFS.isDefinedBy, URIRef(str(IZA))) not in ontology
    ]
    assert undefined == []


def test_every_term_has_one_label_per_language(ontology):
    doubles = []
    for term in terms(ontology):
        languages = [l.language for l in ontology.objects(term, RDFS.label)]
        doubles += [f"{term} @{lang}" for lang in set(languages) if languages.count(lang) > 1]
    assert doubles == []


def test_ontology_header(ontology):
    header = URIRef(str(IZA))
    assert (header, RDF.type, OWL.Ontology) in ontology
    for prop in (OWL.versionIRI, DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator,
                 DCTERMS.modified, VANN.preferredNamespacePrefix, VANN.preferredNamespaceUri):
        assert ontology.value(header, prop) is not None, prop
    assert str(ontology.value(header, VANN.preferredNamespaceUri)) == str(IZA)


def test_project_vocabularies_are_well_formed_schemes(ontology):
    for scheme in ontology.subjects(RDF.type, SKOS.ConceptScheme):
        members = list(ontology.subjects(SKOS.inScheme, scheme))
        assert members, f"{scheme} has no concepts"
        notations = [str(ontology.value(m, SKOS.notation)) for m in members]
        assert len(notations) == len(set(notations)), f"duplicate notation in {scheme}"
        for member in members:
            for lang in ("nl", "en"):
                labels = [l for l in ontology.objects(member, SKOS.prefLabel) if l.language == lang]
                if not labels:
                    labels = [l for l in ontology.objects(member, RDFS.label) if l.language == lang]
                assert len(labels) == 1, f"{member} needs one @{lang} label"
