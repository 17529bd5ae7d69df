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
    numeric = {(r["kpiLabel"], r["value"], r["maxValue"], r["unit"], r["direction"].rsplit("/", 1)[-1])
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
    assert mrc["figureKind"] == "ten-minste"


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


def _select(project, query):
    prefixes = """
    PREFIX iza: <https://w3id.org/iza-kg/def/>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    """
    return [[None if v is None else str(v) for v in row] for row in project.union_graph().query(prefixes + query)]


def _actions(project, parent):
    rows = _select(project, """
    SELECT ?label ?order WHERE { <%s> iza:hasSubItem ?a . ?a a iza:Action ; iza:order ?order ; rdfs:label ?label
      FILTER(lang(?label) = "nl") } ORDER BY ?order""" % parent)
    return [label for label, _ in rows]


def test_every_approach_of_the_eight_transformations_lists_its_actions(project):
    rows = _select(project, """
    SELECT ?approach (COUNT(?action) AS ?n) WHERE {
      <%s> iza:hasTransformation/iza:hasSolutionDirection ?approach .
      OPTIONAL { ?approach iza:hasSubItem ?action . ?action a iza:Action }
    } GROUP BY ?approach""" % PLAN)
    counts = {a.rsplit("/", 1)[-1]: int(n) for a, n in rows}
    assert len(counts) == 22 and all(n > 0 for n in counts.values()), counts
    assert counts["mn-technologie-passende-zorg"] == 8 and counts["mn-proactieve-zorgplanning"] == 7


def test_hospitals_carry_out_concentration_and_distribution_of_medical_specialist_care(project):
    approach = ID + "aanpak/mn-concentratie-en-spreiding-msz"
    actions = _actions(project, approach)
    assert actions[0].startswith("Aansluiten op landelijke volumenormen: oprichten van een vaatchirurgisch netwerk")
    assert len(actions) == 3
    carriers = _select(project, """SELECT DISTINCT ?org WHERE { <%s> iza:hasSubItem/iza:carriedOutBy ?org }""" % approach)
    assert carriers == [[ID + "organisatie/mn-vier-ziekenhuizen"]]


def test_round_the_clock_temporary_stay_is_still_to_be_investigated(project):
    [[label, status, why]] = _select(project, """
    SELECT ?label ?status ?why WHERE { <%s> iza:hasSubItem ?a . ?a iza:status ?status ; iza:statusDescription ?why ;
      rdfs:label ?label }""" % (ID + "aanpak/mn-ouderenzorg-differentieren"))
    assert label.startswith("Concentreren en 24/7 beschikbaarheid")
    assert status == ID + "status/nog-niet-vastgesteld"
    assert "07:00-22:00" in why


def test_six_challenges_of_the_region_profile_and_the_places_they_name(project):
    rows = _select(project, """
    SELECT ?label ?place WHERE { <%s> iza:hasComponent ?f . ?f a iza:Finding ; rdfs:label ?label ;
      iza:scopeNote ?scope . OPTIONAL { ?f iza:concerns ?place } FILTER(lang(?label) = "nl") }""" % PLAN)
    challenges = {}
    for label, place in rows:
        challenges.setdefault(label, set()).add(place and place.rsplit("/", 1)[-1])
    assert len(challenges) == 6
    assert challenges["Jongeren zijn in toenemende mate kwetsbaar"] == {"nieuwegein", "utrecht", "houten", "amersfoort"}
    assert challenges["Mentale gezondheid van jongeren en (jong)volwassenen vraagt aandacht"] == {"utrecht", "amersfoort", "zeist"}


def test_route_dates_regiobeeld_june_2023_plan_december_2023_execution_2024_2026(project):
    rows = _select(project, """
    SELECT ?label ?start ?end WHERE { <%s> iza:hasStep ?s . ?s iza:endDate ?end ; rdfs:label ?label
      OPTIONAL { ?s iza:startDate ?start } FILTER(lang(?label) = "nl") }""" % PLAN)
    assert sorted(rows) == [["Regiobeeld", None, "2023-06"], ["Regioplan", None, "2023-12"],
                            ["Uitvoering-werkagenda met evaluatie & monitoring", "2024", "2026"]]


def test_rapid_test_agreements_insurers_assess_municipalities_have_no_formal_role(project):
    rows = _select(project, """
    SELECT ?order ?label ?assessor WHERE { <%s> iza:hasAgreement ?a . ?a iza:agreementSolution <%s> ; iza:order ?order ;
      rdfs:label ?label OPTIONAL { ?a iza:assessedByDescription ?assessor } FILTER(lang(?label) = "nl") } ORDER BY ?order"""
                   % (PLAN, ID + "randvoorwaarde/mn-snelle-toets"))
    assert len(rows) == 5
    assert "géén garantie voor goedkeuring" in rows[1][1]
    assert rows[3][2] == "De eerste en tweede marktleider zorgverzekeraars"
    assert "gemeenten formeel geen rol" in rows[3][1]


def test_regional_governance_is_not_yet_decided_ready_q1_first_evaluation_q4_2024(project):
    governance = ID + "governance/mn-regionale-governance"
    [[status]] = _select(project, "SELECT ?s WHERE { <%s> iza:status ?s }" % governance)
    assert status == ID + "status/nog-niet-vastgesteld"
    quarters = {q.rsplit("/", 1)[-1] for [q] in _select(project, "SELECT ?q WHERE { <%s> iza:hasStep/iza:finishedBy ?q }" % governance)}
    assert quarters == {"2024-q1", "2024-q4"}
    principles = _select(project, "SELECT ?p WHERE { <%s> iza:hasSubItem ?p . ?p a iza:Principle }" % governance)
    assert len(principles) == 6


def test_monitoring_has_four_steps_and_reports_quarterly(project):
    steps = _select(project, """
    SELECT ?label ?step WHERE { <%s> iza:hasStep ?step . ?step iza:order ?o ; rdfs:label ?label } ORDER BY ?o"""
                    % (ID + "monitoring/mn-monitoring"))
    assert [label for label, _ in steps] == ["Identificatie & voorbereiding", "Dataverzameling & organisatie",
                                             "Monitoring & communicatie", "Evaluatie & bijsturing"]
    assert any("ieder kwartaal" in a for a in _actions(project, steps[2][1]))


def test_the_separate_regioplan_acute_zorg_runs_2024_2026_with_the_acute_care_network(project):
    [[start, end, partner, known]] = _select(project, """
    SELECT ?start ?end ?partner ?known WHERE { <%s> <http://purl.org/dc/terms/relation> ?p .
      ?p a iza:Plan ; iza:startDate ?start ; iza:endDate ?end ; iza:carriedOutBy ?partner ; iza:knownOnlyFrom ?known }"""
                                             % (ID + "opgave/mn-acute-zorg"))
    assert (start, end) == ("2024", "2026")
    assert partner == ID + "organisatie/mn-nazmn"
    assert known == ID + "brondocument/regioplan-midden-nederland"


def test_lekstroom_works_with_chain_partners_through_werkplaats_lekstroom(project):
    rows = _select(project, """
    SELECT ?label WHERE { ?action iza:carriedOutBy <%s> ; iza:inArea <%s> ; rdfs:label ?label }"""
                   % (ID + "organisatie/mn-werkplaats-lekstroom", ID + "subregio/mn-lekstroom"))
    assert rows == [["Versterken samenwerking ketenpartners via Werkplaats Lekstroom"]]


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
