"""A runaway query is stopped (its worker process killed) within its limit + 1 s, with a JSON 504 naming
the limit, while the other requests keep being answered at normal speed."""

from __future__ import annotations

import statistics
import threading
import time

import httpx
from rdflib import URIRef

from app.backends.binding import bind_with_values
from app.queries import QueryLibrary

from tests.reliability.conftest import TIMEOUT_S

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
NORMAL = ["/regions/midden-nederland", "/compare?regions=gooi-en-vechtstreek,midden-nederland,noord-en-midden-limburg"]


def timed_get(base: str, path: str, **kwargs) -> tuple[float, httpx.Response]:
    started = time.monotonic()
    response = httpx.get(base + path, timeout=30, **kwargs)
    return time.monotonic() - started, response


def test_a_runaway_query_is_stopped_and_others_are_answered(served):
    baseline = [timed_get(served, path)[0] for path in NORMAL for _ in range(3)]
    runaway: dict = {}

    def send_runaway():
        runaway["seconds"], runaway["response"] = timed_get(served, "/sparql", params={"query": RUNAWAY})

    thread = threading.Thread(target=send_runaway)
    thread.start()
    time.sleep(0.2)
    during = []
    while thread.is_alive():
        for path in NORMAL:
            seconds, response = timed_get(served, path)
            assert response.status_code == 200, response.text[:200]
            during.append(seconds)
    thread.join()

    response = runaway["response"]
    assert response.status_code == 504
    assert response.json()["limit_s"] == TIMEOUT_S
    assert "IZA_QUERY_TIMEOUT_S" in response.json()["detail"]
    assert runaway["seconds"] < TIMEOUT_S + 1
    assert during, "no normal request was made while the runaway query ran"
    assert statistics.median(during) < max(1.0, 3 * statistics.median(baseline)), (baseline, during)


def test_the_worker_of_a_runaway_query_is_killed_and_the_next_query_gets_a_fresh_one(served):
    before = httpx.get(served + "/health").json()["workers"]["adhoc"]
    response = httpx.get(served + "/sparql", params={"query": RUNAWAY}, timeout=30)
    assert response.status_code == 504
    after = httpx.get(served + "/health").json()["workers"]["adhoc"]
    assert after["stopped"] == before["stopped"] + 1
    assert after["running"] < after["workers"], "the killed worker still counts as running"
    # the next query gets a fresh worker, forked when it asks
    ok = httpx.get(served + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"accept": "application/json"})
    assert ok.json()["boolean"] is True


def test_when_every_adhoc_worker_is_busy_the_next_query_gets_503(served):
    workers = httpx.get(served + "/health").json()["workers"]["adhoc"]["workers"]
    responses: list[httpx.Response] = []
    threads = [threading.Thread(target=lambda: responses.append(timed_get(served, "/sparql", params={"query": RUNAWAY})[1]))
               for _ in range(workers + 1)]
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [503] + [504] * workers, statuses
    busy = next(r for r in responses if r.status_code == 503)
    assert busy.json()["limit"] == "IZA_ADHOC_WORKERS"
    assert busy.headers["retry-after"] == "1"
    # the API lane was never touched
    assert httpx.get(served + "/regions/gooi-en-vechtstreek", timeout=10).status_code == 200


def test_a_query_over_the_memory_limit_stops_its_worker_only(project):
    """The worker's address space is capped: a query that sorts a cross product dies alone and is replaced."""
    import pytest

    from app.core.isolation import LANE, IsolatedBackend, IsolationLimits, WorkerLost

    backend = IsolatedBackend.from_project(project, IsolationLimits(timeout_s=30, workers=1, adhoc_workers=1,
                                                                    queue_wait_s=30, memory_mb=300))
    token = LANE.set("adhoc")
    try:
        started = time.monotonic()
        with pytest.raises(WorkerLost):
            backend.select("SELECT ?a ?c ?d ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f")
        assert time.monotonic() - started < 30
        assert backend.ask("ASK { ?s ?p ?o }") is True  # a fresh worker (after up to the queue wait)
    finally:
        LANE.reset(token)
        backend.close()


def test_a_named_query_sent_to_sparql_is_answered_while_every_adhoc_worker_is_busy(served):
    """The project's own queries run on the API's threads, as GET /queries/{name} runs them, even as /sparql text."""
    named = bind_with_values(QueryLibrary.load().get("region-observations").text,
                             {"__region_iri": URIRef("https://w3id.org/iza-kg/id/regio/gooi-en-vechtstreek")})
    workers = httpx.get(served + "/health").json()["workers"]["adhoc"]["workers"]
    threads = [threading.Thread(target=timed_get, args=(served, "/sparql"), kwargs={"params": {"query": RUNAWAY}})
               for _ in range(workers)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    try:
        other = httpx.post(served + "/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}, timeout=10)
        answer = httpx.post(served + "/sparql", data={"query": named}, headers={"accept": "application/json"}, timeout=10)
    finally:
        for thread in threads:
            thread.join()
    assert other.status_code == 503, other.text[:200]
    assert answer.status_code == 200, answer.text[:200]
    assert len(answer.json()["results"]["bindings"]) > 5
