"""Security headers on HTML, CORS only for the read-only data paths, one access-log line per request, /health."""

from __future__ import annotations

import logging
import re

import pytest

ORIGIN = {"origin": "https://elsewhere.example"}


@pytest.mark.parametrize("path", ["/", "/regio/midden-nederland", "/vergelijk", "/sparql-editor", "/def/",
                                  "/doc/regio/gooi-en-vechtstreek"])
def test_html_pages_carry_the_security_headers(client, path):
    response = client.get(path, headers={"accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy and "http" not in policy  # only the app's own assets
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_the_sparql_editor_uses_only_its_own_scripts(client):
    page = client.get("/sparql-editor", headers={"accept": "text/html"}).text
    sources = re.findall(r'<script[^>]*\bsrc="([^"]+)"', page)
    assert sources and all(src.startswith("/static/") for src in sources)


def test_swagger_ui_may_load_its_cdn_and_its_inline_script_is_hashed(client):
    policy = client.get("/docs").headers["content-security-policy"]
    assert "https://cdn.jsdelivr.net" in policy and "'sha256-" in policy and "'unsafe-inline'" not in policy.split(";")[1]


@pytest.mark.parametrize("path", ["/regions", "/sparql?query=ASK%20%7B%7D", "/queries/regions", "/health",
                                  "/doc/regio/gooi-en-vechtstreek"])
def test_cors_allows_any_origin_on_the_data_without_credentials(client, path):
    response = client.get(path, headers={**ORIGIN, "accept": "application/json"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    assert "X-Total-Count" in response.headers["access-control-expose-headers"]


def test_a_query_may_be_posted_from_another_origin(client):
    preflight = client.options("/sparql", headers={**ORIGIN, "access-control-request-method": "POST",
                                                   "access-control-request-headers": "content-type"})
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert preflight.headers["access-control-allow-methods"] == "GET, HEAD, POST"
    assert "Content-Type" in preflight.headers["access-control-allow-headers"]
    assert "access-control-allow-credentials" not in preflight.headers


@pytest.mark.parametrize("method, path", [("DELETE", "/sparql"), ("PUT", "/sparql"), ("POST", "/regions"),
                                          ("GET", "/regio/midden-nederland"), ("GET", "/vergelijk")])
def test_and_nothing_more(client, method, path):
    preflight = client.options(path, headers={**ORIGIN, "access-control-request-method": method})
    assert preflight.status_code == 403
    assert "access-control-allow-origin" not in preflight.headers
    assert preflight.json()["detail"].startswith("CORS:")


def test_html_pages_get_no_cors_headers(client):
    response = client.get("/regio/midden-nederland", headers={**ORIGIN, "accept": "text/html"})
    assert "access-control-allow-origin" not in response.headers


def test_one_log_line_per_request_with_method_path_status_duration_and_query_hash(client, caplog):
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    with caplog.at_level(logging.INFO, logger="iza_kg.access"):
        client.get("/sparql", params={"query": query})
        client.post("/sparql", content=query, headers={"content-type": "application/sparql-query"})
        client.post("/sparql", data={"query": query})
        client.get("/regions/nowhere")
    lines = [r.getMessage() for r in caplog.records if r.name == "iza_kg.access"]
    assert len(lines) == 4
    fields = [dict(part.split("=", 1) for part in line.split()) for line in lines]
    assert [(f["method"], f["path"], f["status"]) for f in fields] == [
        ("GET", "/sparql", "200"), ("POST", "/sparql", "200"), ("POST", "/sparql", "200"), ("GET", "/regions/nowhere", "404")]
    assert all(float(f["duration_ms"]) >= 0 for f in fields)
    assert fields[0]["query_hash"] == fields[1]["query_hash"] == fields[2]["query_hash"] != "-"
    assert len(fields[0]["query_hash"]) == 12 and query not in " ".join(lines)


def test_health_names_backend_triples_version_and_load_time(client, project):
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["backend"] == "embedded"
    assert health["triples"] == len(project)
    assert re.fullmatch(r"[0-9a-f]{12}", health["graphVersion"])
    assert health["loadedAt"].endswith("+00:00") and health["loadSeconds"] > 0
    assert set(health["workers"]) == {"api", "adhoc"}
