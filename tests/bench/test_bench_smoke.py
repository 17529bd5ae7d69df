"""Smoke test of the benchmark (bench/generate.py, bench/run.py) at 10k triples, so it never rots.

Generates the 10k graph, serves it with the real `iza-kg serve` (embedded default) and runs the benchmark
machinery once per target: every answer is checked against what the generator wrote (counts per
region, /compare of all 31 regions; on the embedded store and through an Oxigraph server), every route and every .rq through /sparql must answer 200, and the
target table is built from the figures. No timing is asserted.
"""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402
import run as bench  # noqa: E402


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "10k.nt"
    counts = generate.write(10_000, out, seed=1)
    return out, counts


def test_generator_is_deterministic_and_marked_synthetic(synthetic):
    out, counts = synthetic
    again = generate.generate(10_000, seed=1)
    assert out.read_text(encoding="utf-8") == "\n".join(again.lines) + "\n"
    assert counts == again.counts
    assert len(counts["regions"]) == 31
    assert 10_000 <= counts["triples"] < 10_100
    subjects = {line.split(" ", 1)[0] for line in again.lines if not line.startswith("_:")}
    assert all(s.startswith("<" + generate.SYNTHETIC_BASE) for s in subjects)
    with pytest.raises(ValueError):
        generate.write(10, ROOT / "data" / "synthetic.nt")


def test_each_synthetic_region_has_its_own_source_document(synthetic):
    """As each real regioplan is its own document: the regions of a document are then the one region."""
    lines = generate.generate(10_000, seed=1).lines
    derived = {}
    for line in lines:
        subject, predicate, rest = line.split(" ", 2)
        derived.setdefault(predicate, {})[subject] = rest.removesuffix(" .")
    documents = derived["<http://www.w3.org/ns/prov#wasDerivedFrom>"]
    plans = {subject: region for subject, region in derived["<https://w3id.org/iza-kg/def/forRegion>"].items()}
    assert len(plans) == 31
    assert len({documents[plan] for plan in plans}) == 31
    for n in range(1, 32):
        region = f"<{bench.region_iri(n)}>"
        assert documents[region] == documents[f"<{bench.plan_iri(n)}>"] == generate.source_document(n)


def test_benchmark_machinery_at_10k(synthetic):
    out, counts = synthetic
    routes = bench.route_targets()
    sparql = bench.sparql_targets()
    assert len(sparql) == len(list((ROOT / "queries").glob("*.rq")))
    floored = bench.attach_floors(bench.bare_store(bench.sources(out)), routes + sparql)
    assert sorted(t.name.removeprefix("rq:") for t in floored) == sorted(bench.BARE_ROUTES + bench.BARE_QUERIES)
    with bench.api_server(out, timeout_s=120) as server, httpx.Client(base_url=server.base, timeout=60) as client:
        assert bench.check_answers(client, counts) == []
        bench.measure(bench.Connection(server.base), routes + sparql, runs=1, warmup=0, budget_s=30, log=None)
        peak = server.peak_memory_mib()
    failed = {t.name: t.statuses for t in routes + sparql if t.statuses != {200: 1}}
    assert failed == {}
    assert peak > 0
    # each target of the ratio ran its bare floor once, in the same round as its request
    assert {t.name: len(t.floor_times) for t in floored} == {t.name: 1 for t in floored}
    size = {"load_embedded": {"seconds": 0.1, "triples": counts["triples"]}, "embedded": {t.name: bench.summary(t) for t in routes + sparql},
            "answers_embedded": [], "bare": {t.name: bench.floor_summary(t) for t in floored}}
    # the table's ratio row (held at 100k and 1M) from these figures, as if measured at 100k
    results = {"sizes": {"10k": size, "100k": size}, "shacl": {}, "cold_start": {"seconds": 1.0}}
    table = {t["target"]: t for t in bench.targets(results)}
    assert table["10k embedded: answers match the generator's counts"]["pass"]
    ratio = next(t for name, t in table.items() if name.startswith("100k: API p50 / bare pyoxigraph p50"))
    assert ratio["value"] > 0 and all(name in ratio["note"] for name in bench.BARE_ROUTES)


def test_the_remote_backend_answers_like_the_generator_at_10k(synthetic, tmp_path):
    """The Oxigraph server gets the graph as `iza-kg publish` lays it out, the inferred graph included: without
    it the walks along iza:hasPart found nothing and every region's counts were off."""
    out, counts = synthetic
    bench.load_oxigraph(bench.sources(out), tmp_path / "store")
    with bench.oxigraph_server(tmp_path / "store") as oxigraph, \
            bench.api_server(None, endpoint=oxigraph.base + "/query", timeout_s=120) as server, \
            httpx.Client(base_url=server.base, timeout=60) as client:
        assert bench.check_answers(client, counts) == []


def test_rdflib_baseline_runs_the_same_sparql(synthetic):
    out, _ = synthetic
    dataset, seconds = bench.load_rdflib(bench.sources(out))
    assert len(dataset) > 10_000 and seconds > 0
    chosen = [t for t in bench.sparql_targets() if t.name in ("rq:compare-funding", "rq:compare-kpis", "rq:regions")]
    figures = bench.measure_rdflib(dataset, chosen, runs=1, warmup=0, budget_s=30, probe_timeout_s=30)
    assert all(f["runs"] == 1 and f["errors"] == 0 for f in figures.values()), figures


def test_plan_cost_lists_the_profile_queries_with_their_parse_and_plan_time(capsys):
    import plan_cost

    assert plan_cost.main([f"/regions/{bench.region_slug(1)}"]) == 0
    lines = capsys.readouterr().out.splitlines()
    total = lines[-1]
    assert "parse + plan summed" in total
    queries = int(total.split(": ", 1)[1].split(" queries")[0])
    assert queries > 5 and len([line for line in lines if " OPTIONAL " in line]) == queries


def test_plan_cost_names_a_wrong_path_instead_of_failing(capsys):
    import plan_cost

    with pytest.raises(SystemExit) as stopped:
        plan_cost.main(["regions"])
    assert stopped.value.code == 2 and "'regions' is not an API path" in capsys.readouterr().err


def test_plan_cost_chains_lists_optional_chains_by_length(capsys):
    import plan_cost

    assert plan_cost.chains(lengths=(2, 4)) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[1:]]
    assert [row[0] for row in rows] == ["2", "4"] and all(row[2] == row[4] == "ms" for row in rows)
    assert plan_cost.chain(3, shared=True).count("OPTIONAL { ?item ") == 3
    assert plan_cost.chain(3, shared=False).count("OPTIONAL { ?other") == 3


def test_exports_are_listed_beside_the_sparql_target_not_held_to_its_limit():
    """source-quotes and graph-all (tag `export`) answer with a row per quote or triple of the graph: the target
    for every .rq states their figures but is decided by the other queries."""
    served = {"rq:regions": {"p50_ms": 12.0, "statuses": {"200": 3}},
              "rq:source-quotes": {"p50_ms": 2450.2, "statuses": {"200": 3}},
              "rq:graph-all": {"p50_ms": None, "statuses": {"422": 3}}}
    results = {"sizes": {"1m": {"embedded": served, "load_embedded": {"seconds": 5.0}}}}

    def rq_target(found):
        return next(t for t in found if t["target"].startswith("1M embedded: every .rq via /sparql"))

    met = rq_target(bench.targets(results))
    assert met["pass"] and met["value"] == 12.0
    assert "rq:source-quotes 2450 ms" in met["note"] and "rq:graph-all HTTP 422" in met["note"]
    served["rq:item-roles"] = {"p50_ms": 144.0, "statuses": {"200": 3}}
    missed = rq_target(bench.targets(results))
    assert not missed["pass"] and "item-roles 144" in missed["note"]


def test_a_timed_request_that_cannot_connect_counts_as_an_error_instead_of_stopping_the_run():
    connection = bench.Connection(f"http://127.0.0.1:{bench.free_port()}", timeout_s=2)
    target = bench.Target("nothing-listens", "/regions", "route")
    bench.measure(connection, [target], runs=2, warmup=0, budget_s=5, log=None)
    assert target.statuses == {0: 2} and target.times == []
    assert bench.summary(target)["errors"] == 2
