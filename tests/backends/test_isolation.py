"""The embedded graph as the served app runs it (app.core.isolation): named queries in process, /sparql in
worker processes forked from it."""

import os
import time
from pathlib import Path

import pytest

from app.backends.base import QueryDataset
from app.core.isolation import LANE, IsolatedBackend, IsolationLimits
from app.loader import LoadError, configured_sources, source_files

REFERENCE_GRAPH = "https://w3id.org/iza-kg/graph/data/reference/zorgkantoorregios"
COUNT_REGIONS = "SELECT (COUNT(?r) AS ?n) WHERE { ?r a <https://w3id.org/iza-kg/def/ZorgkantoorRegion> }"


@pytest.fixture(scope="module")
def backend():
    backend = IsolatedBackend.from_files(source_files(configured_sources()),
                                         IsolationLimits(workers=2, adhoc_workers=1, worker_private_mb=10_000))
    yield backend
    backend.close()


def memory_kib(pid: int) -> dict[str, int]:
    lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]
    return {name: int(value.split()[0]) for name, value in (line.split(":", 1) for line in lines)}


def private_kib(pid: int) -> int:
    """Memory only this process holds (pages it wrote since the fork, or allocated itself)."""
    fields = memory_kib(pid)
    return fields["Private_Clean"] + fields["Private_Dirty"]


def adhoc(backend, call):
    token = LANE.set("adhoc")
    try:
        return call()
    finally:
        LANE.reset(token)


def test_the_files_load_and_both_lanes_answer_alike(backend):
    assert backend.triples > 10_000
    assert backend.values(COUNT_REGIONS).rows == [{"n": 31}]
    assert adhoc(backend, lambda: backend.values(COUNT_REGIONS)).rows == [{"n": 31}]
    served = adhoc(backend, lambda: backend.answer(COUNT_REGIONS, "text/csv", 10))
    assert served.body == b"n\r\n31\r\n" and served.media_type.startswith("text/csv") and not served.capped


def test_workers_share_the_graph_instead_of_each_holding_a_copy(backend):
    adhoc(backend, lambda: backend.select(COUNT_REGIONS))
    holder = memory_kib(os.getpid())["Rss"]  # this process: the interpreter and the graph
    workers = [private_kib(worker.pid) for worker in backend._all]
    assert len(workers) == 1
    # a worker writes a little (Python objects, query buffers) but copies neither; a worker that
    # loaded its own graph held all of its memory privately
    assert max(workers) < holder / 4, (holder, workers)


def test_a_worker_holding_more_than_its_budget_is_let_go_and_the_next_query_forks_a_fresh_one():
    backend = IsolatedBackend.from_files(source_files(configured_sources()),
                                         IsolationLimits(workers=1, adhoc_workers=1, worker_private_mb=1))
    try:
        scan = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?o ?q ?r }"  # touches most of the graph
        counted = adhoc(backend, lambda: backend.values(scan)).rows
        first = backend._all[0].pid
        deadline = time.monotonic() + 10
        while backend.lanes["adhoc"].running and time.monotonic() < deadline:
            time.sleep(0.05)
        assert backend.lanes["adhoc"].running == 0, "the worker over its budget was kept"
        assert adhoc(backend, lambda: backend.values(scan)).rows == counted  # a fresh worker answers alike
        assert backend._all[-1].pid != first
    finally:
        backend.close()


def test_a_dataset_reaches_the_workers(backend):
    only_reference = QueryDataset(default_graphs=(REFERENCE_GRAPH,))
    assert int(backend.select(COUNT_REGIONS, dataset=only_reference).rows[0]["n"]) == 31
    only_named = QueryDataset(named_graphs=(REFERENCE_GRAPH,))
    assert int(backend.select(COUNT_REGIONS, dataset=only_named).rows[0]["n"]) == 0
    graphs = backend.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", dataset=only_named)
    assert [str(row["g"]) for row in graphs.rows] == [REFERENCE_GRAPH]


def test_a_file_that_does_not_parse_is_a_load_error_with_file_and_line(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n')
    with pytest.raises(LoadError) as raised:
        IsolatedBackend.from_files([broken], IsolationLimits(workers=1, adhoc_workers=1), root=tmp_path)
    assert raised.value.path.name == "broken.ttl" and raised.value.line == 3
