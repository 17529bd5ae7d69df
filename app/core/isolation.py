"""Query isolation for the embedded graph: every query runs in a worker process that can be killed.

pyoxigraph cannot cancel a query that is running, so a thread with a time limit only abandons it (the
store keeps computing). Here each query goes to a worker process; at the deadline the worker is killed
with SIGKILL, the caller gets QueryTimeout (504), and a fresh worker takes its place in the background.

The graph is loaded once, by a template process (app.core.query_worker) that forks the workers: they
share its memory copy-on-write, so the graph is in memory once however many workers there are, and a
replacement worker is ready in milliseconds instead of loading the graph again. The parent (the API
process) never holds the graph: the template reads the source files itself with Oxigraph's bulk
loader and reports a file that does not parse as LoadError (file, line, reason).

Two lanes keep the public endpoint from starving the API:

- "api": the named queries the routes run (regions, compare, pages, linked data). `workers` processes.
- "adhoc": text sent to /sparql. `adhoc_workers` processes, run at a lower CPU priority (nice), so a
  runaway query costs the other requests little CPU; when every ad-hoc worker is busy for longer than
  `queue_wait_s` the request gets 503 (QueryCapacity) instead of queueing forever.

The lane is chosen by the request (a context variable that app.core.reliability sets for /sparql), so
routes and backends keep the Backend protocol unchanged. Each worker also stops reading solutions past
`max_rows + 1` (the routes cut at `max_rows` and only need to know there were more) and refuses answers
over `max_result_bytes` (ResultTooLarge), and may grow its address space by at most `memory_mb` beyond
the graph it shares.
"""

from __future__ import annotations

import contextvars
import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from app.api.limits import QueryTimeout
from app.backends.base import BackendError, BackendUnavailable, QueryDataset
from app.backends.embedded import AnsweringBackend
from app.loader import RDF_SUFFIXES, ROOT, LoadError, ProjectGraph, graph_name

log = logging.getLogger("iza_kg.isolation")

LANE = contextvars.ContextVar("iza_query_lane", default="api")
LANES = ("api", "adhoc")


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


# -- the parent side -------------------------------------------------------------------------------


def source_list(files, root=ROOT) -> list[tuple]:
    """What the template loads: (path, media type, graph IRI) per file, each file its own named graph."""
    sources = []
    for path in files:
        rdf_format = RDF_SUFFIXES.get(Path(path).suffix)
        if rdf_format is None:
            raise LoadError(Path(path), None, f"unknown RDF file type {Path(path).suffix!r}")
        sources.append((str(path), rdf_format.media_type, graph_name(Path(path), root).value))
    return sources


class Template:
    """The `python -m app.core.query_worker` process that holds the graph and forks the workers."""

    def __init__(self, sources: list[tuple], limits: IsolationLimits, timeout_s: float):
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen([sys.executable, "-m", "app.core.query_worker", str(theirs.fileno())],
                                        pass_fds=[theirs.fileno()], cwd=str(ROOT))
        theirs.close()
        self.socket = ours
        self.control = Connection(os.dup(ours.fileno()))
        self._lock = threading.Lock()  # one fork request at a time on the control socket
        try:
            self.control.send(("load", sources, (limits.memory_mb, limits.max_rows, limits.max_result_bytes)))
            if not self.control.poll(timeout_s):
                raise BackendUnavailable(f"the graph did not load within {timeout_s:g} s")
            reply = self.control.recv()
        except (EOFError, OSError):
            self.close()
            raise BackendUnavailable("the query template process died while loading the graph") from None
        except BackendUnavailable:
            self.close()
            raise
        if reply[0] == "load-error":
            self.close()
            _, path, line, reason = reply
            raise LoadError(Path(path) if path else Path("?"), line, reason)
        self.triples = reply[1]

    def fork(self, nice: int) -> "Worker":
        ours, theirs = socket.socketpair()
        try:
            with self._lock:
                self.control.send(("fork", nice))
                socket.send_fds(self.socket, [b"w"], [theirs.fileno()])
                if not self.control.poll(30):
                    raise BackendUnavailable("the query template process did not start a worker within 30 s")
                _, pid = self.control.recv()
        except (EOFError, OSError):
            ours.close()
            raise BackendUnavailable("the query template process is gone") from None
        finally:
            theirs.close()
        return Worker(pid, ours)

    def is_alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log.error("query template %s did not stop", self.process.pid)
        self.control.close()
        self.socket.close()


class Worker:
    """One forked worker process, spoken to over its own socket."""

    def __init__(self, pid: int, connection: socket.socket):
        self.pid = pid
        self._socket = connection
        self.connection = Connection(os.dup(connection.fileno()))
        self.killed = False

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
            except ProcessLookupError:
                pass
        self.connection.close()
        self._socket.close()


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

    def call(self, request: tuple, timeout_s: float, queue_wait_s: float):
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
            worker.connection.send(request)
            if not worker.connection.poll(remaining):
                worker.kill()
                self.killed += 1
                log.warning("query stopped after %.1f s in the %s lane (worker %s killed)",
                            time.monotonic() - started, self.name, worker.pid)
                self.replace()
                raise QueryTimeout(timeout_s)
            reply = worker.connection.recv()
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


class IsolatedBackend(AnsweringBackend):
    """The embedded Oxigraph graph behind killable worker processes (a Backend)."""

    name = "embedded"
    endpoint = None

    def __init__(self, sources: list[tuple], limits: IsolationLimits = IsolationLimits(), start_timeout_s: float = 60):
        self.sources = sources
        self.limits = limits
        self.timeout_s = limits.timeout_s
        self.start_timeout_s = start_timeout_s
        self.closed = False
        self._all: list[Worker] = []
        self._lock = threading.Lock()
        self._respawns: list[threading.Thread] = []
        self.template = Template(sources, limits, start_timeout_s)  # LoadError if a file does not parse
        self.triples = self.template.triples
        self.lanes = {"api": Lane("api", limits.workers, 0, self),
                      "adhoc": Lane("adhoc", limits.adhoc_workers, limits.adhoc_nice, self)}
        try:
            for lane in self.lanes.values():
                for worker in lane.start():
                    lane.idle.put(worker)
        except BackendError:
            self.close()
            raise

    @classmethod
    def from_files(cls, files, limits: IsolationLimits = IsolationLimits(), root=ROOT) -> "IsolatedBackend":
        return cls(source_list(files, root), limits)

    @classmethod
    def from_project(cls, project: ProjectGraph, limits: IsolationLimits = IsolationLimits()) -> "IsolatedBackend":
        """From a graph already parsed (tests): it travels to the template as N-Quads."""
        import pyoxigraph as ox

        return cls([(None, ox.serialize(project.quads(), format=ox.RdfFormat.N_QUADS), None)], limits)

    def _spawn(self, lane: Lane) -> Worker:
        with self._lock:
            if not self.template.is_alive():
                log.error("the query template process died; loading the graph again")
                self.template.close()
                self.template = Template(self.sources, self.limits, self.start_timeout_s)
            worker = self.template.fork(lane.nice)
            self._all = [w for w in self._all if w.is_alive()] + [worker]
        return worker

    def _call(self, form: str, text: str, dataset: QueryDataset | None) -> tuple:
        if self.closed:
            raise BackendUnavailable("the graph is being replaced; try again")
        lane = self.lanes.get(LANE.get(), self.lanes["api"])
        wait_s = self.limits.queue_wait_s if lane.name == "adhoc" else self.limits.api_queue_wait_s
        graphs = (list(dataset.default_graphs), list(dataset.named_graphs)) if dataset else (None, None)
        return lane.call((form, text, *graphs), self.limits.timeout_s, wait_s)

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
        self.template.close()
