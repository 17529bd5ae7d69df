"""The national frameworks (data/national/): competency questions N1-N3 and the exact members of each
scheme with their source excerpts, as the documents (000, 002, 003, 004) state them."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from app.loader import ROOT, load_project
from app.namespaces import IZA, SCHEMA
from app.quotes import Citations, unsourced

ID = "https://w3id.org/iza-kg/id/"
SCHEME = ID + "schema/"


def members(run_query, scheme):
    return run_query("scheme-concepts", scheme=SCHEME + scheme)


def quotes(row):
    return row["quotes"].split(" | ") if row["quotes"] else []


# --------------------------------------------------------------------------------------------
# N1: by when must every zorgkantoorregio have an adopted regioplan?
# --------------------------------------------------------------------------------------------

def test_n1_regioplan_deadline_is_31_december_2023(run_query):
    rows = run_query("iza-deadline")
    assert len(rows) == 1
    row = rows[0]
    assert row["criterion"] == ID + "iza-criterium/vastgesteld-voor-2024"
    assert row["deadline"] == "2023-12-31"
    assert row["obligationLevel"] == ID + "verplichtingsniveau/verplicht"
    assert row["agreement"] == ID + "akkoord/iza"
    assert row["agreementLabel"] == "Integraal Zorgakkoord"
    assert ("Iedere zorgkantoorregio in Nederland is verplicht om uiterlijk 31 december 2023 een vastgesteld "
            "Regioplan te hebben.") in quotes(row)


def test_the_deadline_is_a_typed_date(project):
    graph = project.union_graph()
    value = graph.value(URIRef(ID + "iza-criterium/vastgesteld-voor-2024"), IZA.deadline)
    assert value == Literal("2023-12-31", datatype=XSD.date)


# --------------------------------------------------------------------------------------------
# N2 and the VNG work agenda
# --------------------------------------------------------------------------------------------

VNG_TASKS = [
    "Organisatie en coördinatie van regionale samenwerking met zorgverzekeraars, zorgkantoren en "
    "zorgaanbieders op basis van de regionale samenwerkingsagenda/het regioplan",
    "Structurele inzet op de netwerksamenwerking van het sociaal domein met GGZ, eerstelijnszorg en "
    "huisartsenzorg",
    "Structurele inzet op coördinatie en organisatie van de vijf in het IZA afgesproken "
    "domeinoverstijgende keteninterventies",
    "Inrichten en bemensen van een dekkend netwerk van laagdrempelige steunpunten in de regio voor "
    "mensen met psychische kwetsbaarheid",
    "Regionaal stimuleren van de inzet van e-health-toepassingen, anonieme hulplijnen en vormen van "
    "digitale/hybride zorg",
    "Extra inzet van gemeenten voortkomend uit het gezamenlijke, aan IZA gekoppelde, regioplan",
]


def test_n2_the_six_vng_tasks_in_order_with_their_quotes(run_query):
    rows = run_query("scheme-concepts")  # default scheme: the VNG work agenda
    assert [r["concept"] for r in rows] == [f"{ID}vng-taak/{i}" for i in range(1, 7)]
    assert [r["notation"] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    assert [r["labelNl"] for r in rows] == VNG_TASKS
    for row, label in zip(rows, VNG_TASKS):
        assert quotes(row) == [label]
        assert row["labelEn"]
    assert rows[2]["labelEn"].startswith("Structural effort on coordinating and organising the five")


# --------------------------------------------------------------------------------------------
# N3 and the funding streams
# --------------------------------------------------------------------------------------------

def streams(run_query):
    return run_query("funding-streams")


def test_n3_transformation_funds_2_8_billion_2023_2027_of_which_1_4_billion_earmarked(run_query):
    rows = [r for r in streams(run_query) if r["stream"] == ID + "financieringsstroom/transformatiemiddelen"]
    assert {r["amount"] for r in rows} == {Decimal("2800000000")}
    assert {(r["startDate"], r["endDate"], r["currency"]) for r in rows} == {("2023", "2027", "EUR")}
    assert {(r["figureKind"], r["timeBasis"]) for r in rows} == {("exact", "totaal-over-periode")}
    earmarks = {r["earmarkPurpose"]: r["earmarkAmount"] for r in rows}
    assert earmarks == {"specifieke sectoren in de zorg": Decimal("1400000000"),
                        "alle partijen, waaronder indirect ook gemeenten": Decimal("1400000000")}
    assert ("De rijksoverheid stelt voor de periode 2023-2027 € 2,8 miljard beschikbaar aan de zorgverzekeraars "
            "om de transformatie in de zorg te ondersteunen.") in quotes(rows[0])


def test_an_earmarked_part_holds_its_money_like_any_other_holder_and_keeps_its_quote(project):
    graph = project.union_graph()
    part = URIRef(ID + "oormerk/transformatiemiddelen-specifieke-sectoren")
    assert (URIRef(ID + "financieringsstroom/transformatiemiddelen"), IZA.hasEarmarkedPart, part) in graph
    money = graph.value(part, IZA.amount)
    assert graph.value(money, SCHEMA.value) == Literal("1400000000", datatype=XSD.decimal)
    assert str(graph.value(money, IZA.figureKind)).endswith("/kwalificatie/exact")
    assert Literal("Hiervan is € 1,4 miljard geoormerkt voor specifieke sectoren in de zorg.", lang="nl") in set(
        graph.objects(part, IZA.sourceQuote))


def test_who_assesses_transformation_plans_is_each_regions_reading_not_a_national_text(run_query, project):
    rows = {r["region"].rsplit("/", 1)[-1]: r for r in run_query("stream-readings")}
    assert rows["noord-en-midden-limburg"]["assessedBy"] == "de preferente zorgverzekeraar, samen met de tweede grote verzekeraar"
    assert rows["noord-en-midden-limburg"]["availableFrom"] == "Vanaf 1 februari dit jaar"
    assert rows["noord-en-midden-limburg"]["source"] == ID + "brondocument/venray-advies-uitvoeringsplan-iza-noord-en-midden-limburg"
    assert rows["midden-nederland"]["assessedBy"] == "De eerste en tweede marktleider zorgverzekeraars"
    assert rows["midden-nederland"]["source"] == ID + "brondocument/regioplan-midden-nederland"
    graph = project.union_graph()
    for stream in ("transformatiemiddelen", "spuk-iza"):
        national = URIRef(ID + "financieringsstroom/" + stream)
        for prop in (IZA.assessedByDescription, IZA.availableFromDescription, IZA.term):
            assert graph.value(national, prop) is None, (stream, prop)


def test_the_six_funding_streams_in_order(run_query):
    rows = streams(run_query)
    order = []
    for r in rows:
        if r["stream"] not in order:
            order.append(r["stream"])
    assert [s.rsplit("/", 1)[1] for s in order] == [
        "spuk-iza", "spuk-gala", "spuk-dos", "transformatiemiddelen", "spuk-transformatiemiddelen", "zonmw-vouchers"]


def test_spuk_iza_national_yearly_maximum_is_150_million_for_the_municipalities(run_query):
    (row,) = [r for r in streams(run_query) if r["notation"] == "spuk-iza"]
    assert (row["amount"], row["figureKind"], row["timeBasis"]) == (Decimal("150000000"), "maximaal", "per-jaar")
    assert (row["startDate"], row["endDate"]) == ("2024", "2026")
    assert ("Voor gemeenten is jaarlijks (in ieder geval tot en met 2026) maximaal € 150 miljoen structureel "
            "beschikbaar om de taken die de gemeenten hebben in het kader van het IZA te verwezenlijken.") in quotes(row)


def test_streams_not_yet_decided_carry_that_status_and_no_amount(run_query):
    undecided = {r["notation"]: r for r in streams(run_query)
                 if r["status"] == ID + "status/nog-niet-vastgesteld"}
    assert set(undecided) == {"spuk-transformatiemiddelen", "zonmw-vouchers"}
    assert quotes(undecided["zonmw-vouchers"]) == ["Vouchergelden ZonMw voor 2024 nog vast te stellen."]
    assert undecided["spuk-transformatiemiddelen"]["broader"] == ID + "financieringsstroom/transformatiemiddelen"
    assert all(r["amount"] is None and r["figureKind"] is None for r in undecided.values())


def test_transformation_plans_assessment_framework(project):
    graph = project.union_graph()
    framework = URIRef(ID + "beoordelingskader/transformatieplannen")
    assert (URIRef(ID + "financieringsstroom/transformatiemiddelen"), IZA.hasAssessmentFramework, framework) in graph
    items = sorted(graph.objects(framework, IZA.hasItem), key=lambda i: int(graph.value(i, IZA.order)))
    labels = [nl_label(graph, i) for i in items]
    assert labels == [
        "Lagere kosten in de Zorgverzekeringswet",
        "Efficiëntere inzet van zorgpersoneel",
        "Verleggen van patiëntstromen van het medische naar het sociale domein",
        "Onderbouwd en in lijn met het Regioplan",
        "Partij uit een geraakt ander domein is betrokken",
        "Gemeenten dienen zelf geen transformatieplannen in",
    ]
    consent = URIRef(ID + "beoordelingscriterium/transformatieplan-ander-domein-betrokken")
    assert Literal("Een plan voor een zorgtransitie die implicaties heeft voor het sociale domein, kan dus niet "
                   "zonder instemming van de betreffende gemeente(n) worden ingediend.", lang="nl") in set(
        graph.objects(consent, IZA.sourceQuote))


# --------------------------------------------------------------------------------------------
# The schemes' exact members
# --------------------------------------------------------------------------------------------

def test_the_four_iza_movements(run_query):
    rows = members(run_query, "iza-bewegingen")
    assert [r["concept"] for r in rows] == [f"{ID}iza-beweging/{i}" for i in range(1, 5)]
    assert [r["labelNl"] for r in rows] == [
        "van specialistische naar basis- naar informele zorg en preventie",
        "van specialistische naar basis- naar informele ondersteuning en preventie",
        "inwoners leven gezond en zien om naar elkaar",
        "van medisch naar sociaal domein",
    ]
    for i, row in enumerate(rows, start=1):
        assert f"Beweging {i}: {row['labelNl']}" in quotes(row)
        assert row["definitionNl"] in quotes(row)


KETENAANPAKKEN = [
    ("kansrijke-start", "a", "Kansrijke Start"),
    ("valpreventie", "b", "Valpreventie bij ouderen"),
    ("overgewicht-kinderen", "c", "Aanpak overgewicht en obesitas bij kinderen"),
    ("gli-volwassenen", "d", "De gecombineerde leefstijlinterventie (GLI) bij overgewicht van volwassenen"),
    ("welzijn-op-recept", "e", "Welzijn op recept"),
]


def test_the_five_ketenaanpakken(run_query):
    rows = members(run_query, "ketenaanpakken")
    assert [(r["concept"], r["notation"], r["labelNl"]) for r in rows] == [
        (f"{ID}ketenaanpak/{slug}", notation, label) for slug, notation, label in KETENAANPAKKEN]
    for row, (_, notation, label) in zip(rows, KETENAANPAKKEN):
        assert f"{notation}. {label}" in quotes(row)
    welzijn = rows[4]
    assert ("Deze aanpak staat landelijk bekend als ‘welzijn op recept’ en is één van de vijf ketenaanpakken "
            "die gemeenten gezamenlijk moeten realiseren.") in quotes(welzijn)


GALA_GOALS = [
    "terugdringen gezondheidsachterstanden (waaronder Kansrijke Start)",
    "een gezonde fysieke leefomgeving die uitnodigt tot bewegen en ontmoeten",
    "het versterken van (de verbinding met) de sociale basis",
    "een gezonde leefstijl",
    "versterking van de mentale weerbaarheid en mentale gezondheid",
    "vitaal ouder worden",
    "domeinoverstijgende inzet vanuit een regionale preventie-infrastructuur",
]


def test_the_seven_gala_goals(run_query):
    rows = members(run_query, "gala-doelen")
    assert [r["concept"] for r in rows] == [f"{ID}gala-doel/{i}" for i in range(1, 8)]
    assert [r["labelNl"] for r in rows] == GALA_GOALS
    for i, (row, label) in enumerate(zip(rows, GALA_GOALS), start=1):
        assert row["notation"] == str(i)
        assert f"{i}. {label}" in quotes(row)


WOZO_LINES = ["Samen vitaal ouder worden", "Sterke basiszorg voor ouderen", "Passende Wlz-zorg",
              "Wonen en zorg voor ouderen", "Arbeidsmarkt en Innovatie"]


def test_the_five_wozo_action_lines(run_query):
    rows = members(run_query, "wozo-actielijnen")
    assert [r["concept"] for r in rows] == [f"{ID}wozo-actielijn/{i}" for i in range(1, 6)]
    assert [r["labelNl"] for r in rows] == WOZO_LINES
    for row, label in zip(rows, WOZO_LINES):
        (quote,) = quotes(row)
        assert quote == f"{label}: {row['scopeNote']}"
    assert "250.000 woningen geschikt voor ouderen tussen nu en 2030" in rows[3]["scopeNote"]


PRINCIPLES = [
    "Passende zorg is waardegedreven",
    "Passende zorg komt samen met en gezamenlijk rondom de patiënt/inwoner tot stand, ondersteund door "
    "informatie passend bij de vaardigheden van de patient/inwoner",
    "Passende zorg is de Juiste Zorg op de Juiste Plek",
    "Passende zorg gaat over gezondheid in plaats van ziekte",
    "Passende zorg vindt plaats in een prettige en goede werkomgeving voor zorgprofessionals",
]


def test_the_five_principles_of_passende_zorg(run_query):
    rows = members(run_query, "passende-zorg-principes")
    assert [r["concept"] for r in rows] == [f"{ID}passende-zorg-principe/{i}" for i in range(1, 6)]
    assert [r["labelNl"] for r in rows] == PRINCIPLES
    assert [quotes(r) for r in rows] == [[p] for p in PRINCIPLES]


CRITERIA = [
    ("zorgkantoorregio", "1", None, "verplicht"),
    ("vastgesteld-voor-2024", "2", None, "verplicht"),
    ("regio-opgaven", "A", None, "verplicht"),
    ("prioritering", "A.1", "regio-opgaven", "beschrijvend"),
    ("regio-afspraken", "B", None, "verplicht"),
    ("partijen", "B.1", "regio-afspraken", "verplicht"),
    ("oplossingen", "B.2", "regio-afspraken", "verplicht"),
    ("schaal", "B.3", "regio-afspraken", "verplicht"),
    ("meetbare-resultaten", "B.4", "regio-afspraken", "verplicht"),
    ("voortgang", "B.5", "regio-afspraken", "verplicht"),
    ("werkagenda", "B.6", "regio-afspraken", "beschrijvend"),
    ("landelijke-randvoorwaarden", "3", None, "beschrijvend"),
]


def test_the_iza_criteria_for_a_regioplan(run_query):
    rows = members(run_query, "iza-criteria")
    assert [(r["concept"], r["notation"], r["broader"], r["obligationLevel"]) for r in rows] == [
        (f"{ID}iza-criterium/{slug}", notation, broader and f"{ID}iza-criterium/{broader}",
         f"{ID}verplichtingsniveau/{level}") for slug, notation, broader, level in CRITERIA]
    by_slug = {r["concept"].rsplit("/", 1)[1]: r for r in rows}
    assert "A. Regio-opgaven: de belangrijkste opgaven die met prioriteit gezamenlijk worden opgepakt." in quotes(
        by_slug["regio-opgaven"])
    assert ("B. Regio-afspraken: de wijze waarop partijen de regio-opgaven gaan oppakken en wie daarbij "
            "betrokken zijn.") in quotes(by_slug["regio-afspraken"])
    for slug in ("partijen", "oplossingen", "schaal"):
        assert any(q.startswith("Er dient hierbij tenminste opgenomen te zijn") for q in quotes(by_slug[slug]))
    assert quotes(by_slug["werkagenda"]) == ["De afspraken worden vertaald in een werkagenda voor de regio."]
    assert by_slug["vastgesteld-voor-2024"]["deadline"] == "2023-12-31"


# --------------------------------------------------------------------------------------------
# Agreements and organisations
# --------------------------------------------------------------------------------------------

def nl_label(graph, subject):
    return next(str(l) for l in graph.objects(subject, RDFS.label) if l.language == "nl")


def test_national_agreements(project):
    graph = project.union_graph()
    iza, gala, wozo = (URIRef(ID + "akkoord/" + s) for s in ("iza", "gala", "wozo"))
    for agreement in (iza, gala, wozo):
        assert (agreement, RDF.type, IZA.NationalAgreement) in graph
    assert nl_label(graph, iza) == "Integraal Zorgakkoord"
    assert graph.value(iza, IZA.signedOn) == Literal("2022-09", datatype=XSD.gYearMonth)
    assert graph.value(iza, IZA.signatoryCount).toPython() == 14
    assert graph.value(iza, IZA.actionLineCount).toPython() == 8
    assert graph.value(gala, IZA.signedOn) == Literal("2023-02-03", datatype=XSD.date)
    assert graph.value(gala, IZA.signatoryCount).toPython() == 4
    signatories = {graph.value(r, IZA.agent) for r in graph.objects(gala, IZA.hasRole)
                   if graph.value(r, IZA.role) == URIRef(ID + "rol/ondertekenaar")}
    assert signatories == {URIRef(ID + "organisatie/" + s) for s in ("vng", "vws", "zn", "ggd-ghor-nederland")}
    assert (gala, IZA.elaborates, iza) in graph
    assert nl_label(graph, wozo) == "Programma Wonen, Ondersteuning en Zorg voor Ouderen"
    assert set(graph.objects(wozo, IZA.hasFramework)) == {URIRef(SCHEME + "wozo-actielijnen")}
    assert URIRef(SCHEME + "iza-criteria") in set(graph.objects(iza, IZA.hasFramework))


def test_the_iza_action_lines_are_counted_not_named(project):
    graph = project.union_graph()
    assert not any("actielijn" in str(s) and "wozo" not in str(s)
                   for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(ID))


def test_shared_organisations(project):
    graph = project.union_graph()
    expected = {
        "zilveren-kruis": (IZA.HealthInsurer, "Zilveren Kruis"),
        "vgz": (IZA.HealthInsurer, "VGZ"),
        "cz": (IZA.HealthInsurer, "CZ"),
        "vng": (IZA.NationalParty, "Vereniging Nederlandse Gemeenten"),
        "vws": (IZA.NationalParty, "ministerie van VWS"),
        "zn": (IZA.NationalParty, "Zorgverzekeraars Nederland"),
        "ggd-ghor-nederland": (IZA.NationalParty, "GGD GHOR Nederland"),
    }
    for slug, (cls, label) in expected.items():
        org = URIRef(ID + "organisatie/" + slug)
        assert (org, RDF.type, cls) in graph
        assert nl_label(graph, org) == label
        assert list(graph.objects(org, IZA.sourceQuote))


def test_national_quotes_occur_in_their_documents():
    national = load_project([ROOT / "data" / "national", ROOT / "data" / "sources.ttl"])
    citations = Citations.from_project(national)
    assert citations.quotes and [(q.where, q.text) for q, _, _ in citations.not_found()] == []
    assert unsourced(national) == []


def test_other_iza_agreements_with_their_deadlines(run_query):
    rows = run_query("iza-deadline", scheme=SCHEME + "iza-afspraken")
    got = {r["criterion"].rsplit("/", 1)[1]: (r["deadline"], r["obligationLevel"].rsplit("/", 1)[1]) for r in rows}
    assert got == {
        "regiobeeld-en-regioplan": ("2023-12-31", "verplicht"),
        "regionale-preventie-afspraken": ("2025-01-01", "beschrijvend"),
        "mentale-gezondheidscentra": ("2025", "verplicht"),
    }
    (mgc,) = [r for r in rows if r["criterion"].endswith("mentale-gezondheidscentra")]
    assert "Deze aanpak moet in 2025 gerealiseerd zijn." in quotes(mgc)
