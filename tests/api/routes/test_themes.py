"""GET /themes and /themes/{slug}, on both backends."""


def test_themes_list_the_17_comparison_themes(client):
    body = client.get("/themes").json()
    assert body["count"] == 17
    labour = next(t for t in body["data"] if t["slug"] == "arbeidsmarkt")
    assert labour["label"] == "Arbeidsmarkt en personeel" and labour["regions"] == 3
    assert "editorial" in body["note"]


def test_theme_detail_names_regions_and_their_items(client):
    body = client.get("/themes/arbeidsmarkt").json()
    regions = {r["slug"]: r for r in body["regions"]}
    assert set(regions) == {"gooi-en-vechtstreek", "midden-nederland", "noord-en-midden-limburg"}  # X3
    labels = {i["label"] for r in regions.values() for i in r["items"]}
    assert "Arbeidsmarkt" in labels  # M4: fundamental task Arbeidsmarkt


def test_unknown_theme_is_404_with_known_slugs(client):
    response = client.get("/themes/weer")
    assert response.status_code == 404 and "arbeidsmarkt" in response.json()["known"]


def test_theme_as_csv(client):
    response = client.get("/themes/arbeidsmarkt", params={"format": "csv"})
    assert response.text.splitlines()[0].startswith("regionSlug,regionLabel,item")
