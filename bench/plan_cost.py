"""How much of a route's query time is Oxigraph parsing and planning its texts, not reading the graph.

    python bench/plan_cost.py [/regions/synthetische-regio-01]
    python bench/plan_cost.py --chains

Records the queries the API runs for the route (as bench/run.py does for its bare figure) on the 10k
synthetic graph, then runs each text on a store with no triples, where evaluating costs next to nothing,
and prints each query's p50 and their sum. The cost does not depend on the size of the graph.

With --chains: how the cost grows with the number of single-pattern OPTIONALs in one group, all on the
same variable (as a query lists a resource's attributes) and each on a variable of its own
(docs/queries.md, "Planning time").
"""

from __future__ import annotations

import argparse
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


def chain(optionals: int, shared: bool) -> str:
    """A query with `optionals` OPTIONALs after one pattern, on its subject (shared) or each on its own."""
    subject = (lambda i: "?item") if shared else (lambda i: f"?other{i}")
    patterns = "\n".join(f"  OPTIONAL {{ {subject(i)} <urn:x:p{i}> ?value{i} }}" for i in range(optionals))
    return f"SELECT * WHERE {{\n  ?item <urn:x:type> ?type .\n{patterns}\n}}"


def chains(lengths=(4, 8, 16, 32)) -> int:
    print("OPTIONALs  on one variable  each on its own")
    for length in lengths:
        print(f"{length:9}  {plan_cost_ms(chain(length, True)):10.2f} ms  {plan_cost_ms(chain(length, False)):10.2f} ms")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench/plan_cost.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", default=f"/regions/{bench.region_slug(1)}",
                        help="an API path whose queries are recorded (default: a synthetic region's profile)")
    parser.add_argument("--chains", action="store_true", help="the plan time of OPTIONAL chains by length instead")
    args = parser.parse_args(argv)
    if args.chains:
        return chains()
    path = args.path
    if not path.startswith("/"):
        parser.error(f"{path!r} is not an API path such as /regions/{bench.region_slug(1)}")
    nt, _ = bench.ensure_generated("10k", bench.SIZES["10k"])
    store = load(source_list(source_files(bench.sources(nt))))
    try:
        recorded = bench.recorded_queries(store, path)
    except ValueError as error:
        parser.error(f"{error} on the 10k synthetic graph")
    costs = [(plan_cost_ms(text), text) for _, text in recorded]
    for cost, text in sorted(costs, reverse=True):
        summary = next((line[12:80] for line in text.splitlines() if line.startswith("#+ summary:")), text[:68])
        print(f"{cost:7.2f} ms  {text.count('OPTIONAL'):2} OPTIONAL  {summary}")
    print(f"{path}: {len(costs)} queries, parse + plan summed {sum(c for c, _ in costs):.1f} ms (p50 of each)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
