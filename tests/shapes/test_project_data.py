"""CI's gate: the project's own data conforms to the integrity shapes. And the IZA matrix reacts as expected
when a region's work agenda, KPIs or partners are removed from a copy of its data."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from app.namespaces import IZA
from app.validation import compliance_report, validate


@pytest.fixture(scope="module")
def integrity(project):
    return validate(project, "integrity")


@pytest.fixture(scope="module")
def matrix(project):
    return compliance_report(project, shapes="iza")


def test_project_data_conforms_to_the_integrity_shapes(integrity):
    problems = [f"{f.shape.rsplit('/', 1)[-1]} {f.focus_node}: {f.messages.get('en')}" for f in integrity.violations()]
    assert integrity.conforms and problems == [], "\n".join(problems[:40])


def test_the_matrix_covers_the_three_modelled_regions(matrix):
    assert [r["slug"] for r in matrix["regions"]] == ["gooi-en-vechtstreek", "midden-nederland", "noord-en-midden-limburg"]
    criteria = {row["criterion"]["iri"].rsplit("/", 1)[-1] for row in matrix["matrix"] if row["group"] == "iza-regioplan"}
    assert criteria == {"zorgkantoorregio", "vastgesteld-voor-2024", "regio-opgaven", "prioritering", "regio-afspraken",
                        "partijen", "oplossingen", "schaal", "meetbare-resultaten", "voortgang", "werkagenda",
                        "landelijke-randvoorwaarden"}


def cell(report, criterion, slug):
    for row in report["matrix"]:
        if row["criterion"] and row["criterion"]["iri"].endswith("/" + criterion):
            return row["cells"][slug]
    raise KeyError(criterion)


def without(graph: Graph, predicates, subjects_of_type=()) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    for predicate in predicates:
        copy.remove((None, predicate, None))
    for cls in subjects_of_type:
        for subject in list(copy.subjects(RDF.type, cls)):
            copy.remove((subject, None, None))
            copy.remove((None, None, subject))
    return copy


REMOVALS = {
    "werkagenda": ([IZA.hasWorkAgenda], [IZA.WorkAgenda], "warning"),
    "meetbare-resultaten": ([IZA.hasKPI, IZA.measures, IZA.hasTarget], [IZA.KPI], "violation"),
    "partijen": ([IZA.partner, IZA.carriedOutBy, IZA.coordinatedBy], [], "violation"),
}


@pytest.mark.parametrize("criterion", sorted(REMOVALS))
def test_removing_a_regions_work_agenda_kpis_or_partners_changes_the_matrix(project, matrix, criterion):
    slug = "midden-nederland"
    predicates, classes, expected = REMOVALS[criterion]
    before = cell(matrix, criterion, slug)["status"]
    after_report = compliance_report(without(project.union_graph(), predicates, classes), region_slug=slug, shapes="iza")
    after = cell(after_report, criterion, slug)
    assert before in ("conforms", "warning") and before != expected or criterion == "meetbare-resultaten"
    assert after["status"] == expected
    assert any(f["focusNode"].endswith("/plan/regioplan-midden-nederland") for f in after["findings"])


NML = "noord-en-midden-limburg"
NML_PLAN = "https://w3id.org/iza-kg/id/plan/regioplan-noord-en-midden-limburg"


def test_a_plan_known_only_from_another_document_is_not_assessable_rather_than_failing(project, matrix):
    """The NML regioplan is not a source (only document 004 describes it), so its findings are not verdicts."""
    unseen = [row for row in matrix["matrix"] if row["cells"][NML]["status"] == "not-assessable"]
    assert {row["criterion"]["iri"].rsplit("/", 1)[-1] for row in unseen} >= {"partijen", "meetbare-resultaten", "voortgang"}
    for row in unseen:
        cell_ = row["cells"][NML]
        assert cell_["findings"] and all(f["focusNode"] == NML_PLAN for f in cell_["findings"])
        assert cell_["knownOnlyFrom"] == [
            "https://w3id.org/iza-kg/id/brondocument/venray-advies-uitvoeringsplan-iza-noord-en-midden-limburg"]
    assert matrix["summary"][NML]["violation"] == 0
    # the regions whose plans are sources keep their verdicts
    assert matrix["summary"]["midden-nederland"]["violation"] > 0 and matrix["summary"]["midden-nederland"]["not-assessable"] == 0


def test_without_the_known_only_from_statement_the_same_findings_are_violations(project):
    report = compliance_report(without(project.union_graph(), [IZA.knownOnlyFrom]), region_slug=NML, shapes="iza")
    assert cell(report, "partijen", NML)["status"] == "violation"
    assert report["summary"][NML]["not-assessable"] == 0
