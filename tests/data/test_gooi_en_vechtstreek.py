"""Region Gooi en Vechtstreek (documents 000, 001, 003): the competency questions G1-G7, the Gooi parts of
X1-X3 and the other values the documents state, asserted through the named queries."""

from decimal import Decimal

import pytest

ID = "https://w3id.org/iza-kg/id/"
REGION = ID + "regio/gooi-en-vechtstreek"
REGIOPLAN = ID + "plan/regioplan-gooi-en-vechtstreek"
AGENDA = ID + "plan/samenwerkingsagenda-gooi-en-vechtstreek"
PERCENT = "http://qudt.org/vocab/unit/PERCENT"
NUM = "http://qudt.org/vocab/unit/NUM"


def split(joined):
    return set(joined.split(" | ")) if joined else set()


# --- G2, G3: transformations and their solution directions --------------------------------------

def test_g2_the_five_transformations_in_order(run_query):
    rows = run_query("plan-transformations", plan=REGIOPLAN)
    transformations = []
    for row in rows:
        item = (row["transformationNotation"], row["transformationLabel"])
        if item not in transformations:
            transformations.append(item)
    assert transformations == [
        ("A", "Zelf- en Samenredzame inwoner"),
        ("B", "Krachtige gemeenschap"),
        ("C", "Ondersteuning nabij"),
        ("D", "Passend aanbod"),
        ("E", "Het mogelijk maken van de beweging"),
    ]


def test_g3_thirteen_solution_directions_each_under_its_transformation(run_query):
    rows = run_query("plan-transformations", plan=REGIOPLAN)
    pairs = [(r["transformationNotation"], r["directionNotation"], r["directionLabel"]) for r in rows]
    assert pairs == [
        ("A", "01", "Bewustwording & normaliseren"),
        ("A", "02", "Voorbereid ouder worden"),
        ("A", "03", "Weerbaarheid"),
        ("A", "04", "Gezond leven en preventie"),
        ("B", "05", "Community building"),
        ("B", "06", "Gezonde leefomgeving"),
        ("C", "07", "Wijkgericht werken"),
        ("C", "08", "Aanvullende expertisenetwerken"),
        ("D", "09", "Juiste zorg en ondersteuning"),
        ("D", "10", "Afstemming en samenwerking in de keten"),
        ("E", "11", "Behoud en ontwikkeling van personeel"),
        ("E", "12", "Faciliterende financiering"),
        ("E", "13", "Digitalisering"),
    ]
    under_c = [r["directionLabel"] for r in rows if r["transformationLabel"] == "Ondersteuning nabij"]
    assert under_c == ["Wijkgericht werken", "Aanvullende expertisenetwerken"]


# --- G5 and the priority tasks ------------------------------------------------------------------

def test_priority_tasks_in_order_with_what_they_concern(run_query):
    rows = run_query("plan-priority-tasks", plan=REGIOPLAN)
    tasks = {}
    for row in rows:
        tasks.setdefault(row["taskNotation"], row)
    assert [(n, r["taskLabel"]) for n, r in tasks.items()] == [
        ("1", "Juiste zorg- en ondersteuningsaanbod"),
        ("2", "Digitalisering"),
        ("3", "Waardig ouder worden"),
        ("4", "Wijkgericht werken"),
        ("5", "Aanvullende expertisenetwerken"),
        ("6", "Afstemming en samenwerking in de keten"),
    ]
    assert split(tasks["3"]["concernedTransformations"]) == {"Zelf- en Samenredzame inwoner", "Krachtige gemeenschap"}
    assert split(tasks["4"]["concernsLabels"]) == {"Wijkgericht werken"}
    assert split(tasks["4"]["concernedTransformations"]) == {"Ondersteuning nabij"}
    assert split(tasks["5"]["concernedTransformations"]) == {"Ondersteuning nabij"}
    assert split(tasks["1"]["concernedTransformations"]) == {"Passend aanbod"}
    assert split(tasks["6"]["concernedTransformations"]) == {"Passend aanbod"}
    # The poster's "Betreft" of Digitalisering names no transformation; it is kept as written.
    assert tasks["2"]["concernedTransformations"] is None
    assert tasks["2"]["concernsDescription"] == "Gegevensuitwisseling en Inzicht in zorg- en ondersteuningsaanbod."
    assert tasks["4"]["rationale"].startswith("we versterken het zelfoplossend vermogen van de wijk")
    assert "mentaal gezondheidscentrum" in tasks["5"]["rationale"]
    assert all(r["rationale"] for r in tasks.values())


def test_g5_voorloperwijken_identificeren_belongs_to_wijkgericht_werken_and_finishes_in_q2(run_query):
    rows = run_query("plan-priority-tasks", plan=REGIOPLAN)
    [row] = [r for r in rows if r["stepLabel"] == "Voorloperwijken identificeren"]
    assert row["taskLabel"] == "Wijkgericht werken"
    assert row["stepOrder"] == 2
    assert row["finishedBy"] == ID + "kwartaal/2024-q2"
    assert row["finishedByLabel"] == "Q2 2024"
    assert row["finishedByEnd"] == "2024-06-30"
    assert row["startsIn"] is None


def test_every_priority_task_has_three_steps_with_a_quarter(run_query):
    rows = run_query("plan-priority-tasks", plan=REGIOPLAN)
    assert len(rows) == 18
    steps = {(r["taskNotation"], r["stepOrder"]): r for r in rows}
    assert all(bool(r["finishedBy"]) != bool(r["startsIn"]) for r in rows)
    q = lambda r: ("afgerond", r["finishedByLabel"]) if r["finishedBy"] else ("start", r["startsInLabel"])
    assert [(steps[("1", i)]["stepLabel"], q(steps[("1", i)])) for i in (1, 2, 3)] == [
        ("Formuleren inwonerreis", ("afgerond", "Q1 2024")),
        ("Inventariseren en opschalen bestaande initiatieven", ("afgerond", "Q2 2024")),
        ("Opstarten aanvullende initiatieven", ("start", "Q2 2024")),
    ]
    assert [steps[("3", i)]["stepLabel"] for i in (1, 2, 3)] == [
        "Selecteren doelgroep", "Formuleren van doelgroepreis", "Inventariseren en opschalen bestaande initiatieven"]
    assert [(steps[("6", i)]["stepLabel"], q(steps[("6", i)])) for i in (1, 2, 3)] == [
        ("Draagvlak voor regionale aanpak", ("afgerond", "Q1 2024")),
        ("Gezamenlijke visie", ("afgerond", "Q1 2024")),
        ("Matchen regionale visie en systemen", ("afgerond", "Q1 2024")),
    ]
    assert q(steps[("4", 3)]) == ("start", "Q2 2024")


# --- G1, G7, X1: partners and roles ---------------------------------------------------------------

def test_g1_the_seven_municipalities_and_the_region_make_agreements_with_zilveren_kruis(run_query):
    rows = [r for r in run_query("region-partners-by-role", region=REGION) if r["plan"] == AGENDA]
    municipalities = sorted(r["organisationLabel"] for r in rows if r["organisationType"].endswith("/Municipality"))
    assert municipalities == ["Blaricum", "Eemnes", "Gooise Meren", "Hilversum", "Huizen", "Laren", "Wijdemeren"]
    others = {(r["organisationLabel"], r["roleNotation"]) for r in rows if not r["organisationType"].endswith("/Municipality")}
    # the parties, and the joint administrative meeting that sets the yearly priorities
    assert others == {("Regio Gooi en Vechtstreek", "deelnemer"), ("Zilveren Kruis", "zorgverzekeraar"),
                      ("Bestuurlijk overleg Zilveren Kruis en Gemeenten", "goedkeurder")}


def test_partners_of_the_regioplan_by_role(run_query):
    rows = [r for r in run_query("region-partners-by-role", region=REGION) if r["plan"] == REGIOPLAN]
    by_role = {}
    for r in rows:
        by_role.setdefault(r["roleNotation"], set()).add(r["organisationLabel"])
    assert {"Zilveren Kruis", "Tergooi Ziekenhuis", "Regio Gooi en Vechtstreek", "RHOGO", "GGZ Centraal",
            "Hilversum"} <= by_role["opsteller"]
    assert {r["organisationLabel"] for r in rows if r["organisationType"].endswith("/WorkingGroup")} == {
        "Werkgroep Gezond Leven en Preventie", "Werkgroep Mentale Gezondheid", "Werkgroep Gezond Ouder Worden",
        "Werkgroep Gezonde Jeugd", "Werkgroep Acute Zorg"}
    assert by_role["adviseur"] == {"IG&H"}
    assert by_role["beoordelaar-transformatieplannen"] == {"Zilveren Kruis"}
    assert by_role["ondertekenaar"] == {"Gezond Gooi"}
    types = {r["organisationLabel"]: r["organisationType"].rsplit("/", 1)[1] for r in rows}
    assert types["Tergooi Ziekenhuis"] == "Hospital" and types["RHOGO"] == "GPOrganisation"
    assert types["GGZ Centraal"] == "MentalHealthProvider" and types["Gezond Gooi"] == "Network"
    assert types["IG&H"] == "Advisor" and types["Zilveren Kruis"] == "HealthInsurer"


def test_g7_transformation_funds_from_zilveren_kruis_and_vgz(run_query):
    rows = run_query("region-partners-by-role", region=REGION)
    assert {r["organisationLabel"] for r in rows if r["roleNotation"] == "financier"} == {"Zilveren Kruis", "VGZ"}
    [funds] = [r for r in run_query("region-allocations", region=REGION) if (r["stream"] or "").endswith("/transformatiemiddelen")]
    assert split(funds["requestedFrom"]) == {"Zilveren Kruis", "VGZ"}
    assert funds["assessedBy"] == "Zilveren Kruis"
    assert funds["amount"] is None and funds["figureKind"] is None


def test_x1_zilveren_kruis_is_the_insurer_partner_and_no_insurer_is_preferent(run_query):
    rows = run_query("region-partners-by-role", region=REGION)
    assert {r["organisationLabel"] for r in rows if r["roleNotation"] == "zorgverzekeraar"} == {"Zilveren Kruis"}
    assert {(r["plan"]) for r in rows if r["roleNotation"] == "zorgverzekeraar"} == {REGIOPLAN, AGENDA}
    assert not [r for r in rows if r["roleNotation"] == "preferente-zorgverzekeraar"]


# --- G4, X2: funding ------------------------------------------------------------------------------

def test_g4_spuk_iza_at_most_1_75_million_per_year_2024_to_2026(run_query):
    [spuk] = [r for r in run_query("region-allocations", region=REGION) if (r["stream"] or "").endswith("/spuk-iza")]
    assert (spuk["amount"], spuk["figureKind"], spuk["timeBasis"]) == (Decimal("1750000"), "maximaal", "per-jaar")
    assert spuk["minAmount"] is None and spuk["maxAmount"] is None  # a maximum, not a range
    assert spuk["currency"] == "EUR"
    assert (spuk["startDate"], spuk["endDate"]) == ("2024", "2026")
    assert spuk["purpose"].startswith("SPUK IZA moet worden aangewend")


# --- G6 and the region profile ----------------------------------------------------------------------

def observations(run_query):
    return run_query("region-observations", region=REGION)


def test_g6_about_15000_extra_older_people_between_2023_and_2040(run_query):
    [row] = [r for r in observations(run_query) if r["indicatorNotation"] == "ouderen-toename"]
    assert row["value"] == Decimal("15000") and row["unit"] == NUM
    assert (row["baseYear"], row["refYear"]) == ("2023", "2040")
    assert row["figureKind"] == "ongeveer" and row["isProjection"] is True


def test_demographic_projections_of_the_region_profile(run_query):
    rows = observations(run_query)
    figures = {(r["indicatorNotation"], r["unit"], r["refYear"]): (r["value"], r["isProjection"]) for r in rows}
    assert figures[("bevolking", NUM, "2020")] == (Decimal("257000"), False)
    assert figures[("bevolking", NUM, "2050")] == (Decimal("272000"), True)
    assert figures[("bevolking", PERCENT, "2050")] == (Decimal("5.5"), True)
    assert figures[("bevolking-80-plus", NUM, "2050")] == (Decimal("30000"), True)
    assert figures[("bevolking-65-plus", NUM, "2050")] == (Decimal("42000"), True)
    assert figures[("bevolking-65-plus", PERCENT, "2050")] == (Decimal("4.9"), True)
    assert figures[("jeugdigen", NUM, "2050")] == (Decimal("62000"), True)
    assert figures[("jeugdigen", PERCENT, "2050")] == (Decimal("4.4"), True)
    assert figures[("beroepsbevolking", NUM, "2020")] == (Decimal("143000"), False)
    assert figures[("beroepsbevolking", NUM, "2050")] == (Decimal("138000"), True)
    assert figures[("beroepsbevolking", PERCENT, "2050")] == (Decimal("-3.5"), True)
    growth = [r for r in rows if r["unit"] == PERCENT and r["refYear"] == "2050"]
    assert {r["baseYear"] for r in growth} == {"2020"}


def test_hard_to_fill_vacancies_against_the_national_share(run_query):
    [row] = [r for r in observations(run_query) if r["indicatorNotation"] == "moeilijk-vervulbare-vacatures"]
    assert (row["value"], row["comparedWith"], row["unit"]) == (Decimal("72"), Decimal("55"), PERCENT)
    assert row["breakdown"] == "verpleging, verzorging en thuiszorg"
    assert row["refYear"] is None  # the document says "nu" and gives no year


def test_organisations_and_people_involved_in_drafting(run_query):
    rows = [r for r in observations(run_query) if r["about"] == REGIOPLAN]
    counts = sorted((r["indicatorNotation"], r["value"], r["figureKind"]) for r in rows)
    assert counts == [
        ("betrokken-organisaties", Decimal("40"), "meer-dan"),
        ("betrokken-professionals", Decimal("120"), "meer-dan"),
        ("betrokken-professionals", Decimal("150"), "meer-dan"),
    ]


# --- X3: labour market ----------------------------------------------------------------------------

def test_x3_gooi_has_labour_market_items_in_the_regioplan_and_the_agenda(run_query):
    rows = [r for r in run_query("theme-items", theme=ID + "thema/arbeidsmarkt") if r["region"] == REGION]
    labels = {r["itemLabel"] for r in rows}
    assert {"Behoud en ontwikkeling van personeel", "Arbeidsmarktproblematiek"} <= labels


# --- Graph facts without a dedicated query ----------------------------------------------------------

@pytest.fixture(scope="module")
def graph(project):
    return project.union_graph()


def test_absence_of_numeric_result_targets_and_undecided_governance(graph):
    from rdflib import URIRef

    from app.namespaces import IZA

    regioplan = URIRef(REGIOPLAN)
    absences = list(graph.objects(regioplan, IZA.recordedAbsence))
    assert [str(c) for a in absences for c in graph.objects(a, IZA.absentCriterion)] == [
        ID + "iza-criterium/meetbare-resultaten"]
    assert not list(graph.objects(regioplan, IZA.hasKPI))
    governance = URIRef(ID + "governance/gv-governancestructuur-gezond-gooi")
    assert (governance, IZA.status, URIRef(ID + "status/nog-niet-vastgesteld")) in graph
    assert any("Er is nog geen vastgestelde governancestructuur" in str(q)
               for q in graph.objects(governance, IZA.sourceQuote))


def test_regioplan_deadline_decisions_and_publication(graph):
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    from app.namespaces import IZA

    regioplan = URIRef(REGIOPLAN)
    assert graph.value(regioplan, IZA.deadline) == Literal("2023-12-31", datatype=XSD.date)
    assert str(graph.value(regioplan, IZA.publishedAt)) == "http://www.dejuistezorgopdejuisteplek.nl/"
    consent = URIRef(ID + "besluit/gv-instemming-gezond-gooi")
    assert graph.value(consent, IZA.decisionDate) == Literal("2023-12-15", datatype=XSD.date)
    assert str(graph.value(consent, IZA.decidedBy)) == ID + "organisatie/gezond-gooi"
    colleges = URIRef(ID + "besluit/gv-vaststelling-colleges")
    assert graph.value(colleges, IZA.decisionDeadline) == Literal("2023-12-31", datatype=XSD.date)


def test_six_municipal_preconditions_for_transformation_plans(graph):
    from rdflib import URIRef
    from rdflib.namespace import SKOS

    from app.namespaces import IZA

    municipal = [URIRef(ID + f"randvoorwaarde/gv-gemeentelijk-{n}") for n in range(1, 7)]
    assert [str(graph.value(p, SKOS.notation)) for p in municipal] == ["1", "2", "3", "4", "5", "6"]
    assert all((p, IZA.appliesTo, IZA.TransformationPlan) in graph for p in municipal)
    sub = sorted(str(graph.value(s, SKOS.notation)) for s in graph.objects(municipal[2], IZA.hasSubItem))
    assert sub == ["a", "b", "c", "d"]


def test_collaboration_agenda_term_themes_and_programmes(graph):
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS, XSD

    from app.namespaces import IZA

    agenda = URIRef(AGENDA)
    assert graph.value(agenda, IZA.endDate) == Literal("2027", datatype=XSD.gYear)
    themes = sorted(graph.objects(agenda, IZA.hasTheme), key=lambda t: int(graph.value(t, IZA.order)))
    label = lambda x: str(next(l for l in graph.objects(x, RDFS.label) if l.language == "nl"))
    assert [label(t) for t in themes] == ["De overkoepelende thema’s", "Ouderen", "GGZ", "Preventie",
                                          "Jeugd en zijn omgeving"]
    programmes = sorted(graph.objects(agenda, IZA.hasProgramme), key=lambda p: int(graph.value(p, IZA.order)))
    assert [label(p) for p in programmes] == ["Programma Zorg Dichterbij", "Programma Regio Kompas",
                                              "RHOGO op koers naar 2024", "Gezond Gooi (netwerk)",
                                              "Beleidsplan Bescherming en opvang"]
    targets = {int(graph.value(t, IZA.value)) for t in graph.objects(programmes[0], IZA.statedTarget)}
    assert targets == {30, 20}


def test_g1_municipalities_of_the_collaboration_agenda_with_cbs_codes(run_query):
    rows = run_query("region-municipalities", area=AGENDA)
    assert [(r["label"], r["cbsCode"]) for r in rows] == [
        ("Blaricum", "GM0376"), ("Eemnes", "GM0317"), ("Gooise Meren", "GM1942"), ("Hilversum", "GM0402"),
        ("Huizen", "GM0406"), ("Laren", "GM0417"), ("Wijdemeren", "GM1696")]
    # Only Hilversum's membership of the zorgkantoorregio is stated in the documents.
    assert [r["label"] for r in run_query("region-municipalities", area=REGION)] == ["Hilversum"]


# --- The collaboration agenda worked out (003): challenges, approaches, what is only explored ----

def test_the_agenda_takes_four_challenges_from_its_regiobeeld(run_query):
    rows = run_query("plan-challenges", plan=AGENDA)
    assert [r["challengeLabel"] for r in rows] == [
        "Groei van het aantal (met name oudere) inwoners en vergrijzing boven het Nederlands gemiddelde",
        "Groot en stijgend tekort aan personeel, waaronder verpleegkundigen",
        "Stijgende zorgkosten door de groei van de groep ouderen; het zorggebruik moet veranderen",
        "Een gedeeld beeld van de totale opgave ontbreekt",
    ]


def test_what_the_agenda_only_explores_is_marked_as_such(run_query):
    rows = run_query("items-by-status", status=ID + "status/in-verkenning")
    explored = {r["item"] for r in rows if r["region"] == REGION}
    assert explored == {
        ID + "aanpak/gv-leerlijn-wmo-medewerker",
        ID + "aanpak/gv-tools-informele-ondersteuners",
        ID + "aanpak/gv-efficientere-inzet-van-zorg",
    }
    assert {r["plan"] for r in rows if r["region"] == REGION} == {AGENDA}


def test_the_early_warning_covenant_runs_between_zilveren_kruis_and_the_municipalities(run_query):
    rows = run_query("items-by-status", status=ID + "status/in-uitvoering")
    running = {r["item"]: r for r in rows if r["region"] == REGION}
    covenant = running[ID + "aanpak/gv-convenant-vroegsignalering"]
    assert "betaalachterstanden bij Zilveren Kruis bekend zijn bij gemeenten" in covenant["sourceQuote"]
    assert ID + "aanpak/gv-convenant-rookvrije-generatie" in running


# --- issue 17: Hilversum's involvement in the transformations (000) ------------------------------

def test_hilversum_is_closely_involved_in_the_transformations(run_query):
    rows = [r for r in run_query("item-roles") if r["item"] == REGIOPLAN and r["agent"] == ID + "gemeente/hilversum"
            and r["roleNotation"] == "deelnemer"]
    assert [(r["denied"], r["sourceQuote"]) for r in rows] == [
        (False, "De gemeente zal nauw betrokken zijn bij deze transformaties.")]
