"""The time limit on queries: every backend call runs in a bounded pool of worker threads.

The request waits at most `timeout_s` for its answer and then gets 504. The embedded store cannot
cancel a running query, so the worker thread keeps computing until the query ends and its result is
discarded; pyoxigraph releases the GIL while it evaluates, so other requests keep being served, and
the pool size caps how many such runaway queries can hold a thread at once. On a remote server the
HTTP request is abandoned (the server's own timeout, e.g. `oxigraph serve --timeout-s`, stops it).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from rdflib import Graph

from app.backends import Backend, BackendError
from app.backends.base import Bindings, SelectResult


class QueryTimeout(BackendError):
    """A query ran longer than the configured limit."""

    def __init__(self, timeout_s: float):
        self.timeout_s = timeout_s
        super().__init__(f"query stopped after {timeout_s:g} s (the limit set by IZA_QUERY_TIMEOUT_S)")


class LimitedBackend:
    """A Backend that runs each call of the wrapped backend in a worker thread, with a time limit."""

    def __init__(self, inner: Backend, timeout_s: float, workers: int = 4, endpoint: str | None = None):
        self.inner = inner
        self.name = inner.name
        self.endpoint = endpoint
        self.timeout_s = timeout_s
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="iza-query")

    def _run(self, method, query: str, bindings: Bindings | None):
        future = self.pool.submit(method, query, bindings)
        try:
            return future.result(timeout=self.timeout_s)
        except FutureTimeout:
            future.cancel()  # only helps if it had not started yet
            raise QueryTimeout(self.timeout_s) from None

    def select(self, query: str, bindings: Bindings | None = None) -> SelectResult:
        return self._run(self.inner.select, query, bindings)

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        return self._run(self.inner.ask, query, bindings)

    def construct(self, query: str, bindings: Bindings | None = None) -> Graph:
        return self._run(self.inner.construct, query, bindings)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.inner.close()
