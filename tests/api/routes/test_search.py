"""GET /search, on both backends."""


def test_search_finds_labels_in_dutch_and_english(client):
    hits = client.get("/search", params={"q": "arbeidsmarkt"}).json()["data"]
    assert "https://w3id.org/iza-kg/id/fundamentele-opgave/mn-arbeidsmarkt" in {h["resource"] for h in hits}
    english = client.get("/search", params={"q": "labour market", "lang": "en"}).json()["data"]
    assert english and all(h["lang"] == "en" for h in english)


def test_search_text_is_bound_not_pasted(client):
    body = client.get("/search", params={"q": '") } DROP ALL #'}).json()
    assert body["count"] == 0


def test_search_needs_two_characters(client):
    assert client.get("/search", params={"q": "a"}).status_code == 422
