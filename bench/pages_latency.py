"""Server time of each web page type at the project's data (issue: <= 150 ms p50).

Runs the real app (app.main.create_app, embedded backend) in process through Starlette's TestClient, so
the figure is server time without network: routing, the named queries and template rendering. Each
page is requested once to warm up (the first request of a query fills the page memo), then N times.
The compliance page is measured after its SHACL run has finished (it runs once per app; see
docs/pages.md). Cold figures (memo emptied before every request) are printed too.

    python bench/pages_latency.py [-n 30]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time

from fastapi.testclient import TestClient

from app.main import create_app

logging.getLogger("iza_kg").setLevel(logging.WARNING)  # no access log lines between the figures

MODELLED = ("gooi-en-vechtstreek", "midden-nederland", "noord-en-midden-limburg")
PAGES = {
    "home": "/",
    **{f"region {slug}": f"/regio/{slug}" for slug in MODELLED},
    "region (not modelled)": "/regio/drenthe",
    "compare (3 regions)": "/vergelijk?" + "&".join(f"regio={s}" for s in MODELLED),
    "compare CSV (themes)": "/vergelijk/themes.csv?" + "&".join(f"regio={s}" for s in MODELLED),
    "frameworks and themes": "/kaders",
    "sparql editor": "/sparql-editor",
    "compliance": "/naleving",
}
HTML = {"accept": "text/html"}


def measure(client: TestClient, path: str, n: int, cold: bool) -> list[float]:
    times = []
    for _ in range(n):
        if cold:
            client.app.state.page_runner._memo.clear()
        started = time.perf_counter()
        response = client.get(path, headers=HTML)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=30)
    args = parser.parse_args()
    with TestClient(create_app()) as client:
        client.get("/naleving", headers=HTML)
        deadline = time.monotonic() + 900
        while "id=\"computing\"" in client.get("/naleving", headers=HTML).text and time.monotonic() < deadline:
            time.sleep(2)
        print(f"{'page':28} {'p50 ms':>8} {'p90 ms':>8} {'cold p50':>9}")
        for name, path in PAGES.items():
            client.get(path, headers=HTML)
            warm = measure(client, path, args.n, cold=False)
            cold = measure(client, path, max(5, args.n // 3), cold=True)
            p90 = statistics.quantiles(warm, n=10)[-1]
            print(f"{name:28} {statistics.median(warm):8.1f} {p90:8.1f} {statistics.median(cold):9.1f}")


if __name__ == "__main__":
    main()
