"""Load the project graph into a SPARQL server: one named graph per source file, replacing what was there.

Uses the SPARQL 1.1 Graph Store HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/): one
`PUT <store>?graph=<graph IRI>` per file with the file's triples as N-Triples. PUT replaces the graph, so
publishing twice gives the same store. Graphs of files that no longer exist are left alone.

The store's URL is given (`--store`) or found from the query endpoint and the server's layout: Oxigraph
`/query` -> `/store`, Fuseki `/ds/query` -> `/ds/data`, GraphDB and RDF4J `/repositories/x` ->
`/repositories/x/rdf-graphs/service`, Virtuoso `/sparql` -> `/sparql-graph-crud-auth`. Credentials come
from IZA_STORE_USER and IZA_STORE_PASSWORD; basic or digest authentication, as the server asks.
"""

from __future__ import annotations

import os
import re
from collections.abc import Generator
from dataclasses import dataclass

import httpx

from app.loader import ProjectGraph

STORE_SUFFIXES = ("/query", "/sparql")
USER_VARIABLE, PASSWORD_VARIABLE = "IZA_STORE_USER", "IZA_STORE_PASSWORD"
NOT_A_STORE = (404, 405, 501)  # what servers answer a PUT to a URL that is not their Graph Store endpoint


class PublishError(Exception):
    """The server refused or could not be reached; the message names the graph and the server."""


@dataclass(frozen=True)
class Published:
    graph: str
    triples: int
    status: int


class ChallengedAuth(httpx.Auth):
    """Basic or digest authentication, whichever the server's 401 challenge asks for."""

    def __init__(self, user: str, password: str):
        self.basic = httpx.BasicAuth(user, password)
        self.digest = httpx.DigestAuth(user, password)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").lower()
        scheme = self.digest if challenge.startswith("digest") else self.basic
        flow = scheme.auth_flow(request)
        retried = next(flow)
        if scheme is self.digest:
            retried = flow.send(response)
        yield retried


def credentials_from_environment() -> ChallengedAuth | None:
    user, password = os.environ.get(USER_VARIABLE), os.environ.get(PASSWORD_VARIABLE)
    return ChallengedAuth(user, password or "") if user else None


def graph_store_url(endpoint: str, server: str = "") -> str:
    """The Graph Store endpoint beside a query endpoint, by the layout of the server (its `Server` header)."""
    base = endpoint.rstrip("/")
    if re.search(r"/repositories/[^/]+$", base):  # GraphDB, RDF4J
        return base + "/rdf-graphs/service"
    if "virtuoso" in server.lower():
        return base.rsplit("/", 1)[0] + "/sparql-graph-crud-auth"
    for suffix in STORE_SUFFIXES:
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    return base + ("/data" if "fuseki" in server.lower() else "/store")


def discover_store(endpoint: str, client: httpx.Client) -> str:
    """The Graph Store endpoint of the server whose query endpoint is `endpoint`."""
    try:
        response = client.get(endpoint, params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"})
    except httpx.HTTPError as error:
        raise PublishError(f"{endpoint} unreachable: {error}") from None
    return graph_store_url(endpoint, response.headers.get("server", ""))


def ntriples(source) -> bytes:
    return "".join(f"{triple} .\n" for triple in source.triples).encode("utf-8")


def refusal(store: str, graph: str, response: httpx.Response, guessed: bool) -> str:
    status = response.status_code
    if status in (401, 403):
        return (f"{store} refused to write {graph} (HTTP {status}): set {USER_VARIABLE} and {PASSWORD_VARIABLE} "
                "to an account that may update the store")
    if status in NOT_A_STORE:
        how = "guessed from --endpoint" if guessed else "given with --store"
        return (f"{store} ({how}) is not the server's Graph Store Protocol endpoint (HTTP {status} for {graph}); "
                "give that endpoint with --store")
    return f"{store} answered {status} for {graph}: {response.text[:300]}"


def publish(project: ProjectGraph, store: str | None, endpoint: str | None = None, timeout_s: float = 60.0,
            client: httpx.Client | None = None, auth: httpx.Auth | None = None) -> tuple[str, list[Published]]:
    """PUT each source file into its named graph at `store` (found from `endpoint` if None): (store, graphs)."""
    done = []
    own = client is None
    client = client or httpx.Client(timeout=timeout_s, auth=auth or credentials_from_environment())
    try:
        guessed = store is None
        if store is None:
            if endpoint is None:
                raise PublishError("give the server's query endpoint (--endpoint) or its Graph Store endpoint (--store)")
            store = discover_store(endpoint, client)
        for source in project.files:
            graph = source.graph.value
            try:
                response = client.put(store, params={"graph": graph}, content=ntriples(source),
                                      headers={"Content-Type": "application/n-triples"})
            except httpx.HTTPError as error:
                raise PublishError(f"{store} unreachable while publishing {graph}: {error}") from None
            if response.status_code not in (200, 201, 204):
                raise PublishError(refusal(store, graph, response, guessed))
            done.append(Published(graph, len(source.triples), response.status_code))
    finally:
        if own:
            client.close()
    return store, done
