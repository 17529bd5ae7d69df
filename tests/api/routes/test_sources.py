"""/sources/{doc}/coverage.json|csv and text.txt on both backends: the same coverage as `iza-kg coverage`."""

from __future__ import annotations

import csv
import io

from app.coverage import measure_all
from app.quotes import Citations

MN = "regioplan-midden-nederland"


def test_coverage_json_is_what_the_command_line_measures(client, project):
    expected = {c.document.slug: c.summary(f"/sources/{c.document.slug}") for c in measure_all(Citations.from_project(project))}
    assert len(expected) == 5
    for slug, summary in expected.items():
        response = client.get(f"/sources/{slug}/coverage.json")
        assert response.status_code == 200
        assert response.json() == summary
    assert expected[MN]["uncited"][0]["url"] == f"/sources/{MN}#{expected[MN]['uncited'][0]['anchor']}"


def test_coverage_csv_has_a_row_per_counted_sentence(client):
    summary = client.get(f"/sources/{MN}/coverage.json").json()
    response = client.get("/sources/002/coverage.csv")  # the number names the document too
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == summary["counted"]
    assert sum(r["cited"] == "yes" for r in rows) == summary["cited"]
    assert all(r["citing"].startswith("https://w3id.org/iza-kg/") for r in rows if r["cited"] == "yes")
    assert {r["anchor"] for r in rows if r["cited"] == "no"} == {u["anchor"] for u in summary["uncited"]}


def test_the_text_is_the_vendored_copy(client, project):
    citations = Citations.from_project(project)
    for document in citations.documents:
        response = client.get(f"/sources/{document.slug}/text.txt")
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
        assert response.content == document.path.read_bytes()


def test_an_unknown_document_is_a_404_with_the_known_ones(client):
    response = client.get("/sources/no-such-document/coverage.json")
    assert response.status_code == 404
    assert "no-such-document" in response.json()["detail"] and MN in response.json()["detail"]
    assert client.get("/sources/no-such-document/text.txt").status_code == 404
