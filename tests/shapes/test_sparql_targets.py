"""The SPARQL-based targets of the integrity shapes (SHACL-AF sh:SPARQLTarget, written for speed) are answered by
Oxigraph inside app.validation.validate (PreparingGraph) and by rdflib in the fixture tests (test_shapes.py):
both must select the same nodes, and validate() must report each fixture as the fixture test expects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF

from app.loader import ROOT, load_project
from app.namespaces import IZA, IZASH, SH
from app.validation import PreparingGraph, load_shapes, sparql_targets, validate

FIXTURES = Path(__file__).parent / "fixtures"
SHAPES = load_shapes("integrity")
TARGETED = sorted({s for s in SHAPES.subjects(SH.target, None)}, key=str)
PREFIXES = "".join(f"PREFIX {SHAPES.value(d, SH.prefix)}: <{SHAPES.value(d, SH.namespace)}>\n"
                   for d in SHAPES.objects(IZASH.integrity, SH.declare))
PROV_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_project([ROOT / "ontology"]).union_graph()


def with_data(ontology: Graph, path: Path | None = None) -> Graph:
    data = Graph()
    for triple in ontology:
        data.add(triple)
    if path is not None:
        data.parse(path, format="turtle")
    return data


def selected(data: Graph) -> dict[str, tuple[set, set]]:
    """Per target query: (nodes rdflib selects, nodes PreparingGraph selects with Oxigraph)."""
    routed = PreparingGraph(data, sparql_targets(SHAPES))
    found = {}
    for select in sparql_targets(SHAPES):
        text = PREFIXES + select
        found[select] = ({row["this"] for row in data.query(text)}, {row["this"] for row in routed.query(text)})
    return found


def test_the_targeted_shapes_are_the_six_expected():
    assert [str(s).removeprefix(str(IZASH)) for s in TARGETED] == [
        "AssertedResourceShape_label_minCount", "AssertedResourceShape_sourceQuote_minCount",
        "AssertedResourceShape_wasDerivedFrom_class", "AssertedResourceShape_wasDerivedFrom_minCount",
        "LabelledResourceShape_label_minCount", "OntologyTermShape_label_unique"]


@pytest.mark.parametrize("fixture", [FIXTURES / str(s).removeprefix(str(IZASH)) / kind
                                     for s in TARGETED for kind in ("valid.ttl", "invalid.ttl")],
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_oxigraph_selects_what_rdflib_selects_and_validate_reports_the_fixture(ontology, fixture):
    data = with_data(ontology, fixture)
    for select, (by_rdflib, by_oxigraph) in selected(data).items():
        assert by_oxigraph == by_rdflib, select
    shape = IZASH[fixture.parent.name]
    found = {f.focus_node for f in validate(data, "integrity").findings if f.shape == shape}
    if fixture.stem == "valid":
        assert found == set()
    else:
        assert URIRef(re.match(r"# expect-focus: (\S+)", fixture.read_text()).group(1)) in found


def test_blank_nodes_come_back_as_the_same_rdflib_blank_nodes(ontology):
    """A blank node is exempt from label, provenance and quote, but not from 'provenance is a source'."""
    data = with_data(ontology)
    role = BNode()
    data.add((role, RDF.type, IZA.RoleAssignment))
    data.add((role, PROV_DERIVED, URIRef("https://example.org/not-a-source")))
    for select, (by_rdflib, by_oxigraph) in selected(data).items():
        assert by_oxigraph == by_rdflib, select
    findings = validate(data, "integrity").findings
    assert {f.shape for f in findings if f.focus_node == role} == {IZASH.AssertedResourceShape_wasDerivedFrom_class}
