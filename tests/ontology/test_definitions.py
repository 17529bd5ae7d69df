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


def test_the_ontology_file_is_ordered_by_concept_area_with_no_empty_or_regional_section():
    """Sections of ontology/iza.ttl name a concept area and hold terms; none is named after a region."""
    from app.loader import ROOT

    text = (ROOT / "ontology" / "iza.ttl").read_text(encoding="utf-8")
    rule = "#" * 65
    sections = text.split(rule)[1:]  # alternately a heading and the terms below it
    headings, bodies = sections[0::2], sections[1::2]
    assert len(headings) == len(bodies) >= 10
    regions = ("Gooi", "Vechtstreek", "Midden-Nederland", "Limburg", "Utrecht")
    for heading, body in zip(headings, bodies):
        assert not any(name in heading for name in regions), heading
        assert "\niza:" in body, f"empty section: {heading.strip()}"
