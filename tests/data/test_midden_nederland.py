"""Regioplan Midden-Nederland (002): competency questions M1-M8, the Midden-Nederland parts of X1 and
X3, and the values the plan states for its transformations, KPIs, subregions and staff shortages."""

from decimal import Decimal

ID = "https://w3id.org/iza-kg/id/"
PLAN = ID + "plan/regioplan-midden-nederland"
REGION = ID + "regio/midden-nederland"
PERCENT = "http://qudt.org/vocab/unit/PERCENT"
NUM = "http://qudt.org/vocab/unit/NUM"


def test_m1_five_subregions_in_order(run_query):
    rows = run_query("region-subregions", region=REGION)
    labels = []
    for row in rows:
        if row["subregionLabel"] not in labels:
            labels.append(row["subregionLabel"])
    assert labels == ["Eemland", "Utrecht Stad", "Lekstroom", "Utrecht Zuidoost", "Utrecht West"]
    u16 = {r["subregionLabel"] for r in rows if r["groupingLabel"] == "U16"}
    assert u16 == {"Utrecht Stad", "Lekstroom", "Utrecht Zuidoost", "Utrecht West"}
    assert {r["groupingMunicipalityCount"] for r in rows if r["groupingLabel"] == "U16"} == {Decimal(16)}
    assert [r["municipalityLabel"] for r in rows if r["subregionLabel"] == "Utrecht Stad"] == ["Utrecht"]


def test_m2_scope_exclusions_and_inclusions(run_query):
    rows = {r["municipalityLabel"]: r for r in run_query("plan-scope", plan=PLAN)}
    excluded = {m for m, r in rows.items() if r["excluded"]}
    from_outside = {m for m, r in rows.items() if r["covered"] and not r["inRegion"]}
    assert excluded == {"Renswoude", "Veenendaal", "Rhenen"}
    assert from_outside == {"Vijfheerenlanden", "Eemnes"}
    assert all(rows[m]["inRegion"] and not rows[m]["covered"] for m in excluded)
    covered = {m for m, r in rows.items() if r["covered"]}
    assert {"Utrecht", "Amersfoort", "Nieuwegein", "Zeist", "Houten", "Nijkerk"} <= covered
    assert len(covered) == 21  # the names the extraction keeps of the 24 on the plan's map


def test_both_municipality_counts_are_kept(run_query):
    rows = run_query("page-region-observations", region=REGION)
    counts = {r["value"] for r in rows if r["indicator"] == ID + "indicator/aantal-gemeenten"
              and r["area"] == REGION}
    assert counts == {Decimal(24), Decimal(25)}


def test_m3_eight_transformations_in_order_with_approaches(run_query):
    rows = run_query("plan-transformations", plan=PLAN)
    order = []
    for row in rows:
        if row["transformationLabel"] not in order:
            order.append(row["transformationLabel"])
    assert order == [
        "Focus op welbevinden (positieve gezondheid) & bewustwording",
        "Gerichte preventie",
        "Zelfredzaamheid vergroten",
        "Gemeenschapskracht",
        "Ondersteuning en zorg dichtbij in de wijk beschikbaar",
        "Netwerkorganisatie waarin formele en informele (zorg)partijen samenwerken in de wijk",
        "Inzicht en beschikbaarheid juiste capaciteit",
        "Passende zorg",
    ]
    approaches = {}
    for row in rows:
        approaches.setdefault(row["transformationLabel"], []).append(row["directionLabel"])
    assert approaches["Focus op welbevinden (positieve gezondheid) & bewustwording"] == [
        "Inzet van communicatie naar inwoners", "Inzet van proactieve (zorg)planning", "Versterken focus op welbevinden"]
    assert approaches["Gerichte preventie"] == ["Gerichte en collectieve preventie-interventies", "Vroegtijdige signalering"]
    assert approaches["Zelfredzaamheid vergroten"] == [
        "Reablement (door)ontwikkelen en implementeren", "(Digitale) hulpmiddelen en informatie beschikbaar stellen"]
    assert approaches["Gemeenschapskracht"] == [
        "Het inrichten van zorgzame wijken", "Community care (door)ontwikkelen en uitrollen",
        "Vergroten vindbaarheid en versterken van steunstructuren en informele zorg"]
    assert approaches["Ondersteuning en zorg dichtbij in de wijk beschikbaar"] == [
        "Ondersteunen van mantelzorgers en informele ondersteuning en zorg in de wijk",
        "Het creëren van passende voorziening in de wijk", "Zorg naar huis verplaatsen"]
    assert approaches["Netwerkorganisatie waarin formele en informele (zorg)partijen samenwerken in de wijk"] == [
        "Sterke samenwerking en netwerkversterking binnen wijken"]
    assert approaches["Inzicht en beschikbaarheid juiste capaciteit"] == [
        "Up to date inzicht in het zorg- en ondersteuningsaanbod", "Concentratie en spreiding medisch specialistische zorg",
        "Differentiëren, specialiseren en concentreren in de ouderenzorg", "Profielkeuzes mentale gezondheid"]
    assert approaches["Passende zorg"] == [
        "Gezamenlijke visie op passende zorg", "Herontwerpen en transformeren van ketenbrede zorgpaden",
        "Verbeteren van verwijzing en doorstroom", "Inzet technologie t.b.v. passende zorg"]


def test_transformation_scales(project):
    graph = project.union_graph()
    from rdflib import URIRef
    iza = "https://w3id.org/iza-kg/def/"

    def scales(slug):
        return {str(o).rsplit("/", 1)[-1] for o in graph.objects(URIRef(ID + "transformatie/" + slug), URIRef(iza + "scale"))}

    assert scales("mn-juiste-capaciteit") == {"regionaal", "subregionaal"}
    assert scales("mn-gerichte-preventie") == {"subregionaal", "lokaal", "regionaal"}
    assert "landelijk" in scales("mn-focus-op-welbevinden")


def test_m4_and_x3_three_fundamental_tasks(run_query):
    rows = run_query("plan-fundamental-tasks", plan=PLAN)
    tasks = []
    for row in rows:
        if row["taskLabel"] not in tasks:
            tasks.append(row["taskLabel"])
    assert tasks == ["Arbeidsmarkt", "Digitalisering en gegevensuitwisseling", "Digitaalvaardig"]
    labour = [r for r in rows if r["taskLabel"] == "Arbeidsmarkt"]
    themes = []
    for row in labour:
        if row["itemLabel"] not in themes:
            themes.append(row["itemLabel"])
    assert themes == ["Innovatie en anders werken", "Behoud medewerkers", "Leven lang ontwikkelen"]
    assert len({r["subItem"] for r in labour}) == 7
    assert [r["subItemLabel"] for r in labour if r["itemLabel"] == "Leven lang ontwikkelen"] == [
        "Organisatie om te komen tot bekwaam = inzetbaar in een lerende regio",
        "Verbeteren aansluiting van onderwijs en arbeidsmarkt"]


def _kpis(run_query):
    return run_query("plan-kpis", plan=PLAN)


def test_m5_referrals_to_second_line_fall_by_7_percent(run_query):
    [row] = [r for r in _kpis(run_query) if r["kpiLabel"] == "Percentage doorverwijzingen naar de tweede lijn"]
    assert (row["value"], row["unit"], row["direction"]) == (Decimal(7), PERCENT, ID + "richting/afname")


def test_m6_administrative_burden_35_percent_in_2026(run_query):
    rows = [r for r in _kpis(run_query) if r["kpiLabel"] == "Ervaren reductie administratielasten en uitzoekwerk"]
    by_date = {r["targetDate"]: r for r in rows}
    assert by_date["2026"]["value"] == Decimal(35)
    assert by_date["2026"]["unit"] == PERCENT and by_date["2026"]["direction"] == ID + "richting/afname"
    assert by_date["2026"]["scope"] == "deelnemende professionals"
    assert by_date["2025"]["value"] == Decimal(35) and by_date["2025"]["startDate"] == "2024"


def test_all_numeric_kpis_with_their_targets(run_query):
    numeric = {(r["kpiLabel"], r["value"], r["upperValue"], r["unit"], r["direction"].rsplit("/", 1)[-1])
               for r in _kpis(run_query) if r["value"] is not None}
    assert numeric == {
        ("Extra RTA's ontwikkeld, vastgesteld en geïmplementeerd", Decimal(9), None, NUM, "toename"),
        ("Ervaren reductie administratielasten en uitzoekwerk", Decimal(35), None, PERCENT, "afname"),
        ("Percentage doorverwijzingen naar de tweede lijn", Decimal(7), None, PERCENT, "afname"),
        ("Verhoging productiviteit door meer snelheid in processen", Decimal("7.5"), Decimal(10), PERCENT, "toename"),
        ("Opvangen onnodige zorg", Decimal(5), Decimal(10), PERCENT, "afname"),
        ("Telemonitoring en telebehandeling ondergebracht in een medisch regie centrum (MRC)", Decimal(65), None, PERCENT, "bereiken"),
        ("Reductie reguliere zorgactiviteiten door telemonitoring", Decimal(25), None, PERCENT, "afname"),
        ("Aandeel betrokken huisartsen met positieve beoordeling van de use cases", Decimal(75), None, PERCENT, "bereiken"),
        ("Geïmplementeerde Wegiz-standaarden", Decimal(5), None, NUM, "bereiken"),
        ("Inclusie van de patiëntpopulatie in hybride zorgpaden", Decimal(50), None, PERCENT, "bereiken"),
    }
    [mrc] = [r for r in _kpis(run_query) if r["value"] == Decimal(65)]
    assert mrc["qualifier"] == ID + "kwalificatie/ten-minste"


def test_m8_kpis_per_transformation_not_yet_defined(run_query):
    [row] = [r for r in _kpis(run_query) if r["kpiLabel"] == "Specifieke KPI's per transformatie"]
    assert row["status"] == ID + "status/nog-niet-vastgesteld"
    assert row["plannedDefinitionDate"] == "2024"
    assert "te prematuur" in row["statusDescription"]
    assert row["value"] is None
    assert len(row["measures"].split(" | ")) == 8


def test_m7_and_staff_shortages(run_query):
    rows = run_query("page-region-observations", region=REGION)
    shortage = {(r["breakdown"], r["value"], r["refYear"], r["isProjection"]) for r in rows
                if r["indicator"] == ID + "indicator/personeelstekort"}
    assert shortage == {("totaal", Decimal(17700), "2032", True), ("VVT", Decimal(5000), None, True),
                        ("MSZ", Decimal(3000), None, True)}


def test_region_profile_figures(run_query):
    rows = run_query("page-region-observations", region=REGION)
    by_id = {r["observation"].rsplit("/", 1)[-1]: r for r in rows}
    assert by_id["mn-bevolkingsgroei-procent"]["value"] == Decimal("12.5")
    assert (by_id["mn-bevolkingsgroei-procent"]["baseYear"], by_id["mn-bevolkingsgroei-procent"]["refYear"]) == ("2023", "2040")
    assert by_id["mn-bevolkingsgroei-aantal"]["value"] == Decimal(168000)
    assert by_id["mn-65-plus-2040"]["value"] == Decimal(353000)
    assert by_id["mn-zorgvraag-groei-vv"]["value"] == Decimal(78)
    assert by_id["mn-zorgvraag-groei-jeugdzorg"]["value"] == Decimal(11)
    assert by_id["mn-mantelzorgpotentieel-2040"]["value"] == Decimal(4)
    assert by_id["mn-overbelaste-mantelzorgers"]["value"] == Decimal(13)


def test_x1_zilveren_kruis_is_the_insurer_partner(run_query):
    rows = run_query("compare-partners", region=REGION)
    roles = {(r["organisation"].rsplit("/", 1)[-1], (r["role"] or "").rsplit("/", 1)[-1]) for r in rows}
    assert ("zilveren-kruis", "zorgverzekeraar") in roles
    assert ("zilveren-kruis", "opdrachtgever") in roles
    assert ("zilveren-kruis-zorgkantoor", "opdrachtgever") in roles
    assert not any(o in {"vgz", "cz"} for o, _ in roles)


def test_five_opgaven_and_priorities(run_query):
    rows = run_query("plan-challenges", plan=PLAN)
    order = []
    for row in rows:
        if row["challengeLabel"] not in order:
            order.append(row["challengeLabel"])
    assert order == ["Sterk sociaal domein en eerstelijn", "Gezond ouder worden", "Mentale weerbaarheid en gezondheid",
                     "Passende medisch specialistische zorg", "Acute zorg"]
    msz = [r["priorityLabel"] for r in rows if r["challengeLabel"] == "Passende medisch specialistische zorg"]
    assert msz[:3] == ["Concentreren en spreiden van passende medische specialistische zorg", "Zorg digitaliseren",
                       "Flexibiliteit in beschikbare capaciteit"]
    assert len([r for r in rows if r["challengeLabel"] == "Sterk sociaal domein en eerstelijn"]) == 9


def test_priorities_per_subregion(project):
    query = """
    PREFIX iza: <https://w3id.org/iza-kg/def/>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?sub ?label WHERE { ?sub a iza:Subregion ; iza:hasPriority ?p . ?p rdfs:label ?label FILTER(lang(?label)='nl') }"""
    result = {}
    for sub, label in project.union_graph().query(query):
        result.setdefault(str(sub).rsplit("/", 1)[-1], set()).add(str(label))
    assert set(result) == {"mn-eemland", "mn-utrecht-stad", "mn-lekstroom", "mn-utrecht-zuidoost", "mn-utrecht-west"}
    assert "Versterken mentale weerbaarheid en zelfredzaamheid" in result["mn-lekstroom"]
    assert {"Thema Preventie", "Thema Spoedzorg", "Actielijn Arbeidsmarkt", "Actielijn DNP"} <= result["mn-eemland"]
    assert len(result["mn-utrecht-stad"]) == 6


def test_preconditions_bottlenecks_and_work_agenda(project):
    query = """
    PREFIX iza: <https://w3id.org/iza-kg/def/>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?kind ?order ?label WHERE {
      { <%s> iza:hasPrecondition ?x BIND("rv" AS ?kind) }
      UNION { <%s> iza:hasSubItem ?x BIND("knelpunt" AS ?kind) }
      UNION { <%s> iza:hasWorkAgenda/iza:hasItem ?x BIND("wa" AS ?kind) }
      ?x iza:order ?order ; rdfs:label ?label FILTER(lang(?label) = "nl")
    } ORDER BY ?kind ?order""" % (PLAN, ID + "randvoorwaarde/mn-bekostiging", PLAN)
    rows = {}
    for kind, _, label in project.union_graph().query(query):
        rows.setdefault(str(kind), []).append(str(label))
    assert rows["rv"] == ["Betrokkenheid inwoners en patiënten in de regio", "Financiering - transformatiegelden",
                          "Financiering - bekostiging", "Duurzaamheid", "Regionale samenwerking", "Communicatie & marketing"]
    assert len(rows["knelpunt"]) == 8 and rows["knelpunt"][3] == "Gelijkgerichtheid tussen financiers is onvoldoende"
    assert len(rows["wa"]) == 13 and "Opstellen KPI’s per transformatie" in rows["wa"]


def test_the_eight_prioritised_transformations_are_told_apart_from_the_labour_market_ones(backend):
    """The plan's own transformations (B.2) are iza:Transformation; the seven it lists under the fundamental
    task Arbeidsmarkt are iza:TaskTransformation, so a query by class finds eight, not fifteen."""
    count = """SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE {
        ?item a ?class ; <http://www.w3.org/ns/prov#wasDerivedFrom> <https://w3id.org/iza-kg/id/brondocument/regioplan-midden-nederland> }"""
    def n(cls):
        query = count.replace("?class", f"<https://w3id.org/iza-kg/def/{cls}>")
        return int(backend.select(query).rows[0]["n"])
    assert (n("Transformation"), n("TaskTransformation")) == (8, 7)
    linked = backend.select(f"""SELECT ?t WHERE {{ <{PLAN}> <https://w3id.org/iza-kg/def/hasTransformation> ?t }}""").rows
    assert len(linked) == 8
