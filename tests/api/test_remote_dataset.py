"""The remote backend's default graph is the union of the project's graphs on any server: asked without a
dataset where the server holds nothing else in a union default graph (Oxigraph --union-default-graph: ten
times faster), with the project's graphs named wherever it holds more or its default graph is not the union."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from app.backends import remote
from app.backends.remote import RemoteBackend
from app.core.publish import publish
from tests.api.conftest import free_port, make_client, start_oxigraph

FOREIGN = "http://example.org/another-dataset"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
LABELLED = 'SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> "vreemd" }'


@pytest.fixture
def server(tmp_path):
    """Starts a fresh Oxigraph server with the flags given; yields the function, which returns its base URL."""
    started = []

    def start(*flags: str) -> str:
        port = free_port()
        started.append(start_oxigraph(tmp_path / "store", port, *flags))
        return f"http://127.0.0.1:{port}"

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)


def put_graph(base: str, graph: str, turtle: str) -> None:
    """Put a graph on the server behind the backend's back (Graph Store Protocol)."""
    response = httpx.put(f"{base}/store", params={"graph": graph}, content=turtle,
                         headers={"Content-Type": "text/turtle"})
    assert response.status_code in (201, 204), response.text


def add_foreign_graph(base: str) -> None:
    put_graph(base, FOREIGN, '<http://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "vreemd" .')


def test_a_union_default_graph_of_only_the_projects_graphs_answers_as_the_project(server, project):
    base = server("--union-default-graph")
    publish(project, None, f"{base}/query")
    backend = RemoteBackend(f"{base}/query")
    assert int(backend.values(COUNT).rows[0]["n"]) == len(project)


def test_another_dataset_on_the_server_never_enters_an_answer(server, project):
    base = server("--union-default-graph")
    publish(project, None, f"{base}/query")
    backend = RemoteBackend(f"{base}/query")
    assert int(backend.values(COUNT).rows[0]["n"]) == len(project)
    add_foreign_graph(base)
    backend.reread()
    assert backend.values(LABELLED).rows == []
    assert int(backend.values(COUNT).rows[0]["n"]) == len(project)
    assert FOREIGN not in {row["g"] for row in backend.values("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows}


def test_a_server_whose_default_graph_is_empty_is_asked_with_the_projects_graphs(server, project):
    base = server()  # the default graph is its own (empty) graph, not the union
    publish(project, None, f"{base}/query")
    backend = RemoteBackend(f"{base}/query")
    assert int(backend.values(COUNT).rows[0]["n"]) == len(project)


NEW_GRAPH = "https://w3id.org/iza-kg/graph/proefregio"
NEW_REGION = """<https://w3id.org/iza-kg/id/regio/proefregio> a <https://w3id.org/iza-kg/def/ZorgkantoorRegion> ;
    <https://w3id.org/iza-kg/def/slug> "proefregio" ;
    <http://www.w3.org/2000/01/rdf-schema#label> "Proefregio"@nl ."""


def test_slugs_are_looked_up_once_per_listing_of_the_servers_graphs(server, project):
    """A route resolves a region's slug from the regions the backend looked up when it last listed the server's
    graphs (every minute, or on reread), not by asking the server again at each request; a region published
    since is found once the graphs are listed again."""
    base = server("--union-default-graph")
    publish(project, None, f"{base}/query")
    asked: list[str] = []

    class Counting(RemoteBackend):
        def _json_answer(self, wrapper):
            asked.append(wrapper.queryString)
            return super()._json_answer(wrapper)

    backend = Counting(f"{base}/query")
    client = make_client(backend)
    assert client.get("/regions/gooi-en-vechtstreek").status_code == 200
    asked.clear()
    assert client.get("/regions/gooi-en-vechtstreek").status_code == 200
    assert client.get("/compare", params={"regions": "gooi-en-vechtstreek,midden-nederland"}).status_code == 200
    assert not [text for text in asked if "?region ?slug ?label ?cbsCode" in text], "the regions were asked again"

    put_graph(base, NEW_GRAPH, NEW_REGION)
    assert client.get("/regions/proefregio").status_code == 404
    backend.reread()
    assert client.get("/regions/proefregio").status_code == 200


def test_an_old_list_of_graphs_is_renewed_in_the_background_while_queries_go_on(server, project, monkeypatch):
    """Listing the graphs counts every triple on the server (seconds on a large graph): once the list is old,
    queries are answered with it while it is listed again, and answers after that use the new list."""
    base = server("--union-default-graph")
    publish(project, None, f"{base}/query")
    relisted = threading.Event()

    class SlowToList(RemoteBackend):
        def _list_graphs(self):
            if threading.current_thread().name == "iza-list-graphs":
                time.sleep(2)
                relisted.set()
            return super()._list_graphs()

    backend = SlowToList(f"{base}/query")
    assert int(backend.values(COUNT).rows[0]["n"]) == len(project)
    version = backend.contents_version()
    monkeypatch.setattr(remote, "GRAPHS_KNOWN_S", 0.1)
    time.sleep(0.2)
    started = time.monotonic()
    assert int(backend.values(COUNT).rows[0]["n"]) == len(project)
    assert time.monotonic() - started < 1.5, "the query waited for the list of graphs"
    assert relisted.wait(10)
    deadline = time.monotonic() + 10
    while backend.contents_version() == version and time.monotonic() < deadline:
        time.sleep(0.05)
    assert backend.contents_version() != version


def test_a_listing_begun_before_a_reread_does_not_replace_the_list_made_after_it(server, project, monkeypatch):
    base = server("--union-default-graph")
    publish(project, None, f"{base}/query")
    done = threading.Event()

    class ListsThenWaits(RemoteBackend):
        def _list_graphs(self):
            listed = super()._list_graphs()
            if threading.current_thread().name == "iza-list-graphs":
                time.sleep(1.5)
                done.set()
            return listed

    backend = ListsThenWaits(f"{base}/query")
    backend.values(COUNT)
    monkeypatch.setattr(remote, "GRAPHS_KNOWN_S", 0.1)
    time.sleep(0.2)
    backend.values(COUNT)  # the old list is listed again in the background, before the graph below exists
    monkeypatch.setattr(remote, "GRAPHS_KNOWN_S", 60.0)
    put_graph(base, NEW_GRAPH, NEW_REGION)
    backend.reread()
    assert NEW_GRAPH in backend.project_graphs()
    assert done.wait(10)
    time.sleep(0.1)
    assert NEW_GRAPH in backend.project_graphs()
