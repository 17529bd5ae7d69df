"""Noord- en Midden-Limburg (document 004): competency questions L1-L7, the Limburg parts of X1-X3,
and the documented values of the implementation plan, its budget, governance and framework items."""

from decimal import Decimal

import pytest

ID = "https://w3id.org/iza-kg/id/"
REGION = ID + "regio/noord-en-midden-limburg"
PLAN = ID + "plan/uitvoeringsplan-iza-noord-en-midden-limburg-2024"
REGIOPLAN = ID + "plan/regioplan-noord-en-midden-limburg"
SOK = ID + "plan/samenwerkingsovereenkomst-iza-noord-en-midden-limburg"
SOURCE = ID + "brondocument/venray-advies-uitvoeringsplan-iza-noord-en-midden-limburg"

FOURTEEN = ["Beesel", "Bergen", "Echt-Susteren", "Gennep", "Horst aan de Maas", "Leudal", "Maasgouw",
            "Nederweert", "Peel en Maas", "Roerdalen", "Roermond", "Venlo", "Venray", "Weert"]
FOURTEEN_CBS = {"GM0889", "GM0893", "GM1711", "GM0907", "GM1507", "GM1640", "GM1641", "GM0946", "GM1894",
                "GM1669", "GM0957", "GM0983", "GM0984", "GM0988"}


def split(value):
    return set(value.split(" | ")) if value else set()


def document_name(row):
    """The name the document uses: the alternative label where the TOOI name differs (Bergen (L))."""
    return row["altLabel"] or row["label"]


# ---------------------------------------------------------------- L1: the fourteen municipalities

@pytest.mark.parametrize("area", [REGION, PLAN])
def test_L1_the_fourteen_municipalities_with_cbs_codes_and_tooi_iris(run_query, area):
    rows = run_query("region-municipalities", area=area)
    assert sorted(document_name(r) for r in rows) == FOURTEEN
    assert {r["cbsCode"] for r in rows} == FOURTEEN_CBS
    for row in rows:
        assert row["tooi"] == "https://identifier.overheid.nl/tooi/id/gemeente/" + row["cbsCode"].lower()
    bergen = next(r for r in rows if r["municipality"] == ID + "gemeente/bergen-l")
    assert (bergen["label"], bergen["altLabel"], bergen["cbsCode"]) == ("Bergen (L)", "Bergen", "GM0893")
    assert {r["basis"] for r in rows} == {"zorgkantoorregio" if area == REGION else "plan"}


def test_the_collaboration_agreement_is_entered_into_by_the_fourteen_in_december_2023(run_query):
    rows = run_query("plan-decisions", plan=SOK)
    assert len(rows) == 1
    decision = rows[0]
    assert decision["decisionType"] == ID + "besluitsoort/ondertekening"
    assert decision["date"] == "2023-12"
    labels = split(decision["decidedByLabel"])
    assert len(labels) == 14 and "Bergen (L)" in labels and "Venlo" in labels


# ---------------------------------------------------------------- L2 and X1: roles

def roles(run_query, region=REGION):
    return [r for r in run_query("region-governance", region=region) if r["kind"] == "rol"]


def test_L2_venlo_is_the_mandated_municipality(run_query):
    mandated = [r for r in roles(run_query) if r["role"] == ID + "rol/mandaatgemeente"]
    assert mandated and all(r["members"] == ID + "gemeente/venlo" for r in mandated)
    assert {r["body"] for r in mandated} == {PLAN, ID + "toekenning/nml-spuk-iza"}
    assert "De SPUK-IZA middelen worden door de mandaatgemeente Venlo aangevraagd en beheerd." in \
        split(mandated[0]["responsibilities"])


def test_X1_vgz_is_the_preferent_insurer_and_assesses_transformation_plans_with_cz(run_query):
    by_role = {r["role"]: r for r in roles(run_query) if r["body"] == PLAN}
    assert by_role[ID + "rol/preferente-zorgverzekeraar"]["memberLabels"] == "VGZ"
    assert split(by_role[ID + "rol/beoordelaar-transformatieplannen"]["memberLabels"]) == {"VGZ", "CZ"}
    insurers = {label for r in roles(run_query) for label in split(r["memberLabels"])}
    assert "Zilveren Kruis" not in insurers


def test_the_municipalities_lead_the_pillar_gezond_vooruit(run_query):
    lead = next(r for r in roles(run_query) if r["body"] == ID + "plan-thema/nml-gezond-vooruit")
    assert lead["role"] == ID + "rol/coordinator"
    assert len(split(lead["members"])) == 14


# ---------------------------------------------------------------- L3: priority tasks, the five themes

def items(run_query, rel):
    rows = run_query("page-region-items", region=REGION)
    seen, result = set(), []
    for row in rows:
        if row["plan"] == REGIOPLAN and row["rel"].endswith(rel) and row["item"] not in seen:
            seen.add(row["item"])
            result.append(row)
    return sorted(result, key=lambda r: r["order"])


def test_L3_the_two_priority_tasks_of_the_regioplan(run_query):
    tasks = items(run_query, "hasPriorityTask")
    assert [t["labelNl"] for t in tasks] == ["Personeelstekort", "Toegankelijkheid van zorg"]
    assert all(t["source"] == SOURCE for t in tasks)


def test_the_five_themes_of_the_regioplan_in_order(run_query):
    themes = items(run_query, "hasTheme")
    assert [(t["notation"], t["labelNl"]) for t in themes] == [
        ("1", "Gezond vooruit"),
        ("2", "Regionale digitale organisatie van zorg en welzijn"),
        ("3", "Langer en beter thuis vooruit"),
        ("4", "Toekomstbestendige arbeidsmarkt"),
        ("5", "Duurzaam regionaal gezondheidsinformatiestelsel"),
    ]
    assert "Toekomstbestendige arbeidsmarkt: op weg naar een toekomstbestendige arbeidsmarkt met happy professionals;" \
        in themes[3]["quotes"].split("\u2029")


def test_the_theme_descriptions(project):
    from rdflib import URIRef
    from rdflib.namespace import DCTERMS

    graph = project.union_graph()
    description = {slug: str(graph.value(URIRef(ID + "plan-thema/nml-" + slug), DCTERMS.description)) for slug in
                   ("gezond-vooruit", "toekomstbestendige-arbeidsmarkt", "duurzaam-regionaal-gezondheidsinformatiestelsel")}
    assert description == {
        "gezond-vooruit": "van ziekte en zorg naar gezondheid en sociaal welbevinden",
        "toekomstbestendige-arbeidsmarkt": "op weg naar een toekomstbestendige arbeidsmarkt met happy professionals",
        "duurzaam-regionaal-gezondheidsinformatiestelsel":
            "één gezondheidsinformatiestelsel voor gezondheid, preventie en passende zorg",
    }


# ---------------------------------------------------------------- L4 and X2: budget 2024

EXPECTED_LINES = [
    ("Projectbureau, incl. communicatie, regionale bijeenkomsten en overige kosten en programmamanager GGD pijler 1", 500000),
    ("Netwerksamenwerking", 500000),
    ("Ketenaanpakken", 2000000),
    ("Dekkend netwerk steunpunten", 480000),
    ("E-health, anonieme zorg etc", 17850),
    ("Regioplan", 200000),
    ("Aanvullende plannen", 500000),
    ("Monitoring en evaluatie", 100000),
    ("Vergoeding inzet individuele gemeenten (ambtelijke agendacommissie en werkgroepen)", 450000),
]


def test_L4_the_nine_budget_lines_their_total_and_the_ketenaanpakken_line(run_query):
    lines = run_query("plan-budget-lines", plan=PLAN)
    assert [(r["purpose"], r["amount"]) for r in lines] == [(p, Decimal(a)) for p, a in EXPECTED_LINES]
    assert [r["lineOrder"] for r in lines] == list(range(1, 10))
    assert {r["budgetAmount"] for r in lines} == {Decimal("4747850")}
    assert sum(r["amount"] for r in lines) == Decimal("4747850")
    keten = next(r for r in lines if r["purpose"] == "Ketenaanpakken")
    assert keten["amount"] == Decimal("2000000")
    assert keten["lineLabel"] == "Uitvoeringskosten onderdeel 3 (Ketenaanpakken)"
    assert keten["concerns"] == ID + "werkagendapunt/nml-onderdeel-3"


def test_X2_the_yearly_spuk_iza_amount_equals_the_budget_total(run_query):
    lines = run_query("plan-budget-lines", plan=PLAN)
    assert {r["fundingStream"] for r in lines} == {ID + "financieringsstroom/spuk-iza"}
    assert {(r["allocationAmount"], r["allocationFigureKind"], r["allocationTimeBasis"]) for r in lines} == {
        (Decimal("4747850"), "exact", "per-jaar")}
    assert {r["allocationEndDate"] for r in lines} == {"2026"}
    assert lines[0]["allocationAmount"] == lines[0]["budgetAmount"]
    assert lines[0]["allocationAmount"] > Decimal("1750000")  # Gooi en Vechtstreek's yearly maximum (000)


def test_the_kerngroep_may_reallocate_up_to_20_percent_per_line(run_query):
    lines = run_query("plan-budget-lines", plan=PLAN)
    assert {(r["reallocationMarginPercent"], r["reallocationDecidedBy"]) for r in lines} == {
        (Decimal("20"), ID + "orgaan/nml-kerngroep-iza")}


# ---------------------------------------------------------------- L5: decisions

def test_L5_the_plan_was_adopted_by_the_pho_iza_on_20_march_2024(run_query):
    decisions = {r["decisionType"]: r for r in run_query("plan-decisions", plan=PLAN)}
    adoption = decisions[ID + "besluitsoort/vaststelling"]
    assert adoption["date"] == "2024-03-20"
    assert adoption["decidedBy"] == ID + "orgaan/nml-pho-iza"
    assert adoption["decidedByLabel"] == "Portefeuillehoudersoverleg IZA"


def test_the_venray_advice_proposes_consent_before_the_pho_of_20_march_2024(run_query):
    decisions = {r["decisionType"]: r for r in run_query("plan-decisions", plan=PLAN)}
    proposal = decisions[ID + "besluitsoort/voorstel"]
    assert proposal["proposedTo"] == ID + "orgaan/nml-college-van-b-en-w-venray"
    assert proposal["date"] is None and proposal["relatedMeetingDate"] == "2024-03-20"
    assert set(decisions) == {ID + "besluitsoort/vaststelling", ID + "besluitsoort/voorstel"}


# ---------------------------------------------------------------- governance bodies

def bodies(run_query):
    return {r["body"].rsplit("/", 1)[-1]: r for r in run_query("region-governance", region=REGION)
            if r["kind"] == "orgaan"}


def test_the_pho_iza_its_members_and_decision_rule(run_query):
    pho = bodies(run_query)["nml-pho-iza"]
    assert len(split(pho["members"])) == 14 and "Bergen (L)" in split(pho["memberLabels"])
    assert "consensus" in pho["decisionRule"] and "meerderheid van stemmen" in pho["decisionRule"]
    assert "het PHO IZA jaarlijks het gemeentelijk uitvoeringsplan inclusief de begroting vaststelt" in \
        split(pho["responsibilities"])


def test_the_2023_steering_group_and_agenda_committee(run_query):
    found = bodies(run_query)
    steering = found["nml-stuurgroep-iza"]
    assert split(steering["memberLabels"]) == {"Venlo", "Roermond"}
    assert split(steering["substituteLabels"]) == {"Weert", "Horst aan de Maas"}
    assert steering["activeIn"] == "2023"
    committee = found["nml-agendacommissie"]
    assert split(committee["memberLabels"]) == {"Venlo", "Roermond", "Weert", "Horst aan de Maas"}
    assert committee["reportsTo"] == "Stuurgroep IZA NML"


def test_the_2024_structure_regionaal_overleg_kerngroep_and_project_office(run_query):
    found = bodies(run_query)
    overleg = found["nml-regionaal-iza-overleg"]
    assert split(overleg["representativeLabels"]) == {"Venlo", "Roermond"} and overleg["startDate"] == "2024"
    kerngroep = found["nml-kerngroep-iza"]
    assert kerngroep["reportsTo"] == "Portefeuillehoudersoverleg IZA"
    assert "De Kerngroep IZA zorgt voor uitvoering van het uitvoeringsplan en rapporteert aan het PhO IZA over de " \
           "voortgang en inzet van middelen." in split(kerngroep["responsibilities"])
    office = found["nml-projectbureau"]
    assert office["bodyType"] == "https://w3id.org/iza-kg/def/ProjectOffice"
    assert office["membership"] == "bestaande uit twee projectleiders en één ondersteuner"
    assert found["nml-aanvullende-plannen"]["status"] == ID + "status/nog-niet-vastgesteld"
    assert "GGD" in split(found["nml-monitoring-en-evaluatie"]["memberLabels"])


# ---------------------------------------------------------------- L6: framework items

def framework_items(run_query):
    return {r["framework"].rsplit("/id/", 1)[-1]: r for r in run_query("plan-framework-items", plan=PLAN)}


def test_the_six_vng_tasks_are_addressed_by_the_six_parts(run_query):
    found = framework_items(run_query)
    for number in range(1, 7):
        row = found[f"vng-taak/{number}"]
        assert row["item"] == ID + f"werkagendapunt/nml-onderdeel-{number}"
        assert row["itemNotation"] == str(number)
    assert found["vng-taak/1"]["coordinatorLabels"] == "Venlo"
    assert "Voor onderdeel 5 sluiten we aan bij initiatieven uit het veld." in \
        split(found["vng-taak/5"]["approachDescription"])
    assert found["vng-taak/6"]["status"] == ID + "status/nog-niet-vastgesteld"


def test_L6_kansrijke_start_is_coordinated_regionally_by_the_ggd_and_carried_out_locally(run_query):
    row = framework_items(run_query)["ketenaanpak/kansrijke-start"]
    assert row["coordinatorLabels"] == "GGD"
    assert row["coordinationLevel"] == "regionaal"
    assert split(row["scales"]) == {"regionaal", "lokaal"}
    assert row["status"] == ID + "status/in-uitvoering"
    assert row["statusDescription"] == "Deze ketenaanpak loopt al goed."
    assert "lokale coalities" in row["approachDescription"]


def test_the_five_ketenaanpakken_with_their_organisation_level(run_query):
    found = framework_items(run_query)
    keten = {key.split("/")[1]: row for key, row in found.items() if key.startswith("ketenaanpak/")}
    assert [(k, keten[k]["itemNotation"]) for k in sorted(keten, key=lambda k: keten[k]["itemOrder"])] == [
        ("kansrijke-start", "a"), ("valpreventie", "b"), ("overgewicht-kinderen", "c"),
        ("gli-volwassenen", "d"), ("welzijn-op-recept", "e")]
    assert all(row["status"] == ID + "status/in-uitvoering" for row in keten.values())
    assert split(keten["valpreventie"]["areaScales"]) == {"Noord-Limburg: subregionaal", "Midden-Limburg: lokaal"}
    assert split(keten["welzijn-op-recept"]["areaScales"]) == {"Noord-Limburg: subregionaal", "Midden-Limburg: lokaal"}
    assert split(keten["overgewicht-kinderen"]["scales"]) == {"lokaal"}
    assert split(keten["gli-volwassenen"]["scales"]) == {"lokaal", "regionaal"}
    # only Kansrijke Start has an arranged coordinator; for the others regional coordination is a wish or option
    assert {k for k, row in keten.items() if row["coordinators"]} == {"kansrijke-start"}


def test_the_regional_prevention_infrastructure_addresses_gala_goal_7(run_query, project):
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    from app.namespaces import IZA

    row = framework_items(run_query)["gala-doel/7"]
    assert row["itemLabel"] == "Regionale preventie-infrastructuur"
    graph = project.union_graph()
    item = URIRef(ID + "werkagendapunt/nml-regionale-preventie-infrastructuur")
    assert graph.value(item, IZA.deadline) == Literal("2025-01-01", datatype=XSD.date)


# ---------------------------------------------------------------- L7: staff shortage

def test_L7_staff_shortage_2023_2032_and_the_upper_scenario(run_query):
    rows = run_query("page-region-observations", region=REGION)
    shortage = {(r["refYear"], r["unit"].rsplit("/", 1)[-1]): r for r in rows
                if r["indicator"] == ID + "indicator/personeelstekort"}
    assert shortage[("2023", "NUM")]["value"] == Decimal("2100")
    assert shortage[("2023", "NUM")]["isProjection"] is False
    in_2032 = {r["scenario"]: r["value"] for r in rows if r["indicator"] == ID + "indicator/personeelstekort"
               and r["refYear"] == "2032" and r["unit"].endswith("/NUM") and r["isProjection"] is True}
    assert in_2032 == {  # two projections, each with its own scenario (not a range)
        "Tenzij we iets fundamenteel anders doen in de regio": Decimal("4500"),
        "als het ons niet lukt om het personeelsbestand uit te breiden of de zorgvraag af te buigen": Decimal("6700")}
    assert shortage[("2032", "PERCENT")]["value"] == Decimal("10")


# ---------------------------------------------------------------- X3: labour market

def test_X3_the_regioplan_has_the_theme_toekomstbestendige_arbeidsmarkt(run_query):
    rows = run_query("compare-themes", region=REGION)
    labour = {r["itemLabel"] for r in rows if r["theme"] == ID + "thema/arbeidsmarkt"}
    assert {"Toekomstbestendige arbeidsmarkt", "Personeelstekort"} <= labour


# ---------------------------------------------------------------- assessment framework, partners

def test_the_assessment_framework_has_six_questions(run_query):
    rows = run_query("page-region-items", region=REGION)
    questions = sorted({(r["order"], r["labelNl"]) for r in rows
                        if r["parent"] == ID + "afwegingskader/nml-aanvullende-plannen"})
    assert [q for _, q in questions][0].startswith("Hoe draagt dit initiatief bij")
    assert [o for o, _ in questions] == [1, 2, 3, 4, 5, 6]
    assert questions[5][1] == "Wat is het beeld ten aanzien van de structurele financiering en samenwerking (na 2026)?"


def test_the_partners_named_in_the_plan(run_query):
    partners = {r["agentNl"] for r in run_query("page-region-partners", region=REGION)}
    assert {"GGD", "Burgerkracht", "Zelfregie NL", "VKKL", "VGZ", "CZ", "Venlo"} <= partners


# ---------------------------------------------------------------- issue 17: carrying out the plan

def test_the_kerngroep_carries_out_the_plan_and_working_groups_make_plans_of_approach(run_query):
    rows = [r for r in run_query("item-roles") if r["region"] == REGION and r["roleNotation"] == "uitvoerder"]
    assert (PLAN, ID + "orgaan/nml-kerngroep-iza") in {(r["item"], r["agent"]) for r in rows}
    action = ID + "actie/nml-plan-van-aanpak-per-werkgroep"
    assert {r["agent"] for r in rows if r["item"] == action} == {
        ID + "werkgroep/nml-" + slug for slug in ("regionale-preventie-infrastructuur", "valpreventie",
                                                   "overgewicht-kinderen", "gli-volwassenen",
                                                   "welzijn-op-recept", "laagdrempelige-steunpunten")}


def test_spuk_iza_spending_is_guided_by_impact_not_population_size(run_query):
    principles = {r["principle"]: r for r in run_query("plan-guiding-principles") if r["plan"] == PLAN}
    assert set(principles) == {ID + "principe/nml-positieve-gezondheid",
                               ID + "principe/nml-regionale-samenwerking-en-leren",
                               ID + "principe/nml-impact-boven-inwoneraantal"}
    assert principles[ID + "principe/nml-impact-boven-inwoneraantal"]["principleLabel"].startswith(
        "Impact op de leefwereld van inwoners, niet het inwoneraantal")
