"""The search index is built with the graph at start (in the background) and follows the embedded graph when it
reloads."""

import time

from fastapi.testclient import TestClient

from tests.reliability.conftest import build
from tests.reliability.test_faults import sources  # noqa: F401 (the fixture: a copy of ontology/ and data/)

WORD = "herlaadproefwoord"


def hits(client: TestClient) -> list[str]:
    return [h["resource"] for h in client.get("/search", params={"q": WORD}).json()["data"]]


def test_the_index_follows_a_reload(sources):  # noqa: F811
    with TestClient(build(reload_interval_s=0.2)) as client:
        deadline = time.monotonic() + 20
        while client.app.state.search_indexes.current is None and time.monotonic() < deadline:
            time.sleep(0.05)  # built at start in the background, before any search
        index = client.app.state.search_indexes.current
        assert index is not None and index.backend is client.app.state.backend
        assert hits(client) == []
        (sources / "data" / "extra.ttl").write_text(
            f'<https://w3id.org/iza-kg/id/test/herladen> <http://www.w3.org/2000/01/rdf-schema#label> "{WORD}"@nl .\n',
            encoding="utf-8")
        deadline = time.monotonic() + 20
        while client.app.state.search_indexes.current.backend is index.backend and time.monotonic() < deadline:
            time.sleep(0.1)
        assert client.app.state.search_indexes.current.backend is client.app.state.backend
        assert hits(client) == ["https://w3id.org/iza-kg/id/test/herladen"]
