"""Each SHACL shape has a valid and an invalid fixture (tests/shapes/fixtures/<ShapeLocalName>/); the invalid one
must produce a result of exactly that shape at the focus node named in its first line, with the shape's severity.
The shapes themselves are checked against SHACL-SHACL, for nl/en documentation and for their criterion links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from app.loader import ROOT, load_project
from app.namespaces import IZA, SH
from app.namespaces import IZASH
from app.validation import _named_shape, load_shapes, shape_files

FIXTURES = Path(__file__).parent / "fixtures"
SHAPES = load_shapes("all")
NAMED_SHAPES = sorted({s for s in SHAPES.subjects(SH.name, None) if isinstance(s, URIRef)
                       and ((s, SH.path, None) in SHAPES or (s, SH.sparql, None) in SHAPES
                            or (s, SH["or"], None) in SHAPES
                            or any(isinstance(p, BNode) for p in SHAPES.objects(s, SH.property)))}, key=str)
EXPECTED_FIXTURES = 56  # a guard: a filter must not silently shrink the collection


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_project([ROOT / "ontology"]).union_graph()


def fixture_dirs():
    return sorted(p for p in FIXTURES.iterdir() if p.is_dir())


def test_every_named_shape_has_a_fixture_pair_and_the_count_is_guarded():
    names = {str(s).removeprefix(str(IZASH)) for s in NAMED_SHAPES}
    dirs = {p.name for p in fixture_dirs()}
    assert names == dirs
    assert len(dirs) == EXPECTED_FIXTURES
    for d in fixture_dirs():
        assert (d / "valid.ttl").is_file() and (d / "invalid.ttl").is_file()


def shape_subgraph(shape: URIRef) -> Graph:
    """The shape with its blank-node parts, plus the prefix declarations: one shape validates fast."""
    graph = Graph()
    todo = [shape] + [o for o in SHAPES.subjects(SH.declare, None)]
    seen = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for s, p, o in SHAPES.triples((node, None, None)):
            graph.add((s, p, o))
            if isinstance(o, BNode) or p == SH.property or p == SH.prefixes:
                todo.append(o)
    for parent in SHAPES.subjects(SH.property, shape):  # a property shape takes the targets of its node shape
        graph.add((parent, RDF.type, SH.NodeShape))
        graph.add((parent, SH.property, shape))
        for target in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            for value in SHAPES.objects(parent, target):
                graph.add((parent, target, value))
    return graph


def run(ontology: Graph, path: Path, shape: URIRef):
    data = Graph()
    for triple in ontology:
        data.add(triple)
    data.parse(path, format="turtle")
    conforms, report, _ = validate(data, shacl_graph=shape_subgraph(shape), inference="none", advanced=True,
                                   allow_warnings=True, allow_infos=True, inplace=True)
    return report


def results_of(report: Graph, shape: URIRef) -> list:
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        source = _named_shape(SHAPES, report.value(result, SH.sourceShape))
        if source == shape:
            found.append((report.value(result, SH.focusNode), report.value(result, SH.resultSeverity)))
    return found


@pytest.mark.parametrize("fixture", fixture_dirs(), ids=lambda p: p.name)
def test_shape_fixture_pair(ontology, fixture):
    shape = IZASH[fixture.name]
    severity = SHAPES.value(shape, SH.severity) or SH.Violation
    assert results_of(run(ontology, fixture / "valid.ttl", shape), shape) == []
    invalid = fixture / "invalid.ttl"
    focus = URIRef(re.match(r"# expect-focus: (\S+)", invalid.read_text()).group(1))
    assert (focus, severity) in results_of(run(ontology, invalid, shape), shape)


def test_shapes_are_valid_shacl():
    conforms, _, text = validate(SHAPES, shacl_graph=SHAPES, meta_shacl=True, inference="none")
    assert conforms, text


@pytest.mark.parametrize("shape", NAMED_SHAPES, ids=lambda s: str(s).rsplit("/", 1)[-1])
def test_each_shape_is_documented_in_dutch_and_english(shape):
    for predicate in (SH.name, SH.description):
        assert {o.language for o in SHAPES.objects(shape, predicate)} >= {"nl", "en"}, predicate
    messages = set(SHAPES.objects(shape, SH.message))
    for constraint in list(SHAPES.objects(shape, SH.sparql)) + [p for p in SHAPES.objects(shape, SH.property) if isinstance(p, BNode)]:
        messages |= set(SHAPES.objects(constraint, SH.message))
    assert {m.language for m in messages if isinstance(m, Literal)} >= {"nl", "en"}


def test_iza_shapes_link_a_criterion_concept_with_a_source_quote(project):
    data = project.union_graph()
    iza_shapes = load_shapes("iza")
    for shape in NAMED_SHAPES:
        if (shape, SH.name, None) not in iza_shapes:
            continue
        criterion = iza_shapes.value(shape, DCTERMS.subject)
        assert criterion is not None, shape
        assert (criterion, IZA.sourceQuote, None) in data, f"{shape}: {criterion} has no source quote"


def test_severity_follows_the_criterions_obligation_level(project):
    data = project.union_graph()
    level_severity = {"verplicht": SH.Violation, "beschrijvend": SH.Warning}
    for shape in load_shapes("iza").subjects(DCTERMS.subject, None):
        criterion = SHAPES.value(shape, DCTERMS.subject)
        level = data.value(criterion, IZA.obligationLevel)
        if level is None or SHAPES.value(shape, SH.severity) == SH.Info or str(shape).endswith("_targetDate"):
            continue  # sh:Info checks and the target-date refinement are not criteria of their own
        assert SHAPES.value(shape, SH.severity) == level_severity[str(level).rsplit("/", 1)[-1]], shape


def test_the_part_of_path_lists_every_sub_property_of_dcterms_has_part():
    ontology = load_project([ROOT / "ontology"]).union_graph()
    declared = {p for p in ontology.transitive_subjects(RDFS.subPropertyOf, DCTERMS.hasPart)}
    text = "".join(path.read_text() for path in shape_files("iza"))
    paths = set(re.findall(r"\((dcterms:hasPart\|[^)]*)\)\+", text))
    assert paths, "no part-of path found"
    for path in paths:
        listed = {DCTERMS.hasPart if t == "dcterms:hasPart" else IZA[t.removeprefix("iza:")] for t in path.split("|")}
        assert listed == declared, sorted(map(str, declared ^ listed))


def test_every_sparql_select_of_the_shapes_is_distinct():
    """SHACL gives one result per solution of an sh:select: without DISTINCT, an engine that reports each one
    (Apache Jena) and one that merges them (pySHACL) give different reports (shapes/README.md)."""
    selects = [str(text) for text in SHAPES.objects(None, SH.select)]
    assert len(selects) >= 28  # a guard: the constraints and the SPARQL targets
    repeated = [text for text in selects if not re.search(r"^\s*(PREFIX[^\n]*\n\s*)*SELECT\s+DISTINCT\b", text, re.IGNORECASE)]
    assert repeated == []
