"""How much of a route's query time is Oxigraph parsing and planning its texts, not reading the graph.

    python bench/plan_cost.py [/regions/synthetische-regio-01]

Records the queries the API runs for the route (as bench/run.py does for its bare figure) on the 10k
synthetic graph, then runs each text on a store with no triples, where evaluating costs next to nothing,
and prints each query's p50 and their sum. The cost does not depend on the size of the graph.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402  (bench/run.py)

from app.core.isolation import source_list  # noqa: E402
from app.core.query_worker import load  # noqa: E402
from app.loader import source_files  # noqa: E402


def plan_cost_ms(text: str, runs: int = 15) -> float:
    empty = ox.Store()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        list(empty.query(text, use_default_graph_as_union=True))
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: list[str]) -> int:
    path = argv[0] if argv else f"/regions/{bench.region_slug(1)}"
    nt, _ = bench.ensure_generated("10k", bench.SIZES["10k"])
    store = load(source_list(source_files(bench.sources(nt))))
    costs = [(plan_cost_ms(text), text) for _, text in bench.recorded_queries(store, path)]
    for cost, text in sorted(costs, reverse=True):
        summary = next((line[12:80] for line in text.splitlines() if line.startswith("#+ summary:")), text[:68])
        print(f"{cost:7.2f} ms  {text.count('OPTIONAL'):2} OPTIONAL  {summary}")
    print(f"{path}: {len(costs)} queries, parse + plan summed {sum(c for c, _ in costs):.1f} ms (p50 of each)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
