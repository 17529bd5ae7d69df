"""Query isolation for the embedded graph: every query runs in a worker process that can be killed.

pyoxigraph cannot cancel a query that is running, so a thread with a time limit only abandons it (the
store keeps computing). Here each query goes to a worker process holding its own copy of the graph
(a few MB); at the deadline the worker is killed with SIGKILL, the caller gets QueryTimeout (504), and
a fresh worker is started from the same N-Quads in the background.

Two lanes keep the public endpoint from starving the API:

- "api": the named queries the routes run (regions, compare, pages, linked data). `workers` processes.
- "adhoc": text sent to /sparql. `adhoc_workers` processes, run at a lower CPU priority (nice), so a
  runaway query costs the other requests little CPU; when every ad-hoc worker is busy for longer than
  `queue_wait_s` the request gets 503 (QueryCapacity) instead of queueing forever.

The lane is chosen by the request (a context variable that app.core.reliability sets for /sparql), so
routes and backends keep the Backend protocol unchanged. Each worker also stops reading solutions past
`max_rows + 1` (the routes cut at `max_rows` and only need to know there were more) and refuses answers
over `max_result_bytes` (ResultTooLarge), and has its address space capped at `memory_mb`.
"""

from __future__ import annotations

import contextvars
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from app.api.limits import QueryTimeout
from app.backends.base import BackendError, BackendUnavailable, Bindings, QuerySyntaxError, SelectResult
from app.loader import ROOT, XSD_STRING, ProjectGraph

log = logging.getLogger("iza_kg.isolation")

LANE = contextvars.ContextVar("iza_query_lane", default="api")
LANES = ("api", "adhoc")


class ResultTooLarge(BackendError):
    """An answer larger than the byte limit."""

    def __init__(self, limit_bytes: int):
        self.limit_bytes = limit_bytes
        super().__init__(f"the answer is larger than {limit_bytes} bytes (the limit set by IZA_MAX_RESULT_BYTES); "
                         "narrow the query or page through it with LIMIT and OFFSET")


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
    max_result_bytes: int = 50_000_000
    memory_mb: int = 1024


# -- terms from the worker -----------------------------------------------------------------------


def _decode(encoded: tuple) -> Node:
    kind, value = encoded[0], encoded[1]
    if kind == "u":
        return URIRef(value)
    if kind == "b":
        return BNode(value)
    language, datatype = encoded[2], encoded[3]
    if language:
        return Literal(value, lang=language)
    if datatype == XSD_STRING:
        return Literal(value)
    return Literal(value, datatype=URIRef(datatype))


# -- the parent side -------------------------------------------------------------------------------


class Worker:
    """One `python -m app.core.query_worker` process, spoken to over its stdin and stdout."""

    def __init__(self, nquads: bytes, nice: int, limits: IsolationLimits):
        args = [str(nice), str(limits.memory_mb), str(limits.max_rows), str(limits.max_result_bytes)]
        self.process = subprocess.Popen([sys.executable, "-m", "app.core.query_worker", *args], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, cwd=str(ROOT))
        self.requests = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.replies = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        self.pid = self.process.pid
        self.triples: int | None = None
        # The graph goes down the pipe while the process starts (and the other workers with it).
        self._loader = threading.Thread(target=self._send_graph, args=(nquads,), daemon=True)
        self._loader.start()

    def _send_graph(self, nquads: bytes) -> None:
        try:
            self.requests.send_bytes(nquads)
        except OSError:
            pass  # the worker died; wait_ready reports it

    def wait_ready(self, timeout_s: float) -> None:
        try:
            if not self.replies.poll(timeout_s):
                self.kill()
                raise BackendUnavailable(f"a query worker did not start within {timeout_s:g} s")
            status, self.triples = self.replies.recv()
        except (EOFError, OSError):
            self.kill()
            raise BackendUnavailable("a query worker died while loading the graph") from None

    def is_alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log.error("query worker %s did not stop", self.pid)
        for connection in (self.requests, self.replies):
            connection.close()


class Lane:
    """A fixed set of workers; a query takes an idle one, a runaway's worker is replaced."""

    def __init__(self, name: str, size: int, nice: int, backend: "IsolatedBackend"):
        self.name, self.size, self.nice, self.backend = name, size, nice, backend
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.killed = 0

    def start(self) -> list[Worker]:
        return [self.backend._spawn(self) for _ in range(self.size)]

    def replace(self) -> None:
        """Start a fresh worker in the background (after a kill or a crash)."""
        if self.backend.closed:
            return

        def run():
            try:
                worker = self.backend._spawn(self)
                worker.wait_ready(60)
            except BackendError as error:
                log.error("could not replace a %s query worker: %s", self.name, error)
                return
            if self.backend.closed:
                worker.kill()
            else:
                self.idle.put(worker)

        thread = threading.Thread(target=run, name=f"iza-respawn-{self.name}", daemon=True)
        self.backend._respawns.append(thread)
        thread.start()

    def call(self, form: str, text: str, timeout_s: float, queue_wait_s: float):
        """Ad-hoc queries wait at most `queue_wait_s` for a worker, and the wait counts against their time
        limit (a runaway is answered within the limit, start to end). The API lane's own queries queue for
        up to `queue_wait_s` (IZA_API_QUEUE_WAIT_S) when many requests come at once, and then have the whole
        time limit to run."""
        started = time.monotonic()
        wait_s = min(queue_wait_s, timeout_s) if self.name == "adhoc" else queue_wait_s
        try:
            worker = self.idle.get(timeout=wait_s)
        except queue.Empty:
            raise QueryCapacity(self.name, self.size, wait_s) from None
        remaining = max(0.0, timeout_s - (time.monotonic() - started)) if self.name == "adhoc" else timeout_s
        try:
            worker.requests.send((form, text))
            if not worker.replies.poll(remaining):
                worker.kill()
                self.killed += 1
                log.warning("query stopped after %.1f s in the %s lane (worker %s killed)",
                            time.monotonic() - started, self.name, worker.pid)
                self.replace()
                raise QueryTimeout(timeout_s)
            reply = worker.replies.recv()
        except (EOFError, OSError, BrokenPipeError):
            worker.kill()
            self.replace()
            raise WorkerLost("the query worker stopped during the query (over its memory limit?)") from None
        if reply[0] == "memory":
            worker.kill()
            self.replace()
            raise WorkerLost(reply[1])
        self.idle.put(worker)
        return reply


class IsolatedBackend:
    """The embedded Oxigraph graph behind killable worker processes (a Backend)."""

    name = "embedded"
    endpoint = None

    def __init__(self, nquads: bytes, limits: IsolationLimits = IsolationLimits(), start_timeout_s: float = 60):
        self.nquads = nquads
        self.limits = limits
        self.timeout_s = limits.timeout_s
        self.closed = False
        self._all: list[Worker] = []
        self._lock = threading.Lock()
        self._respawns: list[threading.Thread] = []
        self.lanes = {"api": Lane("api", limits.workers, 0, self),
                      "adhoc": Lane("adhoc", limits.adhoc_workers, limits.adhoc_nice, self)}
        started = [w for lane in self.lanes.values() for w in zip(lane.start(), [lane] * lane.size)]
        try:
            for worker, lane in started:
                worker.wait_ready(start_timeout_s)
                lane.idle.put(worker)
        except BackendError:
            self.close()
            raise
        self.triples = started[0][0].triples if started else 0

    @classmethod
    def from_project(cls, project: ProjectGraph, limits: IsolationLimits = IsolationLimits()) -> "IsolatedBackend":
        import pyoxigraph as ox

        return cls(ox.serialize(project.quads(), format=ox.RdfFormat.N_QUADS), limits)

    def _spawn(self, lane: Lane) -> Worker:
        worker = Worker(self.nquads, lane.nice, self.limits)
        with self._lock:
            self._all = [w for w in self._all if w.is_alive()] + [worker]
        return worker

    def _call(self, form: str, query: str, bindings: Bindings | None):
        from app.backends.binding import bind_with_values

        if self.closed:
            raise BackendUnavailable("the graph is being replaced; try again")
        text = bind_with_values(query, bindings)
        lane = self.lanes.get(LANE.get(), self.lanes["api"])
        wait_s = self.limits.queue_wait_s if lane.name == "adhoc" else self.limits.api_queue_wait_s
        reply = lane.call(form, text, self.limits.timeout_s, wait_s)
        status, value = reply
        if status == "ok":
            return value
        if status == "syntax":
            raise QuerySyntaxError(value)
        if status == "too-large":
            raise ResultTooLarge(value)
        raise BackendError(value)

    def select(self, query: str, bindings: Bindings | None = None) -> SelectResult:
        variables, rows = self._call("select", query, bindings)
        return SelectResult(variables, [{k: _decode(v) for k, v in row.items()} for row in rows])

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        return self._call("ask", query, bindings)

    def construct(self, query: str, bindings: Bindings | None = None) -> Graph:
        graph = Graph()
        for s, p, o in self._call("construct", query, bindings):
            graph.add((_decode(s), _decode(p), _decode(o)))
        return graph

    def stats(self) -> dict:
        return {lane.name: {"workers": lane.size, "idle": lane.idle.qsize(), "stopped": lane.killed}
                for lane in self.lanes.values()}

    def close(self) -> None:
        self.closed = True
        for thread in self._respawns:  # let a replacement finish starting, then stop it too
            thread.join(timeout=10)
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            worker.kill()
