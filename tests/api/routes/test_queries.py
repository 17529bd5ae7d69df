"""GET /queries and /queries/{name}, on both backends."""

import csv
import io

GV_PLAN = "https://w3id.org/iza-kg/id/plan/regioplan-gooi-en-vechtstreek"


def test_queries_list_their_grlc_metadata(client):
    body = client.get("/queries").json()
    queries = {q["name"]: q for q in body["data"]}
    transformations = queries["plan-transformations"]
    assert transformations["summary"] and "plans" in transformations["tags"]
    (plan,) = transformations["parameters"]
    assert plan == {"name": "plan", "variable": "?__plan_iri", "type": "iri", "default": GV_PLAN, "required": False}
    assert "regions" in queries and body["count"] == len(body["data"])


def test_run_a_query_with_a_bound_parameter(client):
    body = client.get("/queries/plan-transformations", params={"plan": GV_PLAN, "pageSize": 100}).json()
    labels = list(dict.fromkeys(r["transformationLabel"] for r in body["data"]))
    assert labels[0] == "Zelf- en Samenredzame inwoner" and len(labels) == 5


def test_paging_with_link_headers(client):
    first = client.get("/queries/regions", params={"pageSize": 10})
    assert first.json()["total"] == 31 and len(first.json()["data"]) == 10
    links = first.headers["link"]
    assert 'rel="next"' in links and "page=2" in links and 'rel="last"' in links and "page=4" in links
    last = client.get("/queries/regions", params={"pageSize": 10, "page": 4})
    assert len(last.json()["data"]) == 1 and 'rel="prev"' in last.headers["link"]


def test_query_as_csv(client):
    response = client.get("/queries/regions", params={"format": "csv", "pageSize": 1000})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 31 and rows[0].keys() >= {"region", "slug", "cbsCode"}


def test_parameter_errors_are_422_and_unknown_query_404(client):
    assert client.get("/queries/plan-transformations", params={"plan": "not an iri"}).status_code == 422
    assert client.get("/queries/plan-transformations", params={"colour": "red"}).status_code == 422
    assert client.get("/queries/regions", params={"pageSize": 0}).status_code == 422
    assert client.get("/queries/nope").status_code == 404


def test_an_iri_parameter_cannot_inject(client):
    response = client.get("/queries/plan-transformations", params={"plan": "http://x/> } ; DROP ALL ; <http://y"})
    assert response.status_code == 422
