"""How the queries are written so the store can answer them at national scale, and what they answer.

A query that walks from a plan down to its parts (or up from a part to its plan) names the iza:has...
properties one by one instead of filtering a variable predicate by its IRI prefix; the list must stay
the ontology's list, or items reachable through a new property would silently drop out of the answers.
"""

import re

import pytest
from rdflib.namespace import OWL, RDF

from app.loader import ROOT, load_project
from app.namespaces import IZA
from app.queries import QUERY_DIR

HAS_GROUP = re.compile(r"\((?:\s*iza:has[A-Za-z]+\s*\|)+\s*iza:has[A-Za-z]+\s*\)")
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


def test_a_partner_without_a_role_in_a_plan_gets_no_role_from_another_plan(run_query):
    # The municipalities are partners of the cooperation agreement without a role in it; their roles
    # (kartrekker, mandaatgemeente) are stated on the regioplan and its parts, not on the agreement.
    rows = [r for r in run_query("region-partners-by-role", region=NML) if r["plan"] == NML_AGREEMENT]
    municipalities = [r for r in rows if r["organisationType"].endswith("/Municipality")]
    assert len(municipalities) == 14  # one row each: no role
    assert {r["role"] for r in municipalities} == {None}
    assert len({r["organisation"] for r in municipalities}) == 14
