"""grlc, the saved-query API server (PyPI `grlc`, in the test extra), runs every queries/*.rq unchanged.

It reads each file's `#+` header and parameters as iza-kg reads them (summary, tags, parameter names,
types, defaults, and optional exactly when there is a default: grlc's `?__name`), and sends each query,
with the values pasted in, to the app's /sparql; its rows are the rows of /queries/{name}.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from app.api.service import plain
from app.backends import SelectResult
from app.backends.remote import _term_from_json
from app.queries import QUERY_DIR, QueryLibrary
from tests.web.server import Server, build_app

GRLC_TYPE = {"iri": ("string", "iri"), "string": ("string", None)}  # iza-kg kind -> grlc (type, format)
RDF_FORMS = ("CONSTRUCT", "DESCRIBE")


@pytest.fixture(scope="module")
def served():
    with Server(build_app()) as server:
        yield server.base_url


@pytest.fixture(scope="module")
def grlc_run(served, tmp_path_factory):
    """grlc's spec of queries/ and its answers to each query with its defaults, against the app's /sparql."""
    library = QueryLibrary.load()
    calls = [[q.name, {n: p.default for n, p in q.parameters.items()},
              "application/n-triples" if q.form in RDF_FORMS else "application/json"] for q in library]
    folder = tmp_path_factory.mktemp("grlc")
    (folder / "config.ini").write_text(f"[local]\nlocal_sparql_dir = {QUERY_DIR}\n")
    done = subprocess.run([sys.executable, str(Path(__file__).with_name("grlc_client.py")), str(QUERY_DIR),
                           served + "/sparql", json.dumps(calls)], cwd=folder, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout)
    return library, out["spec"], dict(zip((c[0] for c in calls), out["answers"]))


def test_grlc_reads_every_query_as_iza_kg_does(grlc_run):
    library, spec, _ = grlc_run
    assert "could not parse" not in (spec["info"].get("description") or "").lower()
    assert sorted(path.strip("/") for path in spec["paths"]) == sorted(q.name for q in library)
    for query in library:
        (operation,) = spec["paths"]["/" + query.name].values()
        assert operation["summary"] == query.summary, query.name
        assert operation["tags"] == query.tags, query.name
        read = {p["name"]: p for p in operation["parameters"] or [] if p["name"] not in ("endpoint", "specUrl")}
        assert set(read) == set(query.parameters), query.name
        for name, parameter in query.parameters.items():
            found = read[name]
            assert (found["type"], found.get("format")) == GRLC_TYPE[parameter.kind], (query.name, name)
            assert found.get("default") == parameter.default, (query.name, name)
            assert found["required"] == (parameter.default is None), (query.name, name)


def test_grlc_gets_the_rows_of_the_named_query(grlc_run, served):
    library, _, answers = grlc_run
    for query in library:
        status, body = answers[query.name]
        assert status == 200, (query.name, body[:300])
        params = {n: p.default for n, p in query.parameters.items()}
        if query.form in RDF_FORMS:
            ours = httpx.get(f"{served}/queries/{query.name}", params=params, headers={"Accept": "application/n-triples"})
            assert isomorphic(Graph().parse(data=body, format="nt"), Graph().parse(data=ours.text, format="nt")), query.name
            continue
        answer = json.loads(body)
        result = SelectResult(answer["head"]["vars"], [{k: _term_from_json(v) for k, v in row.items()}
                                                       for row in answer["results"]["bindings"]])
        ours, page = [], 1
        while True:  # every page of the named query's answer (source-quotes has thousands of rows)
            answered = httpx.get(f"{served}/queries/{query.name}", params={**params, "pageSize": 1000, "page": page}).json()
            ours += answered["data"]
            if len(ours) >= answered["total"] or not answered["data"]:
                break
            page += 1
        assert len(ours) == answered["total"], query.name
        assert json.loads(json.dumps(plain(query.rows(result)), default=str)) == ours, query.name
