"""The app as it is served: create_app() with its lifespan (killable query workers on the embedded graph),
behind a real uvicorn server on a free loopback port, with short limits so the tests stay fast."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.core.config import Settings
from app.core.reliability import ReliabilitySettings
from app.main import create_app
from tests.web.server import Server

TIMEOUT_S = 1.5  # the query time limit of `served` (the runaway tests); elsewhere the default 10 s, so a
# legitimate heavy query (validation, the publication's counts) is not cut off on a busy CI machine


def build(settings: Settings | None = None, **reliability) -> object:
    """create_app() with other reliability limits (the middleware and the lifespan read app.state.reliability)."""
    app = create_app(settings or Settings(query_workers=2))
    app.state.reliability = ReliabilitySettings(**{"reload_interval_s": 0, "queue_wait_s": 0.5, **reliability})
    return app


@pytest.fixture(scope="session")
def served():
    """A running server of the app on the project graph; yields its base URL."""
    with Server(build(Settings(query_timeout_s=TIMEOUT_S, query_workers=2))) as server:
        yield server.base_url


@pytest.fixture(scope="session")
def client():
    """A TestClient of the app with its lifespan (workers started). Its queries wait up to 5 s for an adhoc
    worker: the hostile-input tests follow each other closely, and on a busy CI machine both workers were
    once still taken by earlier queries when a test's valid query arrived (a 503 after the 0.5 s wait). The
    refusal when every worker is busy is tested on `served`."""
    with TestClient(build(queue_wait_s=5)) as test_client:
        yield test_client
