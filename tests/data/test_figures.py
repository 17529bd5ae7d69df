"""Figures are said one way in every region (docs/modelling.md, "Figures: money and quantities"): the SPUK-IZA
of all three regions comes out of one query, read the same way, and every quantity says what kind of figure it is."""

from decimal import Decimal

from rdflib import URIRef
from rdflib.namespace import RDF, SKOS

from app.queries import QUERY_DIR
from app.namespaces import IZA

ID = "https://w3id.org/iza-kg/id/"
GV, MN, NML = (ID + "regio/" + slug for slug in ("gooi-en-vechtstreek", "midden-nederland", "noord-en-midden-limburg"))


def test_the_spuk_iza_of_all_three_regions_from_one_query(run_query):
    rows = run_query("stream-amounts-by-region")
    by_region = {r["region"]: r for r in rows}
    assert len(rows) == len(by_region) == 3  # one row per modelled region, each with at most one SPUK-IZA allocation
    # Gooi en Vechtstreek (000): "een maximumbedrag van € 1.75 miljoen per jaar", SPUK IZA 2024-2026
    gv = by_region[GV]
    assert (gv["amount"], gv["figureKind"], gv["timeBasis"], gv["currency"]) == (Decimal("1750000"), "maximaal", "per-jaar", "EUR")
    assert (gv["startDate"], gv["endDate"]) == ("2024", "2026")
    assert "maximumbedrag van € 1.75 miljoen per jaar" in gv["quotes"]
    # Noord- en Midden-Limburg (004): "€ 4.747.850 euro per jaar", "tot en met 2026", no start year given
    nml = by_region[NML]
    assert (nml["amount"], nml["figureKind"], nml["timeBasis"]) == (Decimal("4747850"), "exact", "per-jaar")
    assert (nml["startDate"], nml["endDate"]) == (None, "2026")
    # Midden-Nederland (002) lists "IZA-SPUK" only as a possible source of money, with no amount: the graph has none
    mn = by_region[MN]
    assert mn["allocation"] is None and mn["amount"] is None


def test_the_cross_region_query_needs_no_coalesce():
    assert "COALESCE" not in (QUERY_DIR / "stream-amounts-by-region.rq").read_text().upper()


def test_every_observation_and_target_with_a_number_says_what_kind_of_figure_it_is(project):
    graph = project.union_graph()
    kinds = set(graph.subjects(SKOS.inScheme, URIRef(ID + "schema/kwalificaties")))
    wrong = []
    for cls in (IZA.Observation, IZA.Target):
        for figure in graph.subjects(RDF.type, cls):
            if graph.value(figure, IZA.value) is None:
                continue
            stated = set(graph.objects(figure, IZA.figureKind))
            if len(stated) != 1 or not stated <= kinds:
                wrong.append(str(figure))
    assert wrong == []


def test_a_range_keeps_both_ends_and_its_lower_end_as_value(run_query):
    rows = run_query("plan-kpis", plan=ID + "plan/regioplan-midden-nederland")
    ranges = {(r["value"], r["minValue"], r["maxValue"]) for r in rows if r["figureKind"] == "bereik"}
    assert ranges == {(Decimal("7.5"), Decimal("7.5"), Decimal("10")), (Decimal("5"), Decimal("5"), Decimal("10"))}
