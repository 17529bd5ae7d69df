"""Errors and limits: a remote endpoint that is down, the time limit, the result cap."""

import socket
import threading
import time

from app.backends.remote import RemoteBackend
from app.core.config import Settings

from tests.api.conftest import free_port, make_client

# Enough work for the embedded store to take well over the limit, yet finish within seconds.
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { ?a a ?t . ?b a ?u . ?c a ?v "
        "FILTER(STR(?a) < STR(?b) && STR(?b) < STR(?c)) }")


def test_remote_endpoint_down_is_503_with_its_address_and_the_api_stays_up():
    endpoint = f"http://127.0.0.1:{free_port()}/query"
    client = make_client(RemoteBackend(endpoint, timeout_s=2), Settings(sparql_endpoint=endpoint))
    for path in ("/regions", "/regions/midden-nederland", "/compare?regions=midden-nederland,gooi-en-vechtstreek"):
        response = client.get(path)
        assert response.status_code == 503
        assert response.json()["endpoint"] == endpoint and endpoint in response.json()["detail"]
    assert client.get("/").status_code == 200
    assert client.get("/queries").status_code == 200


def test_an_answer_cut_off_by_the_server_is_502_naming_the_endpoint():
    """A server that drops the connection halfway through an answer gives a 502 with a JSON body, not a 500."""
    listener = socket.create_server(("127.0.0.1", 0))
    endpoint = f"http://127.0.0.1:{listener.getsockname()[1]}/query"

    def cut_off_answers():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.recv(65536)
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                                   b"Transfer-Encoding: chunked\r\n\r\n100\r\n{\"head\": {\"vars\"")

    threading.Thread(target=cut_off_answers, daemon=True).start()
    try:
        client = make_client(RemoteBackend(endpoint, timeout_s=2), Settings(sparql_endpoint=endpoint))
        response = client.get("/regions")
        assert response.status_code == 502, response.text
        assert "unreadable answer" in response.json()["detail"] and endpoint in response.json()["detail"]
    finally:
        listener.close()


def test_a_query_past_the_time_limit_is_stopped_and_others_are_served(embedded_backend):
    client = make_client(embedded_backend, Settings(query_timeout_s=0.3, query_workers=2))
    started = time.monotonic()
    response = client.get("/sparql", params={"query": SLOW})
    assert response.status_code == 504
    assert "0.3 s" in response.json()["detail"] and "IZA_QUERY_TIMEOUT_S" in response.json()["detail"]
    assert time.monotonic() - started < 2
    served = time.monotonic()
    assert client.get("/regions").status_code == 200  # while the slow query still runs in its worker
    assert time.monotonic() - served < 2


def test_results_are_capped_with_a_notice(client):
    capped = make_client(client.app.dependency_overrides[next(iter(client.app.dependency_overrides))]().inner,
                         Settings(max_rows=5))
    response = capped.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"})
    assert len(response.json()["results"]["bindings"]) == 5
    assert "5 rows" in response.headers["x-result-capped"]
    paged = capped.get("/queries/regions", params={"pageSize": 100})
    assert paged.json()["total"] == 5 and paged.json()["truncated"] is True


def test_the_remote_backend_stops_reading_an_answer_at_the_byte_limit(oxigraph_endpoint):
    import pytest

    from app.backends.base import ResultTooLarge

    everything = "SELECT * WHERE { ?s ?p ?o }"
    capped = RemoteBackend(oxigraph_endpoint, timeout_s=30, max_result_bytes=10_000)
    with pytest.raises(ResultTooLarge) as raised:
        capped.select(everything)
    assert "10000 bytes" in str(raised.value) and "IZA_MAX_RESULT_BYTES" in str(raised.value)
    with pytest.raises(ResultTooLarge):
        capped.construct("CONSTRUCT WHERE { ?s ?p ?o }")
    small = "SELECT ?s WHERE { ?s a <https://w3id.org/iza-kg/def/ZorgkantoorRegion> } LIMIT 3"
    assert len(capped.select(small)) == 3
