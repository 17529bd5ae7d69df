"""GET /frameworks and /frameworks/{slug}, on both backends."""


def test_frameworks_include_the_national_schemes(client):
    slugs = {f["slug"]: f for f in client.get("/frameworks").json()["data"]}
    assert {"iza-criteria", "vng-werkagenda", "ketenaanpakken", "gala-doelen"} <= set(slugs)
    assert slugs["vng-werkagenda"]["concepts"] == 6  # N2: six tasks


def test_vng_tasks_with_the_regions_that_address_them(client):
    body = client.get("/frameworks/vng-werkagenda").json()
    assert len(body["items"]) == 6
    assert any("noord-en-midden-limburg" in item["regions"] for item in body["items"])


def test_unknown_framework_is_404(client):
    response = client.get("/frameworks/nope")
    assert response.status_code == 404 and "vng-werkagenda" in response.json()["known"]
