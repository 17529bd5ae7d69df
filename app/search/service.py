"""The search index of the graph the app serves: built at start, rebuilt when the graph is replaced.

The index belongs to one backend object. The embedded graph's reloader puts a new backend in service
after a file changed, and the index follows (app.core.graph_state calls `follow`; a search that comes
first builds it). A remote server's graph can change behind the app's back, so there the index is
built at start and again on request (POST /search/refresh).

The embedded graph's index is also saved (IZA_SEARCH_CACHE_DIR), under the graph's version and a digest of
what else it is made with (the app's code, the named queries, the source texts): a restart on the same graph
opens it instead of reading the graph again (at 1M triples a build takes longer than loading the graph).
A remote graph has no version the app can trust, so its index is always built.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import time
from dataclasses import asdict, astuple, dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from app.backends import Backend
from app.paths import PACKAGE_DIR, ROOT
from app.queries import QUERY_DIR, QueryLibrary
from app.search.index import Answer, SearchIndex
from app.search.passages import Passage, locate, read_documents
from app.search.source import PAGE_ROWS, Names, read_entries
from app.sources import DOCUMENTS_DIR
from app.web.pagedata import local_path

SAVED_KEPT = 4  # saved indexes kept in the cache directory (the newest), for other graphs and versions

log = logging.getLogger("iza_kg.search")


@dataclass
class Built:
    backend: Backend
    index: SearchIndex
    names: Names
    built_at: str
    build_seconds: float
    started: float  # time.monotonic() at the start of the build
    passages: dict[str, list[Passage]] = field(default_factory=dict)  # resource -> where its quotes stand
    saved: Path | None = None  # the file the index was opened from or saved to
    opened: bool = False  # opened from `saved` rather than built (build_seconds: the time it took to open)


@lru_cache(maxsize=1)
def made_with() -> str:
    """A digest of what an index is made with besides the graph: the app's code, the named queries (the index
    reads the graph through them) and the source texts (the passages)."""
    digest = hashlib.sha256()
    files = [(PACKAGE_DIR, sorted(PACKAGE_DIR.rglob("*.py"))),  # the code, also in an installed wheel
             (ROOT, sorted([*QUERY_DIR.glob("*.rq"), *DOCUMENTS_DIR.glob("*")]))]
    for base, paths in files:
        for path in paths:
            digest.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


class SearchIndexes:
    def __init__(self, library: QueryLibrary, page_size: int = PAGE_ROWS, saved_in: Path | None = None):
        self.library, self.page_size, self.saved_in = library, page_size, saved_in
        self.current: Built | None = None
        self._lock = threading.Lock()

    def for_backend(self, backend: Backend) -> Built:
        """The index of `backend`'s graph, built now if it is not the one indexed."""
        current = self.current
        if current is not None and current.backend is backend:
            return current
        with self._lock:
            if self.current is None or self.current.backend is not backend:
                self.current = self._build(backend)
            return self.current

    def refresh(self, backend: Backend) -> Built:
        """Read the graph again and replace the index (searches keep the old one until the new is done)."""
        with self._lock:
            backend.reread()
            self.current = self._build(backend)
            return self.current

    def follow(self, backend: Backend) -> None:
        """Called when a new graph is put in service; a failure leaves the build to the next search."""
        try:
            self.for_backend(backend)
        except Exception:  # noqa: BLE001 (a failed rebuild must not stop the reload; searches retry it)
            log.exception("search index not rebuilt for the new graph")

    def _build(self, backend: Backend) -> Built:
        started = time.monotonic()
        path = self._saved_path(backend)
        if path is not None and path.is_file() and (opened := self._open(backend, path, started)) is not None:
            return opened
        entries, names = read_entries(backend, self.library, self.page_size)
        index = SearchIndex(entries)
        passages = locate(entries, read_documents(backend, self.library))
        seconds = round(time.monotonic() - started, 3)
        log.info("search index: %d resources in %.2f s", index.entries, seconds)
        built = Built(backend, index, names, datetime.now(timezone.utc).isoformat(timespec="seconds"), seconds, started,
                      passages)
        if path is not None:
            self._save(built, path)
        return built

    def _open(self, backend: Backend, path: Path, started: float) -> Built | None:
        """The index saved at `path`; None (logged) if the file cannot be read."""
        try:
            index, extra = SearchIndex.open(path)
            names = Names({slug: tuple(pair) for slug, pair in extra["names"]["regions"].items()},
                          extra["names"]["labels"])
            passages = {iri: [Passage(*p) for p in found] for iri, found in extra["passages"].items()}
        except (sqlite3.Error, OSError, ValueError, KeyError, TypeError) as error:
            log.warning("search index: %s cannot be read (%s); building it again", path, error)
            return None
        seconds = round(time.monotonic() - started, 3)
        log.info("search index: %d resources opened from %s in %.2f s", index.entries, path, seconds)
        return Built(backend, index, names, extra["built_at"], seconds, started, passages, path, opened=True)

    def _saved_path(self, backend: Backend) -> Path | None:
        version = getattr(backend, "graph_version", None)
        if self.saved_in is None or version is None:
            return None
        return self.saved_in / f"search-{version}-{made_with()}.sqlite"

    def _save(self, built: Built, path: Path) -> None:
        """Save the index for the next start; a cache that cannot be written costs only that."""
        extra = {"names": asdict(built.names), "built_at": built.built_at,
                 "passages": {iri: [astuple(p) for p in found] for iri, found in built.passages.items()}}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            built.index.save(path, extra)
            built.saved = path
            for old in sorted(path.parent.glob("search-*.sqlite"), key=lambda p: p.stat().st_mtime)[:-SAVED_KEPT]:
                old.unlink(missing_ok=True)
        except (sqlite3.Error, OSError) as error:
            log.warning("search index not saved to %s: %s", path, error)


_made = threading.Lock()


def indexes(app) -> SearchIndexes:
    """The app's SearchIndexes, made on first use."""
    with _made:
        found = getattr(app.state, "search_indexes", None)
        if found is None:
            found = app.state.search_indexes = SearchIndexes(app.state.library,
                                                             saved_in=app.state.settings.search_cache_dir)
        return found



class UnknownFilter(ValueError):
    def __init__(self, facet: str, value: str, known: list[str]):
        self.facet, self.value, self.known = facet, value, known
        super().__init__(f"unknown {facet} {value!r}")


def search(built: Built, q: str, regions=(), types=(), documents=(), page: int = 1, page_size: int = 20) -> dict:
    """The answer to a search as plain data (the JSON of GET /search, the rows of its CSV and the page's
    content): raises QuerySyntaxError for a bad query, UnknownFilter for a filter value the index lacks."""
    for facet, values, known in (("region", regions, built.names.regions), ("type", types, built.index.types),
                                 ("document", documents, built.index.documents)):
        for value in values:
            if value not in known:
                raise UnknownFilter(facet, value, sorted(known))
    answer: Answer = built.index.search(q, regions, types, documents, page, page_size)
    names = built.names

    def region(slug: str) -> dict:
        iri, label = names.regions[slug]
        return {"key": slug, "iri": iri, "label": label}

    def named(iri: str) -> dict:
        return {"key": iri, "iri": iri, "label": names.labels.get(iri) or iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]}

    hits = []
    for hit in answer.hits:
        hit_regions, hit_documents = [region(s) for s in hit.regions], [named(d) for d in hit.documents]
        links = {"page": local_path(hit.resource) or hit.resource}
        if hit_documents:
            links["document"] = hit_documents[0]["iri"]
        passages = [{"document": p.document, "anchor": p.anchor, "line": p.line, "path": p.path}
                    for p in built.passages.get(hit.resource, ())]
        if passages:
            links["passage"] = passages[0]["path"]
        hits.append({"resource": hit.resource, "label": hit.label, "type": named(hit.type) if hit.type else None,
                     "region": hit_regions[0] if hit_regions else None, "regions": hit_regions,
                     "document": hit_documents[0] if hit_documents else None, "documents": hit_documents,
                     "snippet": hit.snippet, "text": hit.text, "score": hit.score, "passages": passages,
                     "links": links})
    facets = {"region": [{**region(v), "count": n} for v, n in answer.facets["region"]],
              "type": [{**named(v), "count": n} for v, n in answer.facets["type"]],
              "document": [{**named(v), "count": n} for v, n in answer.facets["document"]]}
    return {"q": q, "page": page, "pageSize": page_size, "total": answer.total, "data": hits, "facets": facets,
            "filters": {"region": list(regions), "type": list(types), "document": list(documents)}}


def follow_the_graph(app) -> None:
    """Build the index of the graph just opened, in the background (a search that comes first waits for
    it), and have the graph's reloader rebuild it for each new graph (app.core.graph_state)."""
    found = indexes(app)
    app.state.graph_listeners = [found.follow]
    threading.Thread(target=found.follow, args=(app.state.backend,), name="iza-search-index", daemon=True).start()
