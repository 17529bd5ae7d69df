"""The iza-kg command line, run as a user would run it."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from rdflib import Dataset, Graph

from app.loader import ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "loader"


def iza_kg(*args: str, sources: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("IZA_SOURCES", None)
    env.pop("IZA_SPARQL_ENDPOINT", None)
    if sources:
        env["IZA_SOURCES"] = sources
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, env=env, cwd=ROOT)


def test_help_lists_the_commands():
    result = iza_kg("--help")
    assert result.returncode == 0
    for command in ("serve", "stats", "query", "export"):
        assert command in result.stdout


def test_stats_counts_triples_per_file_and_instances_per_class():
    result = iza_kg("stats")
    assert result.returncode == 0, result.stderr
    assert "data/reference/gemeenten.ttl" in result.stdout
    lines = result.stdout.splitlines()
    municipality_line = next(line for line in lines if line.endswith("/def/Municipality"))
    assert int(municipality_line.split()[0]) == 342


def test_query_by_name_with_a_parameter_as_csv():
    result = iza_kg("query", "regions-reference", "--format", "csv")
    assert result.returncode == 0, result.stderr
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(table) == 31
    assert {"region", "cbsCode", "label", "status", "plans"} == set(table[0])


def test_query_from_a_file_as_json(tmp_path):
    query = tmp_path / "count.rq"
    query.write_text("PREFIX iza: <https://w3id.org/iza-kg/def/>\n"
                     "SELECT (COUNT(?m) AS ?n) WHERE { ?m a iza:Municipality ; iza:cbsCode ?_code }\n")
    result = iza_kg("query", str(query), "--param", "code=GM0402", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"n": 1}]


def test_query_errors_name_the_problem():
    unknown = iza_kg("query", "no-such-query")
    assert unknown.returncode == 1 and "no query named 'no-such-query'" in unknown.stderr
    bad_param = iza_kg("query", "regions-reference", "--param", "nonsense")
    assert bad_param.returncode == 1 and "key=value" in bad_param.stderr
    assert "Traceback" not in unknown.stderr + bad_param.stderr


def test_a_broken_turtle_file_gives_a_one_line_error_and_exit_1():
    result = iza_kg("stats", sources=str(FIXTURES / "broken.ttl"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {FIXTURES / 'broken.ttl'}:4: ")


def test_export_turtle_and_trig_round_trip(tmp_path, project):
    turtle = iza_kg("export", "--format", "ttl")
    assert turtle.returncode == 0, turtle.stderr
    graph = Graph().parse(data=turtle.stdout, format="turtle")
    assert len(graph) == len(project.union_graph())
    trig_file = tmp_path / "graph.trig"
    trig = iza_kg("export", "--format", "trig", "--output", str(trig_file))
    assert trig.returncode == 0, trig.stderr
    dataset = Dataset()
    dataset.parse(trig_file, format="trig")
    named = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert {s.graph.value for s in project.files} <= named
