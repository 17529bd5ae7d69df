"""How the queries are written so the store can answer them at national scale, and what they answer.

A query that walks from a plan down to its parts (or up from a part to its plan) names the iza:has...
properties one by one instead of filtering a variable predicate by its IRI prefix; the list must stay
the ontology's list, or items reachable through a new property would silently drop out of the answers.
A walk of a few steps uses the four properties that cover every iza:has... link once the inferred graph
is in (iza:hasPart and the three links that are not part-whole): by prefix, each part-whole step is
found three times (the property, iza:hasComponent, iza:hasPart) and the walk multiplies them.
"""

import re

import pytest
from rdflib.namespace import OWL, RDF, RDFS

from app.loader import ROOT, load_project
from app.namespaces import IZA
from app.queries import QUERY_DIR

HAS_GROUP = re.compile(r"\((?:\s*iza:has[A-Za-z]+\s*\|)+\s*iza:has[A-Za-z]+\s*\)")
COVERING_WALK = "(iza:hasPart|iza:hasRole|iza:hasDecision|iza:hasAllocation)"
NOT_PART_WHOLE = {"iza:hasRole", "iza:hasDecision", "iza:hasAllocation"}
PREFIX_FILTER = re.compile(r"STRSTARTS\(\s*STR\(\s*\?\w+\s*\)\s*,\s*STR\(\s*iza:has\s*\)\s*\)")
NML = "https://w3id.org/iza-kg/id/regio/noord-en-midden-limburg"
NML_AGREEMENT = "https://w3id.org/iza-kg/id/plan/samenwerkingsovereenkomst-iza-noord-en-midden-limburg"


@pytest.fixture(scope="module")
def has_properties() -> set[str]:
    ontology = load_project([ROOT / "ontology"]).union_graph()
    return {"iza:" + str(p)[len(str(IZA)):] for p in ontology.subjects(RDF.type, OWL.ObjectProperty)
            if str(p).startswith(str(IZA) + "has")}


def listed_groups() -> list[tuple[str, set[str]]]:
    """(file name, properties) of every alternation of iza:has... properties that lists more than a handful."""
    found = []
    for path in sorted(QUERY_DIR.glob("*.rq")):
        for match in HAS_GROUP.finditer(path.read_text(encoding="utf-8")):
            names = set(re.findall(r"iza:has[A-Za-z]+", match.group(0)))
            if len(names) > 20:
                found.append((path.name, names))
    return found


def test_some_query_lists_the_has_properties():
    assert any(name == "theme-items.rq" for name, _ in listed_groups())


@pytest.mark.parametrize("name, names", listed_groups(), ids=[n for n, _ in listed_groups()])
def test_a_listed_part_of_walk_names_every_has_property_of_the_ontology(name, names, has_properties):
    assert names == has_properties, (f"{name}: missing {sorted(has_properties - names)}, "
                                     f"not in the ontology {sorted(names - has_properties)}")


def test_no_query_filters_a_variable_predicate_by_the_has_prefix():
    offenders = [p.name for p in sorted(QUERY_DIR.glob("*.rq")) if PREFIX_FILTER.search(p.read_text(encoding="utf-8"))]
    assert offenders == [], f"walk with {COVERING_WALK} instead: {offenders}"


def test_some_queries_walk_with_the_covering_properties():
    assert sum(COVERING_WALK in p.read_text(encoding="utf-8") for p in QUERY_DIR.glob("*.rq")) >= 5


def test_has_part_and_the_links_that_are_not_part_whole_cover_every_has_property(has_properties):
    ontology = load_project([ROOT / "ontology"]).union_graph()
    below_has_part = {"iza:" + str(p)[len(str(IZA)):] for p in ontology.transitive_subjects(RDFS.subPropertyOf, IZA.hasPart)}
    assert NOT_PART_WHOLE <= has_properties
    uncovered = has_properties - below_has_part - NOT_PART_WHOLE
    assert not uncovered, f"declare these rdfs:subPropertyOf iza:hasPart or add them to the walks: {sorted(uncovered)}"


def test_the_covering_walk_links_what_every_has_property_links(backend):
    """On the loaded graph (asserted and inferred): the same (subject, object) pairs either way."""
    prefix = "PREFIX iza: <https://w3id.org/iza-kg/def/> SELECT DISTINCT ?a ?b WHERE { "
    by_prefix = backend.select(prefix + "?a ?p ?b FILTER(STRSTARTS(STR(?p), STR(iza:has))) }")
    covering = backend.select(prefix + f"?a {COVERING_WALK} ?b }}")
    pairs = {(r["a"], r["b"]) for r in by_prefix.rows}
    assert len(pairs) > 500  # the project graph: 837 on 2026-12-05
    assert {(r["a"], r["b"]) for r in covering.rows} == pairs


def test_a_partner_without_a_role_in_a_plan_gets_no_role_from_another_plan(run_query):
    # The municipalities are partners of the cooperation agreement without a role in it; their roles
    # (kartrekker, mandaatgemeente) are stated on the regioplan and its parts, not on the agreement.
    rows = [r for r in run_query("region-partners-by-role", region=NML) if r["plan"] == NML_AGREEMENT]
    municipalities = [r for r in rows if r["organisationType"].endswith("/Municipality")]
    assert len(municipalities) == 14  # one row each: no role
    assert {r["role"] for r in municipalities} == {None}
    assert len({r["organisation"] for r in municipalities}) == 14
