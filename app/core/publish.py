"""Load the project graph into a SPARQL server: one named graph per source file, replacing what was there.

Uses the SPARQL 1.1 Graph Store HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/): one
`PUT <store>?graph=<graph IRI>` per file with the file's triples as N-Triples. PUT replaces the graph, so
publishing twice gives the same store. Graphs of files that no longer exist are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from app.loader import ProjectGraph

STORE_SUFFIXES = ("/query", "/sparql")


class PublishError(Exception):
    """The server refused or could not be reached; the message names the graph and the server."""


@dataclass(frozen=True)
class Published:
    graph: str
    triples: int
    status: int


def graph_store_url(endpoint: str) -> str:
    """The Graph Store endpoint beside a query endpoint: Oxigraph's /query -> /store (also /sparql -> /store)."""
    base = endpoint.rstrip("/")
    for suffix in STORE_SUFFIXES:
        if base.endswith(suffix):
            return base[: -len(suffix)] + "/store"
    return base + "/store"


def ntriples(source) -> bytes:
    return "".join(f"{triple} .\n" for triple in source.triples).encode("utf-8")


def publish(project: ProjectGraph, store: str, timeout_s: float = 60.0, client: httpx.Client | None = None) -> list[Published]:
    done = []
    own = client is None
    client = client or httpx.Client(timeout=timeout_s)
    try:
        for source in project.files:
            graph = source.graph.value
            try:
                response = client.put(store, params={"graph": graph}, content=ntriples(source),
                                      headers={"Content-Type": "application/n-triples"})
            except httpx.HTTPError as error:
                raise PublishError(f"{store} unreachable while publishing {graph}: {error}") from None
            if response.status_code not in (200, 201, 204):
                raise PublishError(f"{store} answered {response.status_code} for {graph}: {response.text[:300]}")
            done.append(Published(graph, len(source.triples), response.status_code))
    finally:
        if own:
            client.close()
    return done
