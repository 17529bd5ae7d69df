"""SPARQLWrapper pointed at /sparql of the running API gets JSON, XML, CSV and a CONSTRUCT as Turtle."""

import csv
import io
import threading
import time

import httpx
import pytest
import uvicorn
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from tests.api.conftest import free_port, make_client

QUERY = "PREFIX iza: <https://w3id.org/iza-kg/def/> SELECT ?code WHERE { <https://w3id.org/iza-kg/id/regio/midden-nederland> iza:cbsCode ?code }"


@pytest.fixture(scope="module")
def sparql_url(embedded_backend):
    app = make_client(embedded_backend).app
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}/sparql"
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    httpx.get(url, timeout=5)
    yield url
    server.should_exit = True
    thread.join(timeout=5)


def wrapper(url, query, fmt):
    sparql = SPARQLWrapper(url)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


def test_json(sparql_url):
    result = wrapper(sparql_url, QUERY, JSON).queryAndConvert()
    assert result["results"]["bindings"][0]["code"]["value"] == "ZK23"


def test_xml(sparql_url):
    document = wrapper(sparql_url, QUERY, XML).queryAndConvert()
    assert document.getElementsByTagName("literal")[0].firstChild.data == "ZK23"


def test_csv(sparql_url):
    text = wrapper(sparql_url, QUERY, CSV).queryAndConvert().decode()
    assert list(csv.reader(io.StringIO(text))) == [["code"], ["ZK23"]]


def test_construct_as_turtle(sparql_url):
    query = QUERY.replace("SELECT ?code WHERE", "CONSTRUCT { <https://w3id.org/iza-kg/id/regio/midden-nederland> iza:cbsCode ?code } WHERE")
    data = wrapper(sparql_url, query, TURTLE).queryAndConvert()
    graph = Graph().parse(data=data, format="turtle")
    assert [str(o) for o in graph.objects()] == ["ZK23"]
