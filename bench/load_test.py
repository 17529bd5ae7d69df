"""Bounded loopback load test: 16 concurrent clients on /compare and /regions/{slug} while a runaway
SPARQL query is sent every second.

    python bench/load_test.py                      # 20 s per phase, at most 5000 requests per phase
    python bench/load_test.py --duration 10 --timeout 2 --json out.json

It starts `uvicorn app.main:create_app --factory` on a free loopback port (the embedded graph, its query
workers, the access log in a temporary file), then runs two phases, each capped in time and in count:

1. baseline: the clients alone;
2. under attack: the same clients, plus one runaway query a second on /sparql (a triple cross product
   counted, which would run for minutes), each sent without waiting for the previous one.

It prints the latency percentiles of the normal requests per phase, their errors (anything but 200),
and for the runaway queries how each ended (504 stopped at the limit, or 503 refused because every
ad-hoc worker was busy) and how long the slowest took, against the limit + 1 s. Exit status 1 if a
normal request failed or a runaway query was not stopped within its limit + 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ("gooi-en-vechtstreek", "midden-nederland", "noord-en-midden-limburg")
COMPARE = "/compare?regions=" + ",".join(REGIONS)
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


class App:
    """The app in its own process, as `iza-kg serve` runs it."""

    def __init__(self, timeout_s: float, log_path: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "IZA_QUERY_TIMEOUT_S": str(timeout_s), "IZA_RELOAD_INTERVAL_S": "0"}
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--host", "127.0.0.1", "--port",
             str(self.port), "--no-access-log", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait(self, limit_s: float = 120) -> dict:
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the app stopped; see {self.log.name}")
            try:
                return httpx.get(self.base + "/health", timeout=2).json()
            except httpx.TransportError:
                time.sleep(0.2)
        raise SystemExit(f"the app did not start within {limit_s} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


async def phase(base: str, clients: int, duration_s: float, max_requests: int, runaway_every_s: float | None) -> dict:
    latencies: list[float] = []
    errors: Counter = Counter()
    runaways: list[tuple[int, float]] = []
    stop_at = time.monotonic() + duration_s
    sent = 0

    async def client(number: int, http: httpx.AsyncClient):
        nonlocal sent
        turn = number
        while time.monotonic() < stop_at and sent < max_requests:
            sent += 1
            path = COMPARE if turn % 2 == 0 else f"/regions/{REGIONS[turn // 2 % len(REGIONS)]}"
            turn += 1
            started = time.monotonic()
            try:
                response = await http.get(base + path)
                status = response.status_code
            except httpx.HTTPError as error:
                status = type(error).__name__
            latencies.append(time.monotonic() - started)
            if status != 200:
                errors[f"{path.split('?')[0]} {status}"] += 1

    async def runaway(http: httpx.AsyncClient):
        started = time.monotonic()
        try:
            response = await http.get(base + "/sparql", params={"query": RUNAWAY}, timeout=120)
            status = response.status_code
        except httpx.HTTPError as error:
            status = type(error).__name__
        runaways.append((status, time.monotonic() - started))

    async def attacker(http: httpx.AsyncClient):
        pending = []
        while time.monotonic() < stop_at:
            pending.append(asyncio.create_task(runaway(http)))
            await asyncio.sleep(runaway_every_s)
        await asyncio.gather(*pending)

    limits = httpx.Limits(max_connections=clients + 64, max_keepalive_connections=clients + 64)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        started = time.monotonic()
        attack = asyncio.create_task(attacker(http)) if runaway_every_s else None
        await asyncio.gather(*(client(n, http) for n in range(clients)))
        elapsed = time.monotonic() - started  # the clients' time; the last runaway queries may still run
        if attack is not None:
            await attack
    return {
        "requests": len(latencies), "seconds": round(elapsed, 1), "per_second": round(len(latencies) / elapsed, 1),
        "errors": dict(errors), "p50_ms": round(percentile(latencies, 50) * 1000), "p95_ms": round(percentile(latencies, 95) * 1000),
        "p99_ms": round(percentile(latencies, 99) * 1000), "max_ms": round(max(latencies, default=0) * 1000),
        "mean_ms": round(statistics.fmean(latencies) * 1000) if latencies else None,
        "runaway": {"sent": len(runaways), "statuses": dict(Counter(str(s) for s, _ in runaways)),
                    "max_s": round(max((t for _, t in runaways), default=0), 2),
                    "max_stopped_s": round(max((t for s, t in runaways if s == 504), default=0), 2)} if runaway_every_s else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20, help="seconds per phase (a cap)")
    parser.add_argument("--max-requests", type=int, default=5000, help="normal requests per phase (a cap)")
    parser.add_argument("--timeout", type=float, default=10, help="IZA_QUERY_TIMEOUT_S of the app")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    log_path = Path(tempfile.gettempdir()) / "iza-kg-load-test.log"
    app = App(args.timeout, log_path)
    try:
        health = app.wait()
        warm = [httpx.get(app.base + p, timeout=60).status_code for p in (COMPARE, *(f"/regions/{r}" for r in REGIONS))]
        assert warm == [200] * 4, warm
        results = {"clients": args.clients, "timeout_s": args.timeout, "triples": health.get("triples"),
                   "workers": health.get("workers"), "cpus": os.cpu_count()}
        results["baseline"] = asyncio.run(phase(app.base, args.clients, args.duration, args.max_requests, None))
        results["under_attack"] = asyncio.run(phase(app.base, args.clients, args.duration, args.max_requests, 1.0))
    finally:
        app.stop()
    with open(log_path) as log:
        results["access_log_lines"] = sum(1 for line in log if "iza_kg.access" in line)

    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    attack = results["under_attack"]
    ok = (not attack["errors"] and not results["baseline"]["errors"]
          and attack["runaway"]["max_s"] <= args.timeout + 1
          and set(attack["runaway"]["statuses"]) <= {"503", "504"})
    print("PASS" if ok else "FAIL", f"normal p99 {attack['p99_ms']} ms under attack (baseline {results['baseline']['p99_ms']} ms); "
          f"slowest runaway {attack['runaway']['max_s']} s for a limit of {args.timeout:g} s")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
