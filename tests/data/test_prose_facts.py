"""Issue 16, item 7: facts that the documents state in prose are triples, the same way in every region.

Each test asks an analyst's question through one named query for all regions; the answers are the
documents' (004 § 4.1-4.2 and § 5, 002 ch. D-E and the glossary, 000 "Kanttekeningen", 001, 003 ch. 2).
"""

from app.results import rows

ID = "https://w3id.org/iza-kg/id/"
GV, MN, NML = (ID + "regio/" + r for r in ("gooi-en-vechtstreek", "midden-nederland", "noord-en-midden-limburg"))


def short(iri):
    return iri.removeprefix(ID) if iri else iri


def test_which_items_the_ggd_leads_in_every_region(run_query):
    # Only 004 gives the GGD a lead ("De regie en coördinatie op regionaal niveau is belegd bij de GGD");
    # 003 only involves it, 002 names the GGD region only as an area.
    led = {(r["region"], short(r["item"])) for r in run_query("item-roles")
           if r["roleNotation"] == "coordinator" and not r["denied"] and r["agentLabel"] == "GGD"}
    assert led == {(NML, "aanpak/nml-kansrijke-start")}


def test_which_roles_documents_explicitly_deny(run_query):
    denied = {(r["region"], short(r["item"]), short(r["agent"]), r["roleNotation"])
              for r in run_query("item-roles") if r["denied"]}
    bodies = {(region, item, agent, role) for region, item, agent, role in denied if not agent.startswith("gemeente/")}
    assert bodies == {
        (MN, "randvoorwaarde/mn-snelle-toets", "orgaan/mn-bestuurlijke-netwerktafel", "goedkeurder"),  # "geen goedkeuring"
        (GV, "plan/regioplan-gooi-en-vechtstreek", "orgaan/gv-gemeenteraden-regiogemeenten", "goedkeurder"),  # 000
    }
    municipalities = {(region, item, role) for region, item, agent, role in denied if agent.startswith("gemeente/")}
    assert municipalities == {
        (MN, "randvoorwaarde/mn-snelle-toets", "beoordelaar-transformatieplannen"),  # "formeel geen rol"
        (NML, "werkagendapunt/nml-onderdeel-5", "coordinator"),  # "maar niet het voortouw nemen"
    }
    assert len({a for _, i, a, _ in denied if i == "werkagendapunt/nml-onderdeel-5"}) == 14


def test_a_denied_role_is_never_listed_as_a_role(run_query):
    rows = run_query("region-partners-by-role", region=MN)
    assert ("Bestuurlijke netwerktafel", "goedkeurder") not in {(r["organisationLabel"], r["roleNotation"]) for r in rows}


def test_who_approves_in_every_region(run_query):
    approvers = {(r["region"], short(r["item"]), short(r["agent"])) for r in run_query("item-roles")
                 if r["roleNotation"] == "goedkeurder" and not r["denied"]}
    assert {
        (NML, "plan/uitvoeringsplan-iza-noord-en-midden-limburg-2024", "orgaan/nml-pho-iza"),
        (NML, "werkagendapunt/nml-aanvullende-plannen", "orgaan/nml-kerngroep-iza"),
        (GV, "plan/samenwerkingsagenda-gooi-en-vechtstreek", "orgaan/gv-bestuurlijk-overleg-zilveren-kruis-gemeenten"),
        (GV, "plan/regioplan-gooi-en-vechtstreek", "orgaan/gv-colleges-regiogemeenten"),
    } <= approvers
    # the network table endorsed the plan's course, but does not approve transformation-fund applications
    assert (MN, "plan/regioplan-midden-nederland", "orgaan/mn-bestuurlijke-netwerktafel") in approvers
    assert (MN, "randvoorwaarde/mn-snelle-toets", "orgaan/mn-bestuurlijke-netwerktafel") not in approvers


def test_which_dates_are_only_known_to_the_quarter(run_query):
    rows = [r for r in run_query("dates-with-precision") if r["precisionNotation"] == "kwartaal"]
    assert {r["region"] for r in rows} == {GV, MN}
    assert len([r for r in rows if r["region"] == GV]) == 18  # the poster's steps, "(afgerond Q1)", "(start vanaf Q2)"
    assert all(r["dateProperty"].endswith(("/startsIn", "/finishedBy")) and r["date"].startswith("Q") for r in rows)


def test_dates_vaguer_than_a_year_keep_their_year_and_name_their_precision(run_query):
    vague = {(short(r["item"]), r["date"], r["precisionNotation"]) for r in run_query("dates-with-precision")
             if r["precisionNotation"] != "kwartaal"}
    assert vague == {
        ("kpi/mn-kpis-per-transformatie", "2024", "halverwege"),
        ("governance/gv-governancestructuur-gezond-gooi", "2024", "begin-van"),
        ("stap/gv-samenwerkingsagenda-herziening-visie", "2027", "halverwege"),
        ("werkagendapunt/nml-onderdeel-6", "2024", "in-de-loop-van"),
        ("werkagendapunt/nml-extra-inzet-regioplan", "2024", "in-de-loop-van"),
        ("werkagendapunt/nml-aanvullende-plannen", "2024", "in-de-loop-van"),
        ("toekenning/nml-spuk-transformatiemiddelen", "2024", "in-de-loop-van"),
        ("financieringsstroom/spuk-transformatiemiddelen", "2024", "in-de-loop-van"),
    }


def select(backend, query):
    return rows(backend.select(query, {}))


def test_which_plan_parts_are_adopted_but_not_yet_worked_out(run_query):
    rows = run_query("item-elaboration")
    outline = {(r["region"], short(r["item"])) for r in rows if r["levelNotation"] == "op-hoofdlijnen"}
    assert (NML, "begroting/nml-2024") in outline  # "een globale begroting"
    assert (GV, "plan/regioplan-gooi-en-vechtstreek") in outline
    assert len([i for region, i in outline if i.startswith("transformatie/gv-")]) == 5
    to_do = {short(r["item"]) for r in rows if r["levelNotation"] == "nog-uit-te-werken"}
    assert {"kpi/mn-kpis-per-transformatie", "werkagendapunt/nml-onderdeel-6"} <= to_do
    assert (MN, "plan/regioplan-midden-nederland", "in-uitwerking") in {
        (r["region"], short(r["item"]), r["levelNotation"]) for r in rows}


def test_what_plans_hand_off_and_what_regions_add_beyond_a_national_minimum(run_query):
    links = {(r["region"], short(r["item"]), r["relation"].rsplit("/", 1)[1], short(r["target"]))
             for r in run_query("plan-hand-offs")}
    assert links == {
        (MN, "opgave/mn-acute-zorg", "handsOffTo", "plan/regioplan-acute-zorg-midden-nederland"),
        (MN, "randvoorwaarde/mn-duurzaamheid", "handsOffTo", "akkoord/green-deal-duurzame-zorg-3"),
        (NML, "werkagendapunt/nml-extra-inzet-regioplan", "handsOffTo", "plan/regioplan-noord-en-midden-limburg"),
        (None, "akkoord/iza", "handsOffTo", "akkoord/gala"),
        (GV, "plan-thema/gv-jeugd-en-zijn-omgeving", "extendsMinimumOf", "akkoord/zn-vng-samenwerkingsagenda-2019"),
    }


def test_every_region_starts_from_positive_health(run_query):
    rows = run_query("plan-guiding-principles")
    assert {r["region"] for r in rows if r["ideaNotation"] == "positieve-gezondheid"} == {GV, MN, NML}
    assert sorted(r["principleLabel"] for r in rows if r["region"] == MN and not r["idea"]) == [
        "Hulp waar nodig", "Passende zorg waar noodzakelijk", "Voorkomen waar mogelijk", "Zelf waar dit kan"]


def test_which_funding_preconditions_and_cost_rules_draw_on(backend):
    query = """PREFIX iza: <https://w3id.org/iza-kg/def/>
    SELECT ?item ?stream WHERE { ?item iza:fundingStream ?stream ; a ?class .
      VALUES ?class { iza:Precondition iza:WorkAgendaItem iza:Approach } }"""
    found = {(short(r["item"]), short(r["stream"])) for r in select(backend, query)}
    assert {
        ("randvoorwaarde/gv-gemeentelijk-4", "financieringsstroom/transformatiemiddelen"),
        ("randvoorwaarde/mn-snelle-toets", "financieringsstroom/transformatiemiddelen"),
        ("aanpak/nml-kansrijke-start", "financieringsstroom/spuk-iza"),
        ("werkagendapunt/nml-aanvullende-plannen", "financieringsstroom/spuk-iza"),
    } <= found
