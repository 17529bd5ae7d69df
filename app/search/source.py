"""What the search index holds, read from the graph with three named queries through the backend
interface, so the embedded store and a remote SPARQL server give the same index.

Each query is read page by page (LIMIT and OFFSET appended): the backends cap an answer at
IZA_MAX_ROWS rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from app.backends import Backend
from app.namespaces import IZA
from app.queries import QueryLibrary
from app.search.index import Entry

REGION_TYPE = str(IZA.ZorgkantoorRegion)
FIELD_OF = {"label": "labels", "altLabel": "labels", "description": "texts", "quote": "quotes"}


@dataclass
class Names:
    """Labels and keys of the facet values: regions by slug, types and documents by IRI."""

    regions: dict[str, tuple[str, str]] = field(default_factory=dict)  # slug -> (iri, label)
    labels: dict[str, str] = field(default_factory=dict)  # iri -> label (nl, else en, else any)


def paged_rows(backend: Backend, text: str, page_size: int):
    offset = 0
    while True:
        rows = backend.select(f"{text}\nLIMIT {page_size} OFFSET {offset}").rows
        yield from rows
        if len(rows) < page_size:
            return
        offset += page_size


def best_label(labels: list[tuple[str, str]]) -> str | None:
    """The Dutch label, else the English one, else any (the labels as (text, language))."""
    for language in ("nl", "en", ""):
        for text, lang in labels:
            if lang == language:
                return text
    return labels[0][0] if labels else None


def main_type(types: set[str]) -> str | None:
    """The project's own class when it has one (iza:...), else any; the first in IRI order."""
    own = sorted(t for t in types if t.startswith(str(IZA)))
    return (own or sorted(types) or [None])[0]


def read_entries(backend: Backend, library: QueryLibrary, page_size: int) -> tuple[list[Entry], Names]:
    texts: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"labels": [], "texts": [], "quotes": []})
    labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
    alt_labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in paged_rows(backend, library.get("search-texts").text, page_size):
        resource, kind, text = str(row["resource"]), str(row["field"]), str(row["text"])
        texts[resource][FIELD_OF[kind]].append(text)
        if kind in ("label", "altLabel"):
            (labels if kind == "label" else alt_labels)[resource].append((text, str(row.get("lang", ""))))

    types: dict[str, set[str]] = defaultdict(set)
    documents: dict[str, list[str]] = defaultdict(list)
    slugs: dict[str, str] = {}
    for row in paged_rows(backend, library.get("search-resources").text, page_size):
        resource = str(row["resource"])
        if "type" in row:
            types[resource].add(str(row["type"]))
        if "document" in row:
            documents[resource].append(str(row["document"]))
        if "slug" in row:
            slugs[resource] = str(row["slug"])

    parts: dict[str, list[str]] = defaultdict(list)
    for row in paged_rows(backend, library.get("search-links").text, page_size):
        parts[str(row["whole"])].append(str(row["part"]))

    names = Names(labels={iri: best_label(found) for iri, found in labels.items()})
    region_of: dict[str, set[str]] = defaultdict(set)
    for iri, found in types.items():
        if REGION_TYPE in found and iri in slugs:
            slug = slugs[iri]
            label = names.labels.get(iri) or slug
            other_names = sorted({text for text, lang in alt_labels.get(iri, ()) if lang == "nl"} - {label})
            names.regions[slug] = (iri, f"{label} ({', '.join(other_names)})" if other_names else label)
            for member in reachable(iri, parts):
                region_of[member].add(slug)

    # Failing that, the one region all the resource's source documents speak of (a working group or a
    # concept quoted from a region's plan); a document read for several regions gives none.
    document_regions: dict[str, set[str]] = defaultdict(set)
    for iri, found in region_of.items():
        for document in documents.get(iri, ()):
            document_regions[document] |= found
    for iri in texts:
        if iri not in region_of and documents.get(iri):
            found = set().union(*(document_regions.get(d, set()) for d in documents[iri]))
            if len(found) == 1:
                region_of[iri] = found

    entries = [Entry(iri, names.labels.get(iri), main_type(types.get(iri, set())), **fields,
                     regions=sorted(region_of.get(iri, ())), documents=sorted(set(documents.get(iri, ()))))
               for iri, fields in sorted(texts.items())]  # in IRI order: equal scores rank alike on every backend
    return entries, names


def reachable(start: str, parts: dict[str, list[str]]) -> set[str]:
    """`start` and everything below it along the whole -> part links."""
    seen, todo = {start}, [start]
    while todo:
        for part in parts.get(todo.pop(), ()):
            if part not in seen:
                seen.add(part)
                todo.append(part)
    return seen
