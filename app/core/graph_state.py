"""The graph the app serves, opened once and replaced atomically.

- Embedded: the project files are loaded into the store the API process queries, with killable
  worker processes for /sparql (app.core.isolation), and watched: when a file changes, the whole project is parsed again; only if
  every file parses does a new backend replace `app.state.backend` (one assignment), and the old one
  is closed once its in-flight queries are done. A file that does not parse leaves the last good graph
  in service and is reported, with file, line and reason, by /health and in the log.
- Remote: SPARQLWrapper calls with a timeout and bounded retries of failed connections; while the
  server is down the API answers 503, and it recovers by itself when the server is back.

/health reads `GraphInfo` and `ReloadError` from here.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from rdflib import Graph

from app.backends.base import Answer, Backend, BackendUnavailable, Bindings, QueryDataset, SelectResult, Table
from app.core.isolation import IsolatedBackend, IsolationLimits, QueryCapacity
from app.core.reliability import ReliabilitySettings
from app.loader import ROOT, LoadError, configured_sources, source_files

log = logging.getLogger("iza_kg.graph")


@dataclass
class GraphInfo:
    backend: str
    triples: int | None = None
    version: str | None = None
    files: int | None = None
    loaded_at: str | None = None
    load_seconds: float | None = None


@dataclass
class ReloadError:
    file: str
    line: int | None
    reason: str
    at: str

    @property
    def message(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}" if self.line else f"{self.file}: {self.reason}"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def isolation_limits(app) -> IsolationLimits:
    settings, extra = app.state.settings, reliability_settings(app)
    return IsolationLimits(timeout_s=settings.query_timeout_s, workers=settings.query_workers,
                           adhoc_workers=extra.adhoc_workers, adhoc_nice=extra.adhoc_nice, queue_wait_s=extra.queue_wait_s,
                           api_queue_wait_s=extra.api_queue_wait_s,
                           max_rows=settings.max_rows, max_result_bytes=extra.max_result_bytes,
                           memory_mb=extra.query_memory_mb, worker_private_mb=extra.adhoc_worker_mb)


def reliability_settings(app) -> ReliabilitySettings:
    return getattr(app.state, "reliability", None) or ReliabilitySettings()


# -- remote: bounded retries ---------------------------------------------------------------------


class RetryingBackend:
    """Retries a call that failed to reach the server quickly (connection refused or reset), at most
    `retries` times with a short pause; a call that failed slowly (a timeout) is not repeated."""

    def __init__(self, inner: Backend, retries: int = 2, pause_s: float = 0.2, fast_s: float = 1.0):
        self.inner, self.retries, self.pause_s, self.fast_s = inner, retries, pause_s, fast_s
        self.name = inner.name
        self.endpoint = getattr(inner, "endpoint", None)

    def _call(self, method, *args):
        for attempt in range(self.retries + 1):
            started = time.monotonic()
            try:
                return method(*args)
            except QueryCapacity:
                raise
            except BackendUnavailable:
                if attempt == self.retries or time.monotonic() - started > self.fast_s:
                    raise
                time.sleep(self.pause_s * (attempt + 1))

    def select(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> SelectResult:
        return self._call(self.inner.select, query, bindings, dataset)

    def ask(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> bool:
        return self._call(self.inner.ask, query, bindings, dataset)

    def construct(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> Graph:
        return self._call(self.inner.construct, query, bindings, dataset)

    def values(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None,
               max_rows: int | None = None) -> Table:
        return self._call(self.inner.values, query, bindings, dataset, max_rows)

    def answer(self, query: str, media_type: str, max_rows: int, bindings: Bindings | None = None,
               dataset: QueryDataset | None = None) -> Answer:
        return self._call(self.inner.answer, query, media_type, max_rows, bindings, dataset)

    def reread(self) -> None:
        self.inner.reread()

    def contents_version(self) -> object:
        return self.inner.contents_version()

    def close(self) -> None:
        self.inner.close()


# -- embedded: atomic reload ---------------------------------------------------------------------


class GraphReloader:
    """Loads the project into isolated workers and replaces the app's backend when the files change."""

    def __init__(self, app, paths=None, root: Path = ROOT):
        self.app, self.paths, self.root = app, paths, root
        self.fingerprint: tuple = ()
        self.info = GraphInfo("embedded")
        self.error: ReloadError | None = None
        self.checked_at: str | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _paths(self):
        return self.paths or configured_sources()

    def _fingerprint(self) -> tuple:
        try:
            return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in source_files(self._paths()))
        except (LoadError, OSError):
            return ("unreadable", time.monotonic())

    def _relative(self, path: Path) -> str:
        try:
            return str(Path(path).resolve().relative_to(self.root))
        except ValueError:
            return str(path)

    def load(self) -> IsolatedBackend:
        """Load every file into a fresh store with its workers; raises LoadError (nothing changes then)."""
        started = time.monotonic()
        fingerprint = self._fingerprint()
        files = source_files(self._paths())
        digest = hashlib.sha256()
        for path in files:
            digest.update(self._relative(path).encode() + b"\0")
            try:
                digest.update(path.read_bytes())
            except OSError as error:
                raise LoadError(path, None, str(error)) from None
        backend = IsolatedBackend.from_files(files, isolation_limits(self.app), self.root)
        self.fingerprint = fingerprint
        backend.graph_version = digest.hexdigest()[:12]
        self.info = GraphInfo("embedded", triples=backend.triples, version=backend.graph_version, files=len(files),
                              loaded_at=now(), load_seconds=round(time.monotonic() - started, 3))
        return backend

    def reload(self, force: bool = False) -> bool:
        """Load again if a file changed (or `force`); True when a new graph is in service."""
        with self._lock:
            self.checked_at = now()
            fingerprint = self._fingerprint()
            if not force and fingerprint == self.fingerprint:
                return False
            try:
                backend = self.load()
            except LoadError as error:
                self.fingerprint = fingerprint  # report a broken file once, not on every check
                self.error = ReloadError(self._relative(error.path), error.line, error.reason, now())
                log.error("reload refused, still serving graph %s: %s", self.info.version, self.error.message)
                return False
            except BackendUnavailable as error:
                log.error("reload failed, still serving graph %s: %s", self.info.version, error)
                return False
            old, self.app.state.backend = getattr(self.app.state, "backend", None), backend
            self.error = None
            log.info("graph %s in service: %s triples from %s files in %.2f s", self.info.version, self.info.triples,
                     self.info.files, self.info.load_seconds)
            if old is not None:
                grace = self.app.state.settings.query_timeout_s + 1
                timer = threading.Timer(grace, old.close)  # queries already on the old graph finish there
                timer.daemon = True
                timer.start()
            for listener in getattr(self.app.state, "graph_listeners", ()):
                listener(backend)  # what is derived from the graph follows it (the search index, app.search)
            return True

    def watch(self, interval_s: float) -> None:
        if interval_s <= 0 or self._thread is not None:
            return

        def run():
            while not self._stop.wait(interval_s):
                try:
                    self.reload()
                except Exception:  # a watcher that dies silently would leave a stale graph unnoticed
                    log.exception("graph reload check failed")

        self._thread = threading.Thread(target=run, name="iza-graph-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


# -- opening and closing (the app's lifespan) ----------------------------------------------------


def open_graph(app) -> None:
    """Put the backend the settings name into app.state.backend (called by the lifespan)."""
    settings, extra = app.state.settings, reliability_settings(app)
    if settings.sparql_endpoint:
        from app.backends.remote import RemoteBackend
        from app.main import limited

        remote = RemoteBackend(settings.sparql_endpoint, timeout_s=settings.query_timeout_s,
                               max_result_bytes=extra.max_result_bytes, max_rows=settings.max_rows,
                               base_iri=settings.base_iri)
        app.state.backend = limited(RetryingBackend(remote, extra.remote_retries), settings)
        app.state.graph_info = GraphInfo("remote")
        return
    reloader = app.state.reloader = GraphReloader(app)
    app.state.backend = reloader.load()  # a file that does not parse stops the start (LoadError)
    reloader.watch(extra.reload_interval_s)


def close_graph(app) -> None:
    reloader = getattr(app.state, "reloader", None)
    if reloader is not None:
        reloader.stop()


def graph_status(app) -> tuple[GraphInfo, ReloadError | None]:
    reloader = getattr(app.state, "reloader", None)
    if reloader is not None:
        return reloader.info, reloader.error
    backend = getattr(app.state, "backend", None)
    return getattr(app.state, "graph_info", None) or GraphInfo(getattr(backend, "name", "unknown")), None


def as_dict(value) -> dict | None:
    return asdict(value) if value is not None else None
