"""GET /search, /search/index and POST /search/refresh, on both backends (the embedded store and a real
Oxigraph server), and the refresh of a remote server's index after its graph changed."""

import csv
import io

import httpx
import pytest

from app.api.routes import search as search_route
from app.core.publish import graph_store_url


def test_a_search_answers_with_hits_facets_and_paging_headers(client):
    response = client.get("/search", params={"q": "valpreventie", "pageSize": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == int(response.headers["x-total-count"]) > 2 and len(body["data"]) == 2
    assert 'rel="next"' in response.headers["link"] and 'rel="last"' in response.headers["link"]
    regions = {f["key"] for f in body["facets"]["region"]}
    assert len(regions) >= 2
    hit = next(h for h in body["data"] if h["region"])
    assert hit["resource"].startswith("https://w3id.org/iza-kg/id/") and hit["label"] and hit["type"]["label"]
    assert "<mark>" in hit["snippet"] and "valpreventie" in hit["text"].lower()
    assert hit["links"]["page"].startswith("/id/")
    assert hit["document"] is None or hit["links"]["document"] == hit["document"]["iri"]


def test_the_next_page_link_gives_the_next_hits(client):
    first = client.get("/search", params={"q": "zorg", "pageSize": 5})
    next_url = next(part.split(">")[0].lstrip(" <") for part in first.headers["link"].split(",") if 'rel="next"' in part)
    second = client.get(next_url)
    assert second.json()["page"] == 2
    assert not {h["resource"] for h in first.json()["data"]} & {h["resource"] for h in second.json()["data"]}


def test_filters_narrow_to_one_region(client):
    body = client.get("/search", params={"q": "zorg", "region": "midden-nederland"}).json()
    assert body["total"] and all(any(r["key"] == "midden-nederland" for r in h["regions"]) for h in body["data"])
    assert body["filters"]["region"] == ["midden-nederland"]


def test_csv_has_one_row_per_hit(client):
    response = client.get("/search", params={"q": "wachtlijsten", "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == int(response.headers["x-total-count"]) > 0
    assert all(r["region"] == "noord-en-midden-limburg" and "wachtlijst" in r["text"].lower() for r in rows)
    assert all(r["passage"].startswith("/sources/") for r in rows if r["document"])


def test_a_hit_links_to_the_passage_of_its_source_document(client):
    """The passage is a sentence the document's page marks as cited (tests/search/test_passages.py: by the
    hit's resource)."""
    pages: dict[str, str] = {}
    hits = [h for h in client.get("/search", params={"q": "wachtlijsten"}).json()["data"] if h["passages"]]
    assert hits, "sentences about waiting lists are quoted from document 004"
    for hit in hits:
        assert hit["links"]["passage"] == hit["passages"][0]["path"]
        for passage in hit["passages"]:
            assert passage["document"] in {d["iri"] for d in hit["documents"]}
            page, anchor = passage["path"].split("#")
            pages.setdefault(page, client.get(page).text)
            assert f'id="{anchor}" class="s s-cited" data-line="{passage["line"]}"' in pages[page]


@pytest.mark.parametrize("q, problem", [
    ('"positieve gezondheid', "unclosed-quote"),
    ("mantel*zorg", "misplaced-star"),
    ("zorg " * 41, "too-long"),
    ("", "no-words"),
    ('") } UNION { ?resource ?p ?label } #', "unclosed-quote"),
])
def test_a_bad_query_is_400_naming_the_problem(client, q, problem):
    response = client.get("/search", params={"q": q})
    assert response.status_code == 400
    body = response.json()
    assert body["problem"] == problem and body["q"] == q and "search query" in body["detail"]


def test_fts5_syntax_is_searched_as_words_not_run(client):
    response = client.get("/search", params={"q": "NEAR(wachtlijst zorg) quotes:zorg"})
    assert response.status_code == 200


def test_an_unknown_filter_value_is_422_with_the_known_ones(client):
    response = client.get("/search", params={"q": "zorg", "region": "atlantis"})
    assert response.status_code == 422 and "midden-nederland" in response.json()["known"]


def test_the_index_tells_its_size(client):
    body = client.get("/search/index").json()
    assert body["resources"] > 1000 and body["memory_bytes"] > 0


WORD = "zoekproefwoordje"
EXTRA_GRAPH = "https://w3id.org/iza-kg/graph/test/search-refresh"


def test_a_remote_index_is_refreshed_on_request(clients, oxigraph_endpoint, monkeypatch):
    """The API cannot see a remote graph change: the index is read again on POST /search/refresh."""
    monkeypatch.setattr(search_route, "REFRESH_INTERVAL_S", 0)
    remote = clients["remote"]
    store = graph_store_url(oxigraph_endpoint)
    turtle = f'<https://w3id.org/iza-kg/id/test/proef> <http://www.w3.org/2000/01/rdf-schema#label> "{WORD}"@nl .'
    assert remote.get("/search", params={"q": WORD}).json()["total"] == 0
    httpx.put(store, params={"graph": EXTRA_GRAPH}, content=turtle, headers={"content-type": "text/turtle"}).raise_for_status()
    try:
        assert remote.get("/search", params={"q": WORD}).json()["total"] == 0  # not yet read
        refreshed = remote.post("/search/refresh")
        assert refreshed.status_code == 200 and refreshed.json()["backend"] == "remote"
        hits = remote.get("/search", params={"q": WORD}).json()["data"]
        assert [h["resource"] for h in hits] == ["https://w3id.org/iza-kg/id/test/proef"]
    finally:
        httpx.delete(store, params={"graph": EXTRA_GRAPH}).raise_for_status()
        remote.post("/search/refresh")
    assert remote.get("/search", params={"q": WORD}).json()["total"] == 0


def test_refresh_is_refused_right_after_a_build(client):
    client.post("/search/refresh")
    response = client.post("/search/refresh")
    assert response.status_code == 429 and response.json()["retry_after_s"] > 0
