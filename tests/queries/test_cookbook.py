"""The analysts' cookbook (docs/queries.md): each question is answered for all three regions by one named
query, and each answer is the one the documents give. The guard tests keep the page and the tests in step."""

from __future__ import annotations

import re
from decimal import Decimal

from app.loader import ROOT

ID = "https://w3id.org/iza-kg/id/"
GV, MN, NML = ID + "regio/gooi-en-vechtstreek", ID + "regio/midden-nederland", ID + "regio/noord-en-midden-limburg"
REGIONS = {GV, MN, NML}
COOKBOOK = ROOT / "docs" / "queries.md"
ROW = re.compile(r"^\| (C\d\d) \| .*? \| `([a-z0-9-]+)`", re.M)


def by_region(rows, key="region"):
    found: dict[str, list[dict]] = {}
    for row in rows:
        found.setdefault(row[key], []).append(row)
    return found


def test_every_cookbook_question_names_a_saved_query_and_has_a_test(library):
    entries = ROW.findall(COOKBOOK.read_text(encoding="utf-8"))
    assert len(entries) >= 20
    assert [number for number, _ in entries] == [f"C{n:02d}" for n in range(1, len(entries) + 1)]
    assert not [name for _, name in entries if name not in library]
    tests = {name.split("_")[1] for name in globals() if re.match(r"test_c\d\d_", name)}
    assert tests == {number.lower() for number, _ in entries}


def test_c01_which_regions_are_modelled(run_query):
    modelled = {r["region"]: r for r in run_query("regions") if r["status"].endswith("/gemodelleerd")}
    assert set(modelled) == REGIONS
    assert {modelled[GV]["cbsCode"], modelled[MN]["cbsCode"], modelled[NML]["cbsCode"]} == {"ZK21", "ZK23", "ZK17"}
    assert modelled[MN]["label"] == "Midden-Nederland"


def test_c02_the_iza_deadline_for_every_regioplan(run_query):
    [row] = run_query("iza-deadline")
    assert row["deadline"] == "2023-12-31"


def test_c03_plans_and_who_adopted_them(run_query):
    plans = by_region(run_query("plans-by-region"))
    assert set(plans) == REGIONS
    nml = {(r["plan"], r["decidedByLabel"], r["decisionDate"]) for r in plans[NML]}
    assert (ID + "plan/uitvoeringsplan-iza-noord-en-midden-limburg-2024", "Portefeuillehoudersoverleg IZA", "2024-03-20") in nml
    gv = {(r["decidedByLabel"], r["decisionDate"]) for r in plans[GV]}
    assert ("Regionale portefeuillehouders Gooi en Vechtstreek", "2023-12-06") in gv
    acute = [r for r in plans[MN] if r["plan"] == ID + "plan/regioplan-acute-zorg-midden-nederland"]
    assert acute and acute[0]["knownOnlyFrom"] == ID + "brondocument/regioplan-midden-nederland"


def test_c04_transformations_in_order(run_query):
    found = by_region(run_query("transformations-by-region"))
    assert [r["transformationLabel"] for r in found[GV]] == [
        "Zelf- en Samenredzame inwoner", "Krachtige gemeenschap", "Ondersteuning nabij", "Passend aanbod",
        "Het mogelijk maken van de beweging"]
    assert len(found[MN]) == 8 and found[MN][-1]["transformationLabel"] == "Passende zorg"
    assert NML not in found  # the Limburg documents organise the work in themes, not transformations
    assert {r["transformationLabel"]: r["solutionDirections"] for r in found[GV]}["Ondersteuning nabij"] == 2


def test_c05_regional_challenges(run_query):
    found = by_region(run_query("challenges-by-region"))
    assert set(found) == REGIONS
    assert [r["challengeLabel"] for r in found[NML]] == ["Personeelstekort", "Toegankelijkheid van zorg"]
    assert "Acute zorg" in {r["challengeLabel"] for r in found[MN]}


def test_c06_the_insurer_partner_of_each_region(run_query):
    insurers = {(r["region"], r["organisation"]) for r in run_query("partners-by-region")
                if r["roleNotation"] in ("zorgverzekeraar", "preferente-zorgverzekeraar")}
    assert (GV, ID + "organisatie/zilveren-kruis") in insurers
    assert (MN, ID + "organisatie/zilveren-kruis") in insurers
    assert (NML, ID + "organisatie/vgz") in insurers


def test_c07_spuk_iza_per_region(run_query):
    found = {r["region"]: r for r in run_query("stream-amounts-by-region")}
    assert found[GV]["amount"] == Decimal("1750000") and found[GV]["figureKind"] == "maximaal"
    assert found[NML]["amount"] == Decimal("4747850") and found[NML]["timeBasis"] == "per-jaar"
    assert found[MN]["amount"] is None  # 002 names the SPUK only as a possible source, with no amount


def test_c08_how_each_region_reads_the_transformation_funds(run_query):
    found = {r["region"]: r for r in run_query("stream-readings")}
    assert found[MN]["assessedBy"] == "De eerste en tweede marktleider zorgverzekeraars"
    assert found[NML]["assessedBy"].startswith("de preferente zorgverzekeraar")


def test_c09_every_region_takes_up_the_ketenaanpakken(run_query):
    rows = run_query("framework-coverage", scheme=ID + "schema/ketenaanpakken")
    per_approach = by_region(rows, "concept")
    assert len(per_approach) == 5
    assert all({r["regionSlug"] for r in found} == {"gooi-en-vechtstreek", "midden-nederland", "noord-en-midden-limburg"}
               for found in per_approach.values())


def test_c10_every_region_works_on_the_labour_market(run_query):
    regions = {r["region"] for r in run_query("theme-items", theme=ID + "thema/arbeidsmarkt")}
    assert REGIONS <= regions


def test_c11_what_is_not_decided_yet(run_query):
    found = by_region(run_query("items-by-status"))
    assert set(found) == REGIONS
    assert ID + "kpi/mn-kpis-per-transformatie" in {r["item"] for r in found[MN]}


def test_c12_what_is_only_being_explored(run_query):
    rows = run_query("items-by-status", status=ID + "status/in-verkenning")
    assert ID + "aanpak/gv-leerlijn-wmo-medewerker" in {r["item"] for r in rows}


def test_c13_who_coordinates_and_who_explicitly_does_not(run_query):
    rows = run_query("item-roles")
    ggd = [r for r in rows if r["agent"] == ID + "organisatie/nml-ggd" and not r["denied"]]
    assert [(r["itemLabel"], r["roleNotation"]) for r in ggd] == [("Kansrijke Start", "coordinator")]
    denied = {(r["region"], r["agent"]) for r in rows if r["denied"]}
    assert (MN, ID + "orgaan/mn-bestuurlijke-netwerktafel") in denied
    assert (GV, ID + "orgaan/gv-gemeenteraden-regiogemeenten") in denied


def test_c14_dates_known_only_to_the_quarter_or_vaguer(run_query):
    rows = run_query("dates-with-precision")
    step = [r for r in rows if r["itemLabel"] == "Voorloperwijken identificeren"]
    assert [(r["date"], r["precisionNotation"]) for r in step] == [("Q2 2024", "kwartaal")]
    assert {r["region"] for r in rows} == REGIONS


def test_c15_how_far_each_plan_is_worked_out(run_query):
    rows = run_query("item-elaboration")
    levels = {(r["item"], r["levelNotation"]) for r in rows}
    assert (ID + "transformatie/gv-ondersteuning-nabij", "op-hoofdlijnen") in levels
    assert (ID + "kpi/mn-kpis-per-transformatie", "nog-uit-te-werken") in levels
    assert {r["region"] for r in rows} == REGIONS


def test_c16_what_plans_hand_off_to_other_plans(run_query):
    targets = {(r["region"], r["target"]) for r in run_query("plan-hand-offs")}
    assert (MN, ID + "plan/regioplan-acute-zorg-midden-nederland") in targets
    assert (MN, ID + "akkoord/green-deal-duurzame-zorg-3") in targets


def test_c17_every_region_starts_from_positive_health(run_query):
    rows = run_query("plan-guiding-principles")
    ideas = {r["region"] for r in rows if r["idea"] == ID + "gedachtengoed/positieve-gezondheid"}
    assert ideas == REGIONS


def test_c18_kpis_and_their_targets(run_query):
    found = by_region(run_query("kpis-by-region"))
    mn = {r["kpiLabel"]: r for r in found[MN]}
    assert mn["Percentage doorverwijzingen naar de tweede lijn"]["value"] == Decimal("7")  # M5
    assert mn["Ervaren reductie administratielasten en uitzoekwerk"]["value"] == Decimal("35")  # M6
    assert GV not in found and NML not in found  # the compliance report records the absence


def test_c19_preconditions_and_the_scale_they_need(run_query):
    found = by_region(run_query("preconditions-by-region"))
    assert set(found) == {GV, MN}  # 004, the only Limburg source, names no precondition
    national = [r for r in found[MN] if r["levelNotation"] == "6"]  # schaalniveau 6: landelijk
    assert len(national) == 8


def test_c20_municipalities_each_plan_covers_or_excludes(run_query):
    found = by_region(run_query("municipalities-by-region"))
    nml = {r["municipalityLabel"] for r in found[NML] if r["inPlan"]}
    assert len(nml) == 14 and {"Venlo", "Weert", "Bergen (L)"} <= nml  # L1
    excluded = {r["municipalityLabel"] for r in found[MN] if not r["inPlan"]}
    assert excluded == {"Renswoude", "Veenendaal", "Rhenen"}  # M2
    assert {"Vijfheerenlanden", "Eemnes"} <= {r["municipalityLabel"] for r in found[MN] if r["inPlan"]}
    assert len({r["municipality"] for r in found[GV] if r["inPlan"]}) == 7  # G1
