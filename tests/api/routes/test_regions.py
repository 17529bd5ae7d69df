"""GET /regions, /regions/{slug} and its sections, on both backends."""

import csv
import io

MODELLED = {"gooi-en-vechtstreek", "midden-nederland", "noord-en-midden-limburg"}
GV, MN, NML = sorted(MODELLED)


def by_slug(client):
    return {r["slug"]: r for r in client.get("/regions").json()["data"]}


def test_regions_lists_the_three_modelled_regions_with_counts(client):
    body = client.get("/regions").json()
    regions = {r["slug"]: r for r in body["data"]}
    assert set(regions) == MODELLED and body["count"] == 3
    assert regions[MN]["cbsCode"] == "ZK23" and regions[NML]["cbsCode"] == "ZK17" and regions[GV]["cbsCode"] == "ZK21"
    assert regions[MN]["counts"]["transformations"] == 8  # M3: eight prioritised transformations
    assert regions[GV]["counts"]["transformations"] == 5  # G2: five transformations
    assert regions[NML]["counts"]["municipalities"] == 14  # L1: fourteen municipalities
    assert regions[MN]["counts"]["municipalities"] == 21  # the municipalities the plan names
    assert all(r["modelled"] for r in regions.values())


def test_regions_are_named_as_their_plans_name_them_never_as_a_municipality(client):
    assert {slug: r["label"] for slug, r in by_slug(client).items()} == {
        GV: "Gooi en Vechtstreek", MN: "Midden-Nederland", NML: "Noord- en Midden-Limburg"}
    everything = {r["slug"]: r["label"] for r in client.get("/regions", params={"all": "true"}).json()["data"]}
    assert everything["amsterdam"] == "zorgkantoorregio Amsterdam"  # a municipality is called Amsterdam
    assert everything["twente"] == "Twente"  # no municipality is: the CBS name stays
    assert "Utrecht" not in everything.values()


def test_regions_state_their_funding(client):
    regions = by_slug(client)
    nml = {(round(f["amount"]), f["figureKind"], f["timeBasis"]) for f in regions[NML]["funding"] if f.get("amount")}
    assert (4747850, "exact", "per-jaar") in nml  # L4/X2: SPUK-IZA EUR 4,747,850 per year
    assert (4747850, "exact", "totaal-over-periode") in nml  # L4: the 2024 budget's total
    gv = {(round(f["amount"]), f["figureKind"], f["timeBasis"]) for f in regions[GV]["funding"] if f.get("amount")}
    assert gv == {(1750000, "maximaal", "per-jaar")}  # G4: at most EUR 1.75 million per year


def test_all_lists_the_31_zorgkantoorregios(client):
    body = client.get("/regions", params={"all": "true"}).json()
    assert body["count"] == 31
    amsterdam = next(r for r in body["data"] if r["slug"] == "amsterdam")
    assert amsterdam["modelled"] is False and amsterdam["counts"]["plans"] == 0


def test_regions_as_csv(client):
    response = client.get("/regions", headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["slug"] for r in rows} == MODELLED
    assert next(r for r in rows if r["slug"] == MN)["transformations"] == "8"


def test_profile_has_every_section(client):
    body = client.get(f"/regions/{MN}").json()
    assert body["region"]["slug"] == MN
    sections = body["sections"]
    for name in ("plans", "municipalities", "partners", "challenges", "transformations", "priority-tasks",
                 "preconditions", "funding", "kpis", "governance", "key-figures"):
        assert name in sections and name in body["queries"]
    assert {row["plan"] for row in sections["plans"]} == {  # and the acute-care plan it hands off to (002)
        "https://w3id.org/iza-kg/id/plan/regioplan-midden-nederland",
        "https://w3id.org/iza-kg/id/plan/regioplan-acute-zorg-midden-nederland"}
    assert len({row["transformation"] for row in sections["transformations"]}) == 8
    assert body["queries"]["transformations"] == "plan-transformations"


def test_profile_of_a_region_without_plans_is_empty_not_an_error(client):
    body = client.get("/regions/amsterdam").json()
    assert body["region"]["modelled"] is False
    assert all(rows == [] for rows in body["sections"].values())


def test_transformations_section_in_plan_order(client):
    body = client.get(f"/regions/{GV}/transformations").json()
    labels = list(dict.fromkeys(row["transformationLabel"] for row in body["data"]))
    assert labels == ["Zelf- en Samenredzame inwoner", "Krachtige gemeenschap", "Ondersteuning nabij", "Passend aanbod",
                      "Het mogelijk maken van de beweging"]  # G2
    directions = {row.get("directionLabel") for row in body["data"] if row["transformationLabel"] == "Ondersteuning nabij"}
    assert {"Wijkgericht werken", "Aanvullende expertisenetwerken"} <= directions  # G3


def test_section_as_csv(client):
    response = client.get(f"/regions/{NML}/funding", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert any(r["amount"] == "4747850" and r["timeBasis"] == "per-jaar" for r in rows)


def test_unknown_region_is_404_with_the_known_slugs(client):
    response = client.get("/regions/atlantis")
    assert response.status_code == 404
    body = response.json()
    assert "atlantis" in body["detail"] and MODELLED <= set(body["known"])


def test_unknown_section_and_malformed_slug_are_422(client):
    assert client.get(f"/regions/{MN}/weather").status_code == 422
    assert client.get("/regions/Not_A_Slug").status_code == 422


def test_the_profile_lists_the_municipalities_of_region_and_plans(client):
    """The fourteen Limburg municipalities, each once; Gooi's seven from the collaboration agenda."""
    limburg = client.get("/regions/noord-en-midden-limburg/municipalities").json()
    rows = limburg["data"] if isinstance(limburg, dict) else limburg
    labels = sorted(r["label"] for r in rows)
    assert len(labels) == 14 and "Venlo" in labels and "Bergen (L)" in labels
    gooi = client.get("/regions/gooi-en-vechtstreek/municipalities").json()
    rows = gooi["data"] if isinstance(gooi, dict) else gooi
    assert {"Blaricum", "Eemnes", "Gooise Meren", "Hilversum", "Huizen", "Laren", "Wijdemeren"} <= {r["label"] for r in rows}


def test_the_profile_key_figures_are_the_figures_stated_for_the_region(client):
    """Key figures: observations about the region itself, its subregions and its plans (docs/api.md). The three
    modelled regions state no figures per municipality, so their key figures are all their observations."""
    expected = {GV: 17, MN: 24, NML: 4}  # NML: 2,100 in 2023; 10 %, 4,500 and (worse scenario) 6,700 in 2032
    for slug, count in expected.items():
        body = client.get(f"/regions/{slug}").json()
        assert body["queries"]["key-figures"] == "region-key-figures"
        figures = body["sections"]["key-figures"]
        assert len(figures) == count, slug
        observations = client.get(f"/regions/{slug}/observations").json()
        assert observations["query"] == "region-observations" and observations["count"] == count
        assert sorted(map(repr, observations["data"])) == sorted(map(repr, figures))
    gv = client.get(f"/regions/{GV}").json()["sections"]["key-figures"]
    population = {(r["refYear"], r["value"]) for r in gv if r["indicatorNotation"] == "bevolking" and r["unit"].endswith("/NUM")}
    assert {("2020", 257000), ("2050", 272000)} <= population  # G6: 257,000 inhabitants in 2020, 272,000 in 2050


def test_the_profile_links_the_observations_it_does_not_embed(client):
    body = client.get(f"/regions/{NML}").json()
    assert body["elsewhere"] == {"observations": f"/regions/{NML}/observations"}
    assert "observations" not in body["sections"] and "observations" not in body["queries"]
    assert client.get(body["elsewhere"]["observations"]).status_code == 200


def test_an_empty_section_as_csv_has_the_query_columns_without_the_region_parameter(client):
    response = client.get("/regions/amsterdam/themes", params={"format": "csv"})
    header = response.text.splitlines()[0].split(",")
    assert header[:2] == ["theme", "themeNotation"] and "region" not in header
