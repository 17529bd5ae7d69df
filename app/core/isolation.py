"""Where the embedded graph's queries run: the API's own in threads, /sparql text in killable processes.

The API process holds the graph (one pyoxigraph store, loaded by Oxigraph's bulk loader, straight from
the source files) and answers the project's named queries on it in process, in at most `workers`
threads at a time: their text is the project's own, bound with checked parameters, and pyoxigraph
releases the GIL while it evaluates. A request waits at most `api_queue_wait_s` for a free thread
(else 503, QueryCapacity) and its answer at most `timeout_s` (else 504, QueryTimeout; the thread
finishes the query and its answer is dropped).

Arbitrary text sent to /sparql runs in the "adhoc" lane: at most `adhoc_workers` worker processes,
forked from the API process (app.core.query_worker) when a query finds no idle one (a few milliseconds),
at a lower CPU priority (nice), each with an address-space limit of `memory_mb` beyond the graph. They
share the graph's pages copy-on-write; at the deadline a worker is killed with SIGKILL and the caller
gets QueryTimeout (504). When every ad-hoc worker is busy for longer than `queue_wait_s` the request
gets 503 (QueryCapacity) instead of queueing forever.

Sharing wears off: Oxigraph's reads write reference counts into the pages they visit, so a page read
by a worker, or by the API process after the fork, becomes a private copy in one of them (a worker that
scans the 1M graph ends up with ~285 MB of its own). So a worker that holds more than
`worker_private_mb` of its own after a query is let go, and so is one idle for `worker_idle_s` or over
that budget at a check (every `tidy_interval_s`); the next /sparql query forks a fresh one. With no
/sparql traffic no worker is alive, so the API's own queries never copy pages for a worker's sake.

The lane is chosen by the request (a context variable that app.core.reliability sets for /sparql), so
routes and backends keep the Backend protocol unchanged. A /sparql text that is one of the project's
named queries (app.queries.QueryLibrary.named) goes back to the API's lane (`as_named_query`): it asks
nothing GET /queries/{name} would not answer there, and a worker would add a fork and the copying of
the pages it reads. Answers are cut at `max_rows` (+ 1, so callers
see there were more) and refused over `max_result_bytes` (ResultTooLarge).
"""

from __future__ import annotations

import contextvars
import logging
import os
import queue
import signal
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from app.api.limits import QueryTimeout, in_thread
from app.backends.base import BackendError, BackendUnavailable
from app.backends.embedded import AnsweringBackend
from app.backends.store_answers import MAX_RESULT_BYTES, answer
from app.core.query_worker import fork_worker, load
from app.loader import RDF_SUFFIXES, ROOT, LoadError, ProjectGraph, graph_name

log = logging.getLogger("iza_kg.isolation")

LANE = contextvars.ContextVar("iza_query_lane", default="api")


@contextmanager
def as_named_query():
    """Run the queries inside in the API's lane, as the named queries they are."""
    token = LANE.set("api")
    try:
        yield
    finally:
        LANE.reset(token)


class QueryCapacity(BackendUnavailable):
    """Every worker of a lane stayed busy for longer than the queue wait."""

    def __init__(self, lane: str, workers: int, waited_s: float):
        self.lane, self.workers, self.waited_s = lane, workers, waited_s
        super().__init__(f"all {workers} {lane} query workers are busy (waited {waited_s:g} s); try again shortly")


class WorkerLost(BackendError):
    """The worker process died during the query (for instance over its memory limit)."""


@dataclass(frozen=True)
class IsolationLimits:
    timeout_s: float = 10.0
    workers: int = 2
    adhoc_workers: int = 2
    adhoc_nice: int = 10
    queue_wait_s: float = 2.0
    api_queue_wait_s: float = 30.0
    max_rows: int = 10_000
    max_result_bytes: int = MAX_RESULT_BYTES
    memory_mb: int = 1024
    worker_private_mb: int = 128
    worker_idle_s: float = 10.0
    tidy_interval_s: float = 1.0


# -- the parent side -------------------------------------------------------------------------------


def source_list(files, root=ROOT) -> list[tuple]:
    """What `load` reads: (path, media type, graph IRI) per file, each file its own named graph."""
    sources = []
    for path in files:
        rdf_format = RDF_SUFFIXES.get(Path(path).suffix)
        if rdf_format is None:
            raise LoadError(Path(path), None, f"unknown RDF file type {Path(path).suffix!r}")
        sources.append((str(path), rdf_format.media_type, graph_name(Path(path), root).value))
    return sources


def private_mb(pid: int) -> float:
    """Memory only this process holds: pages it wrote (or the API process wrote) since the fork, and its own."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            fields = dict(line.split(":", 1) for line in rollup.read().splitlines()[1:])
    except OSError:
        return 0.0
    return sum(int(fields[name].split()[0]) for name in ("Private_Clean", "Private_Dirty")) / 1024


class Worker:
    """One forked worker process, spoken to over its own socket."""

    def __init__(self, pid: int, connection: socket.socket):
        self.pid = pid
        self._socket = connection
        self.connection = Connection(os.dup(connection.fileno()))
        self.killed = False
        self.idle_since = time.monotonic()

    def is_alive(self) -> bool:
        if self.killed:
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def kill(self) -> None:
        if not self.killed:
            self.killed = True
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)  # reap it: it was forked from this process
            except (ProcessLookupError, ChildProcessError):
                pass
        self.connection.close()
        self._socket.close()


class Lane:
    """At most `size` worker processes, forked when a query finds none idle. A worker whose query ran past
    the limit is killed; one that holds more than the memory budget of its own after a query, or that
    stayed idle for `idle_s`, is let go (the next query forks a fresh one)."""

    def __init__(self, name: str, size: int, nice: int, backend: "IsolatedBackend"):
        self.name, self.size, self.nice, self.backend = name, size, nice, backend
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.running = 0  # workers alive, idle or busy
        self.killed = 0
        self._count = threading.Lock()

    def _take(self, wait_s: float) -> Worker:
        try:
            return self.idle.get_nowait()
        except queue.Empty:
            pass
        with self._count:
            fork = self.running < self.size
            if fork:
                self.running += 1
        if fork:
            try:
                return self.backend._spawn(self)
            except BaseException:
                self._let_go(None)
                raise
        try:
            return self.idle.get(timeout=wait_s)
        except queue.Empty:
            raise QueryCapacity(self.name, self.size, wait_s) from None

    def _let_go(self, worker: Worker | None) -> None:
        if worker is not None:
            worker.kill()
        with self._count:
            self.running -= 1

    def _give_back(self, worker: Worker) -> None:
        """Back to the idle workers, unless it holds more than the budget of its own (read off the request's
        path: a worker that just scanned the graph is let go before the next query finds it)."""
        def check():
            if private_mb(worker.pid) > self.backend.limits.worker_private_mb or self.backend.closed:
                self._let_go(worker)
            else:
                worker.idle_since = time.monotonic()
                self.idle.put(worker)

        threading.Thread(target=check, name=f"iza-{self.name}-return", daemon=True).start()

    def tidy(self, budget_mb: float, idle_s: float) -> None:
        """Let go of the idle workers that stayed idle for `idle_s`, or hold more than `budget_mb` of their own
        (the API process's reads since the fork leave them the pages it copied)."""
        for _ in range(self.idle.qsize()):
            try:
                worker = self.idle.get_nowait()
            except queue.Empty:
                return
            if time.monotonic() - worker.idle_since > idle_s or private_mb(worker.pid) > budget_mb:
                self._let_go(worker)
            else:
                self.idle.put(worker)

    def call(self, request: tuple, timeout_s: float, queue_wait_s: float):
        """A query waits at most `queue_wait_s` for a worker, and the wait counts against its time limit (a
        runaway is answered within the limit, start to end)."""
        started = time.monotonic()
        wait_s = min(queue_wait_s, timeout_s)
        worker = self._take(wait_s)
        remaining = max(0.0, timeout_s - (time.monotonic() - started))
        try:
            worker.connection.send(request)
            if not worker.connection.poll(remaining):
                self._let_go(worker)
                self.killed += 1
                log.warning("query stopped after %.1f s in the %s lane (worker %s killed)",
                            time.monotonic() - started, self.name, worker.pid)
                raise QueryTimeout(timeout_s)
            reply = worker.connection.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._let_go(worker)
            raise WorkerLost("the query worker stopped during the query (over its memory limit?)") from None
        if reply[0] == "memory":
            self._let_go(worker)
            raise WorkerLost(reply[1])
        self._give_back(worker)
        return reply


class IsolatedBackend(AnsweringBackend):
    """The embedded Oxigraph graph: named queries in process, /sparql in killable worker processes (a Backend)."""

    name = "embedded"
    endpoint = None
    graph_version: str | None = None  # set by whoever loaded the files (app.core.graph_state): what it was made from

    def __init__(self, store: ox.Store, limits: IsolationLimits = IsolationLimits()):
        self.store = store
        self.limits = limits
        self.timeout_s = limits.timeout_s
        self.closed = False
        self.triples = len(store)
        self.store.query("ASK { ?s ?p ?o }")  # the store's lazy setup happens here, before any fork
        self._all: list[Worker] = []
        self._lock = threading.Lock()
        self.slots = threading.BoundedSemaphore(limits.workers)
        self.api_stopped = 0
        self.lanes = {"adhoc": Lane("adhoc", limits.adhoc_workers, limits.adhoc_nice, self)}
        self._stop = threading.Event()
        threading.Thread(target=self._tidy, name="iza-tidy", daemon=True).start()

    @classmethod
    def from_files(cls, files, limits: IsolationLimits = IsolationLimits(), root=ROOT) -> "IsolatedBackend":
        sources = source_list(files, root)
        try:
            store = load(sources)
        except SyntaxError as error:
            raise LoadError(Path(error.filename or "?"), error.lineno, str(getattr(error, "msg", error))) from None
        except (OSError, ValueError) as error:
            raise LoadError(Path(getattr(error, "filename", None) or "?"), None, str(error)) from None
        return cls(store, limits)

    @classmethod
    def from_project(cls, project: ProjectGraph, limits: IsolationLimits = IsolationLimits()) -> "IsolatedBackend":
        """From a graph already parsed (tests)."""
        return cls(project.to_store(), limits)

    def _spawn(self, lane: Lane) -> Worker:
        if self.closed:
            raise BackendUnavailable("the graph is being replaced")
        with self._lock:  # one fork at a time
            pid, connection = fork_worker(self.store, lane.nice, (self.limits.memory_mb, self.limits.max_result_bytes))
            worker = Worker(pid, connection)
            self._all = [w for w in self._all if w.is_alive()] + [worker]
        return worker

    def _tidy(self) -> None:
        while not self._stop.wait(self.limits.tidy_interval_s):
            for lane in self.lanes.values():
                lane.tidy(self.limits.worker_private_mb, self.limits.worker_idle_s)

    def _call(self, kind: str, text: str, graphs: tuple, media_type: str | None = None,
              max_rows: int | None = None) -> tuple:
        if self.closed:
            raise BackendUnavailable("the graph is being replaced; try again")
        max_rows = self.limits.max_rows if max_rows is None else max_rows
        request = (kind, text, *graphs, media_type, max_rows)
        if LANE.get() == "adhoc":
            return self.lanes["adhoc"].call(request, self.limits.timeout_s, self.limits.queue_wait_s)
        if not self.slots.acquire(timeout=self.limits.api_queue_wait_s):
            raise QueryCapacity("api", self.limits.workers, self.limits.api_queue_wait_s)
        try:
            return in_thread(lambda: answer(self.store, *request, max_bytes=self.limits.max_result_bytes),
                             self.limits.timeout_s, release=self.slots.release)
        except QueryTimeout:
            self.api_stopped += 1
            log.warning("a named query ran past %.1f s; its answer is dropped", self.limits.timeout_s)
            raise

    def stats(self) -> dict:
        adhoc = self.lanes["adhoc"]
        return {"api": {"threads": self.limits.workers, "idle": self.slots._value, "stopped": self.api_stopped},
                "adhoc": {"workers": adhoc.size, "running": adhoc.running, "idle": adhoc.idle.qsize(),
                          "stopped": adhoc.killed}}

    def close(self) -> None:
        self.closed = True
        self._stop.set()
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            worker.kill()
