"""The API under test, once per backend: the embedded store, a real Oxigraph server and a real Virtuoso.

The Oxigraph server (`oxigraph serve`, from the PyPI package `oxigraph` in the test extra) runs in a
temporary folder on a free loopback port with a union default graph; the project graph is published into
it with the same code as `iza-kg publish` (Graph Store Protocol PUT per named graph). Virtuoso (Debian's
package, tests/virtuoso.py; its fixtures are in tests/conftest.py) runs once per session too, loaded by
`iza-kg publish` itself.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.api.deps import get_backend
from app.backends.embedded import EmbeddedBackend
from app.backends.remote import RemoteBackend
from app.core.config import Settings
from app.core.publish import publish
from app.main import create_app, limited

BACKENDS = ("embedded", "remote")


def oxigraph_binary() -> str:
    beside_python = Path(sys.executable).parent / "oxigraph"
    found = str(beside_python) if beside_python.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the oxigraph server is not installed: pip install -e '.[test]'")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_oxigraph(location: Path, port: int, *flags: str) -> subprocess.Popen:
    """An Oxigraph server on loopback, answering (the caller terminates it); `flags` as `oxigraph serve` takes them."""
    process = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                                *flags], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/query", params={"query": "ASK {}"}, timeout=1)
            return process
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"oxigraph did not start: {process.stderr.read().decode()[:500]}")
            time.sleep(0.05)


@pytest.fixture(scope="session")
def oxigraph_endpoint(project, tmp_path_factory):
    """A running Oxigraph server holding the project graph; yields its query endpoint."""
    port = free_port()
    process = start_oxigraph(tmp_path_factory.mktemp("oxigraph"), port, "--union-default-graph")
    endpoint = f"http://127.0.0.1:{port}/query"
    try:
        publish(project, None, endpoint)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def embedded_backend(project):
    return EmbeddedBackend.from_project(project)


@pytest.fixture(scope="session")
def remote_backend(oxigraph_endpoint):
    return RemoteBackend(oxigraph_endpoint, timeout_s=30)


def make_client(backend, settings: Settings | None = None) -> TestClient:
    settings = settings or Settings(sparql_endpoint=getattr(backend, "endpoint", None))
    app = create_app(settings)
    guarded = limited(backend, settings)
    app.dependency_overrides[get_backend] = lambda: guarded
    app.state.backend = guarded
    return TestClient(app)


@pytest.fixture(scope="session")
def clients(embedded_backend, remote_backend) -> dict[str, TestClient]:
    return {"embedded": make_client(embedded_backend), "remote": make_client(remote_backend)}


@pytest.fixture(scope="session")
def all_clients(clients, virtuoso_backend) -> dict[str, TestClient]:
    """The API on the embedded store, on Oxigraph and on Virtuoso."""
    # Virtuoso writes JSON slowly (~1 s for 5,000 rows): the time limit allows a paged whole-graph answer
    settings = Settings(sparql_endpoint=virtuoso_backend.endpoint, query_timeout_s=60)
    return {**clients, "virtuoso": make_client(virtuoso_backend, settings)}


@pytest.fixture(scope="session", params=BACKENDS)
def client(request, clients) -> TestClient:
    """A TestClient of the API on each backend in turn."""
    return clients[request.param]
