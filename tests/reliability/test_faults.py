"""Faults while serving: the remote Oxigraph server killed and restarted (503, then recovery by itself),
and a data file edited into invalid Turtle (the last good graph stays in service, /health names file and line)."""

from __future__ import annotations

import shutil
import time

import pytest
from fastapi.testclient import TestClient

from app.core.config import Settings
from app.core.publish import publish
from app.loader import ROOT
from tests.api.conftest import free_port, start_oxigraph
from tests.reliability.conftest import build

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_remote_server_down_gives_503_and_the_api_recovers_by_itself(project, tmp_path):
    port, location = free_port(), tmp_path / "store"
    server = start_oxigraph(location, port, "--union-default-graph")
    endpoint = f"http://127.0.0.1:{port}/query"
    try:
        publish(project, None, endpoint)
        with TestClient(build(Settings(sparql_endpoint=endpoint, query_timeout_s=5))) as client:
            assert client.get("/regions").status_code == 200
            assert client.get("/health").json()["backend"] == "remote"

            server.kill()
            server.wait()
            started = time.monotonic()
            down = client.get("/regions")
            assert down.status_code == 503
            assert endpoint in down.json()["detail"]
            assert time.monotonic() - started < 5, "retries must be bounded"
            assert client.get("/health").status_code == 503
            assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 503

            server = start_oxigraph(location, port, "--union-default-graph")  # same store on disk, same port
            back = client.get("/regions")
            assert back.status_code == 200
            assert back.json()["count"] >= 3
            health = client.get("/health").json()
            assert health["status"] == "ok" and health["triples"] == len(project)
    finally:
        server.kill()
        server.wait()


@pytest.fixture
def sources(tmp_path, monkeypatch):
    """A copy of ontology/ and data/ that the app loads (IZA_SOURCES) and the test may break."""
    for folder in ("ontology", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.setenv("IZA_SOURCES", f"{tmp_path / 'ontology'}:{tmp_path / 'data'}")
    return tmp_path


def wait_for(client: TestClient, condition, timeout_s: float = 15) -> dict:
    deadline = time.monotonic() + timeout_s
    while True:
        health = client.get("/health").json()
        if condition(health) or time.monotonic() > deadline:
            return health
        time.sleep(0.1)


def test_a_broken_data_file_leaves_the_last_good_graph_in_service(sources):
    target = sources / "data" / "reference" / "zorgkantoorregios.ttl"
    assert target.exists()
    with TestClient(build(reload_interval_s=0.2)) as client:
        first = client.get("/health").json()
        regions = client.get("/regions", params={"all": "true"}).json()
        assert first["status"] == "ok" and first["triples"] > 10_000

        good = target.read_text(encoding="utf-8")
        lines = good.count("\n")
        target.write_text(good + "\n<https://example.org/a> <https://example.org/b> \"unterminated .\n", encoding="utf-8")
        broken = wait_for(client, lambda h: h["status"] == "degraded")
        assert broken["status"] == "degraded"
        error = broken["reloadError"]
        assert error["file"].endswith("data/reference/zorgkantoorregios.ttl")
        assert error["line"] in (lines + 2, lines + 3)
        assert error["reason"]
        assert broken["graphVersion"] == first["graphVersion"] and broken["triples"] == first["triples"]
        assert client.get("/regions", params={"all": "true"}).json() == regions  # the last good graph, whole

        target.write_text(good + "\n<https://example.org/a> <https://example.org/b> \"repaired\" .\n", encoding="utf-8")
        fixed = wait_for(client, lambda h: h["status"] == "ok")
        assert fixed["status"] == "ok" and "reloadError" not in fixed
        assert fixed["triples"] == first["triples"] + 1
        assert fixed["graphVersion"] != first["graphVersion"]
        answer = client.get("/sparql", params={"query": "ASK { <https://example.org/a> ?p \"repaired\" }"},
                            headers={"accept": "application/json"})
        assert answer.json()["boolean"] is True


def test_a_file_that_does_not_parse_at_start_stops_the_start(sources):
    (sources / "data" / "broken.ttl").write_text("@prefix x: <https://example.org/> .\nx:a x:b x:c x:d .\n")
    from app.loader import LoadError

    with pytest.raises(LoadError, match="broken.ttl:2"):
        with TestClient(build()):
            pass
