"""The linked-data router and the Link header are part of the real app (app.main.create_app)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def real_client(backend):
    main = pytest.importorskip("app.main")
    with TestClient(main.create_app(backend=backend)) as client:
        yield client


@pytest.mark.parametrize("path", ["/", "/sparql?query=ASK%7B%7D", "/id/regio/midden-nederland", "/catalog", "/docs"])
def test_every_response_of_the_app_links_the_dataset_description(real_client, path):
    answer = real_client.get(path, follow_redirects=False)
    assert answer.status_code < 500
    assert '</catalog>; rel="describedby"' in answer.headers.get("link", "")


def test_the_app_serves_the_linked_data_routes(real_client):
    assert real_client.get("/id/regio/midden-nederland", follow_redirects=False).status_code == 303
    assert real_client.get("/doc/regio/midden-nederland", headers={"Accept": "text/turtle"}).status_code == 200
    assert real_client.get("/.well-known/void").status_code == 200
    assert real_client.get("/def/", headers={"Accept": "text/html"}).status_code == 200


def test_the_main_app_pages_linked_from_documents_resolve(real_client):
    for path in ("/", "/sparql"):
        assert real_client.get(path, headers={"Accept": "text/html"}).status_code in (200, 400), path
