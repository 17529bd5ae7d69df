"""The time limit on queries: every backend call runs in one of a bounded number of worker threads.

The request waits at most `timeout_s` for its answer and then gets 504. The embedded store cannot
cancel a running query, so the worker thread keeps computing until the query ends and its result is
discarded; pyoxigraph releases the GIL while it evaluates, so other requests keep being served, and
the number of slots caps how many such runaway queries can hold a thread at once. The threads are
daemons: a runaway query never keeps the process from exiting (a ThreadPoolExecutor would be joined
at exit). The served app stops runaway queries for real with worker processes (app.core.isolation). On a remote server the
HTTP request is abandoned (the server's own timeout, e.g. `oxigraph serve --timeout-s`, stops it).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from rdflib import Graph

from app.backends import Backend, BackendError
from app.backends.base import Answer, Bindings, QueryDataset, SelectResult, Table


class QueryTimeout(BackendError):
    """A query ran longer than the configured limit."""

    def __init__(self, timeout_s: float):
        self.timeout_s = timeout_s
        super().__init__(f"query stopped after {timeout_s:g} s (the limit set by IZA_QUERY_TIMEOUT_S)")


def in_thread(call, timeout_s: float, release=None):
    """The result of `call()`, run in a daemon thread; QueryTimeout after `timeout_s` (the thread runs on and
    its result is dropped). `release` is called when the thread ends."""
    future: Future = Future()

    def work() -> None:
        try:
            future.set_result(call())
        except BaseException as error:  # handed to the waiting request, which raises it
            future.set_exception(error)
        finally:
            if release is not None:
                release()

    threading.Thread(target=work, name="iza-query", daemon=True).start()
    try:
        return future.result(timeout=timeout_s)
    except FutureTimeout:
        raise QueryTimeout(timeout_s) from None


class LimitedBackend:
    """A Backend that runs each call of the wrapped backend in a worker thread, with a time limit."""

    def __init__(self, inner: Backend, timeout_s: float, workers: int = 4, endpoint: str | None = None):
        self.inner = inner
        self.name = inner.name
        self.endpoint = endpoint
        self.timeout_s = timeout_s
        self.slots = threading.BoundedSemaphore(workers)

    def _run(self, method, *args):
        if not self.slots.acquire(timeout=self.timeout_s):
            raise QueryTimeout(self.timeout_s)
        return in_thread(lambda: method(*args), self.timeout_s, release=self.slots.release)

    def select(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> SelectResult:
        return self._run(self.inner.select, query, bindings, dataset)

    def ask(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> bool:
        return self._run(self.inner.ask, query, bindings, dataset)

    def construct(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> Graph:
        return self._run(self.inner.construct, query, bindings, dataset)

    def values(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None,
               max_rows: int | None = None) -> Table:
        return self._run(self.inner.values, query, bindings, dataset, max_rows)

    def answer(self, query: str, media_type: str, max_rows: int, bindings: Bindings | None = None,
               dataset: QueryDataset | None = None) -> Answer:
        return self._run(self.inner.answer, query, media_type, max_rows, bindings, dataset)

    def reread(self) -> None:
        self.inner.reread()

    def contents_version(self) -> object:
        return self.inner.contents_version()

    def close(self) -> None:
        self.inner.close()
