"""The search index of the graph the app serves: built at start, rebuilt when the graph is replaced.

The index belongs to one backend object. The embedded graph's reloader puts a new backend in service
after a file changed, and the index follows (app.core.graph_state calls `follow`; a search that comes
first builds it). A remote server's graph can change behind the app's back, so there the index is
built at start and again on request (POST /search/refresh).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from app.backends import Backend
from app.queries import QueryLibrary
from app.search.index import Answer, SearchIndex
from app.search.passages import Passage, locate, read_documents
from app.search.source import PAGE_ROWS, Names, read_entries
from app.web.pagedata import local_path

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


class SearchIndexes:
    def __init__(self, library: QueryLibrary, page_size: int = PAGE_ROWS):
        self.library, self.page_size = library, page_size
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
        entries, names = read_entries(backend, self.library, self.page_size)
        index = SearchIndex(entries)
        passages = locate(entries, read_documents(backend, self.library))
        seconds = round(time.monotonic() - started, 3)
        log.info("search index: %d resources in %.2f s", index.entries, seconds)
        return Built(backend, index, names, datetime.now(timezone.utc).isoformat(timespec="seconds"), seconds, started, passages)


_made = threading.Lock()


def indexes(app) -> SearchIndexes:
    """The app's SearchIndexes, made on first use."""
    with _made:
        found = getattr(app.state, "search_indexes", None)
        if found is None:
            found = app.state.search_indexes = SearchIndexes(app.state.library)
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
