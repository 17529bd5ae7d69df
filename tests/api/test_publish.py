"""`iza-kg publish` against real servers: the Graph Store endpoint found from the query endpoint, credentials
from the environment (Virtuoso: digest), clear errors that name the flag or the variables to set.

The Virtuoso of the session was itself loaded by `iza-kg publish --endpoint .../sparql` with IZA_STORE_USER
and IZA_STORE_PASSWORD set (tests/virtuoso.py); these tests check what that left and the failures.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.publish import PublishError, graph_store_url, publish

IZA_KG = str(Path(sys.executable).parent / "iza-kg")


def run_publish(*args: str, **environment: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("IZA_STORE_USER", "IZA_STORE_PASSWORD")}
    return subprocess.run([IZA_KG, "publish", *args], env={**clean, **environment}, capture_output=True, text=True,
                          timeout=120)


def test_publish_found_virtuosos_graph_store_and_loaded_every_graph(virtuoso_backend, project):
    graphs = set(virtuoso_backend.project_graphs())
    assert graphs == {source.graph.value for source in project.files}
    count = virtuoso_backend.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"]
    assert int(count) == sum(len(source.triples) for source in project.files)  # no system graph leaks in


def test_publishing_twice_gives_the_same_store(virtuoso, virtuoso_backend, project):
    done = run_publish("--endpoint", virtuoso.endpoint, IZA_STORE_USER="dba", IZA_STORE_PASSWORD="dba")
    assert done.returncode == 0, done.stderr
    assert "/sparql-graph-crud-auth" in done.stdout
    count = virtuoso_backend.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"]
    assert int(count) == sum(len(source.triples) for source in project.files)


def test_without_credentials_the_error_names_the_variables(virtuoso):
    done = run_publish("--endpoint", virtuoso.endpoint)
    assert done.returncode == 1
    assert "IZA_STORE_USER" in done.stderr and "IZA_STORE_PASSWORD" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_wrong_guess_names_the_store_flag(oxigraph_endpoint, project):
    elsewhere = oxigraph_endpoint.rsplit("/", 1)[0] + "/nothing/query"  # a path Oxigraph does not serve
    with pytest.raises(PublishError, match="--store"):
        publish(project, None, elsewhere)


def test_no_endpoint_and_no_store_is_refused_with_the_flags():
    done = run_publish()
    assert done.returncode == 1
    assert "--endpoint" in done.stderr and "--store" in done.stderr


@pytest.mark.parametrize("endpoint, server, store", [
    ("http://h:7878/query", "Oxigraph/0.5.13", "http://h:7878/store"),
    ("http://h:8890/sparql", "Virtuoso/07.20.3229 (Linux)", "http://h:8890/sparql-graph-crud-auth"),
    ("http://h:3030/ds/query", "Apache Jena Fuseki (5.1.0)", "http://h:3030/ds/data"),
    ("http://h:3030/ds/sparql", "Apache Jena Fuseki (5.1.0)", "http://h:3030/ds/data"),
    ("http://h:7200/repositories/iza", "", "http://h:7200/repositories/iza/rdf-graphs/service"),
])
def test_the_graph_store_beside_each_servers_query_endpoint(endpoint, server, store):
    assert graph_store_url(endpoint, server) == store
