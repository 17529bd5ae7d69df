"""Content negotiation as data: FORMATS / MEDIA_TYPE_TO_FORMAT against many Accept headers, then the routes."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph

from app.linked_data import FORMATS, MEDIA_TYPE_TO_FORMAT, negotiate

ACCEPT_CASES = [
    (None, "html"),
    ("", "html"),
    ("*/*", "html"),
    ("text/html", "html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),  # a browser
    ("application/xhtml+xml", "html"),
    ("text/turtle", "ttl"),
    ("application/x-turtle", "ttl"),
    ("text/*", "html"),
    ("text/*;q=0.5, text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/json", "jsonld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "rdf"),
    ("application/xml", "rdf"),
    ("application/trig", "trig"),
    ("application/n-quads", "nq"),
    ("text/turtle;q=0.9, application/ld+json", "jsonld"),
    ("text/turtle;q=0.5, application/ld+json;q=0.4", "ttl"),
    ("application/rdf+xml;q=1.0, text/turtle;q=1.0", "ttl"),  # equal q: server order
    ("text/html;q=0, */*", "ttl"),  # html explicitly refused, rest acceptable: first RDF format
    ("text/html;q=0.1, */*;q=0.2", "ttl"),
    ("TEXT/TURTLE", "ttl"),
    ("text/turtle; charset=utf-8", "ttl"),
    ("garbage, text/turtle", "ttl"),
    ("text/turtle;q=abc, application/ld+json;q=0.1", "jsonld"),  # a malformed q counts as 0
    ("image/png", None),
    ("image/*", None),
    ("text/turtle;q=0", None),
    ("application/pdf, text/csv", None),
]


@pytest.mark.parametrize("accept, expected", ACCEPT_CASES)
def test_negotiate(accept, expected):
    chosen = negotiate(accept)
    assert (chosen.key if chosen else None) == expected


def test_every_media_type_of_the_table_is_chosen_when_asked_for_alone():
    for media_type, fmt in MEDIA_TYPE_TO_FORMAT.items():
        assert negotiate(media_type) is fmt, media_type


@pytest.mark.parametrize("accept, expected", [c for c in ACCEPT_CASES if c[0] is not None])
def test_the_document_route_follows_the_table(client, accept, expected):
    answer = client.get("/doc/regio/midden-nederland", headers={"Accept": accept})
    assert "Accept" in answer.headers["vary"]
    if expected is None:
        assert answer.status_code == 406
        assert "text/turtle" in answer.json()["detail"]
        return
    fmt = next(f for f in FORMATS if f.key == expected)
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == fmt.media_type


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f.rdflib], ids=lambda f: f.key)
def test_extensions_choose_the_format_whatever_accept_says(client, fmt):
    answer = client.get(f"/doc/regio/midden-nederland.{fmt.extension}", headers={"Accept": "text/html"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == fmt.media_type
    assert answer.headers.get("vary") is None


@pytest.mark.parametrize("accept, media", [("text/html", "text/html"), ("text/turtle", "text/turtle"),
                                           ("application/ld+json", "application/ld+json"),
                                           ("application/n-triples", "application/n-triples"),
                                           ("application/rdf+xml", "application/rdf+xml")])
def test_unknown_iris_give_404_in_the_requested_format(client, accept, media):
    answer = client.get("/doc/regio/atlantis", headers={"Accept": accept})
    assert answer.status_code == 404
    assert answer.headers["content-type"].split(";")[0] == media
    if media == "application/ld+json":
        assert json.loads(answer.text)["iri"].endswith("/id/regio/atlantis")
        assert len(Graph().parse(data=answer.text, format="json-ld")) == 0
    elif media != "text/html":
        assert len(Graph().parse(data=answer.text, format={"text/turtle": "turtle", "application/n-triples": "nt",
                                                           "application/rdf+xml": "xml"}[media])) == 0
    assert client.get("/id/regio/atlantis", headers={"Accept": accept}, follow_redirects=False).status_code == 404
