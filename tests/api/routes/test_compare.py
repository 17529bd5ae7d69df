"""GET /compare, on both backends."""

import csv
import io

THREE = "gooi-en-vechtstreek,midden-nederland,noord-en-midden-limburg"
ZILVEREN_KRUIS = "https://w3id.org/iza-kg/id/organisatie/zilveren-kruis"
VGZ = "https://w3id.org/iza-kg/id/organisatie/vgz"
LABOUR_MARKET = "https://w3id.org/iza-kg/id/thema/arbeidsmarkt"


def test_compare_all_aspects_side_by_side(client):
    body = client.get("/compare", params={"regions": THREE}).json()
    assert [r["slug"] for r in body["regions"]] == THREE.split(",")
    assert set(body["aspects"]) == {"themes", "funding", "kpis", "partners", "governance", "frameworks"}
    themes = {t["theme"]: t for t in body["themes"]}
    labour = themes[LABOUR_MARKET]["regions"]
    assert all(labour[slug] for slug in THREE.split(","))  # X3: all three address the labour market
    assert all(item.get("sourceQuote") for items in labour.values() for item in items)


def test_partners_line_up_shared_insurers(client):
    body = client.get("/compare", params={"regions": THREE, "aspects": "partners"}).json()
    partners = {p["organisation"]: p["regions"] for p in body["partners"]}
    # X1: Zilveren Kruis in Gooi en Vechtstreek and Midden-Nederland; VGZ preferent insurer in Noord- en Midden-Limburg
    assert partners[ZILVEREN_KRUIS]["gooi-en-vechtstreek"] and partners[ZILVEREN_KRUIS]["midden-nederland"]
    assert "preferente zorgverzekeraar" in partners[VGZ]["noord-en-midden-limburg"]
    assert "themes" not in body


def test_funding_streams_by_region_with_amounts(client):
    body = client.get("/compare", params={"regions": "gooi-en-vechtstreek,noord-en-midden-limburg", "aspects": "funding"}).json()
    spuk = next(f for f in body["funding"] if f.get("stream", "").endswith("/spuk-iza"))
    nml = [(a.get("amount"), a.get("figureKind"), a.get("timeBasis")) for a in spuk["regions"]["noord-en-midden-limburg"]]
    gv = [(a.get("amount"), a.get("figureKind"), a.get("timeBasis")) for a in spuk["regions"]["gooi-en-vechtstreek"]]
    # X2: both state a yearly SPUK-IZA amount, read the same way; NML's is exact, Gooi en Vechtstreek's a maximum
    assert (4747850, "exact", "per-jaar") in nml and (1750000, "maximaal", "per-jaar") in gv


def test_kpis_counted_per_region(client):
    body = client.get("/compare", params={"regions": "midden-nederland,gooi-en-vechtstreek", "aspects": "kpis"}).json()
    assert body["kpis"]["midden-nederland"]["kpis"] >= 1
    assert body["kpis"]["midden-nederland"]["kpis"] == len({k["kpi"] for k in body["kpis"]["midden-nederland"]["items"]})


def test_compare_one_aspect_as_csv(client):
    response = client.get("/compare", params={"regions": THREE, "aspects": "themes"}, headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["region"] for r in rows if r["theme"] == LABOUR_MARKET} == set(THREE.split(","))
    assert client.get("/compare", params={"regions": THREE, "format": "csv"}).status_code == 422  # CSV needs one aspect


def test_compare_errors(client):
    assert client.get("/compare", params={"regions": "midden-nederland"}).status_code == 422
    assert client.get("/compare", params={"regions": THREE, "aspects": "weather"}).status_code == 422
    assert client.get("/compare", params={"regions": "midden-nederland,DROP TABLE"}).status_code == 422
    missing = client.get("/compare", params={"regions": "midden-nederland,atlantis"})
    assert missing.status_code == 404 and "midden-nederland" in missing.json()["known"]


def region_slice(body: dict, slug: str) -> dict:
    """What a comparison says about one region, aspect by aspect (rows with nothing for it left out)."""
    return {
        "themes": {t["theme"]: t["regions"][slug] for t in body["themes"] if t["regions"][slug]},
        "funding": {f.get("stream"): f["regions"][slug] for f in body["funding"] if f["regions"][slug]},
        "kpis": body["kpis"][slug],
        "partners": {p["organisation"]: p["regions"][slug] for p in body["partners"] if p["regions"][slug]},
        "governance": body["governance"][slug],
        "frameworks": {f["concept"]: f["regions"][slug] for f in body["frameworks"] if f["regions"][slug]},
    }


def test_comparing_n_regions_says_of_each_what_comparing_it_alone_with_another_says(client):
    """/compare asks each aspect once for all the chosen regions; each region's part must not depend on the others."""
    slugs = THREE.split(",")
    together = client.get("/compare", params={"regions": THREE}).json()
    for slug in slugs:
        other = next(s for s in slugs if s != slug)
        pair = client.get("/compare", params={"regions": f"{slug},{other}"}).json()
        assert region_slice(together, slug) == region_slice(pair, slug), slug
    assert all(region_slice(together, slug)["themes"] for slug in slugs)


def test_the_csv_of_a_comparison_names_each_region_by_slug(client):
    response = client.get("/compare", params={"regions": THREE, "aspects": "kpis", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows and {r["region"] for r in rows} <= set(THREE.split(","))  # the slug, not the IRI the query projects
