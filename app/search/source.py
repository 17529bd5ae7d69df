"""What the search index holds, read from the graph through the backend interface, so the embedded
store and a remote SPARQL server give the same index.

One named query (`search-values`) is asked once per property: the texts, the types, the source
documents, the slugs and the links from a whole to its parts (`search-part-properties` lists the
iza:has... properties of the ontology). A property at a time keeps each answer small. Each is read in
pages of PAGE_ROWS rows (LIMIT and OFFSET appended), more than the IZA_MAX_ROWS the routes get: these
reads are the app's own and bounded, and a store answers OFFSET by counting off the rows before it, so
a 1M-triple graph is read in a few large answers rather than in a hundred small ones.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from sys import intern

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from app.backends import Backend
from app.namespaces import IZA
from app.queries import QueryLibrary
from app.search.index import Entry

REGION_TYPE = str(IZA.ZorgkantoorRegion)
PAGE_ROWS = 20_000  # rows of (resource, value, language) per answer: 1,000 bytes a row within IZA_MAX_RESULT_BYTES
# property -> the field of the index its texts go to
TEXTS = {RDFS.label: "labels", SKOS.prefLabel: "labels", SKOS.altLabel: "labels", SKOS.definition: "texts",
         DCTERMS.description: "texts", RDFS.comment: "texts", IZA.sourceQuote: "quotes"}
# a part points to its whole with these: a plan to its region, a municipality or subregion to its region,
# a governing body to what it governs, an allocation to its recipient, an observation to its area
PART_OF = (IZA.forRegion, IZA.inZorgkantoorRegion, IZA.subregionOf, IZA.governanceOf, IZA.recipient, IZA.refArea)


@dataclass
class Names:
    """Labels and keys of the facet values: regions by slug, types and documents by IRI."""

    regions: dict[str, tuple[str, str]] = field(default_factory=dict)  # slug -> (iri, label)
    labels: dict[str, str] = field(default_factory=dict)  # iri -> label (nl, else en, else any)


class GraphReader:
    def __init__(self, backend: Backend, library: QueryLibrary, page_size: int):
        self.backend, self.page_size = backend, page_size
        self.values_query = library.get("search-values")
        self.parts_query = library.get("search-part-properties")

    def pages(self, prop) -> Iterator[list[tuple[str, str, str]]]:
        """(resource, value, language) for every resource with a value of `prop`, a page at a time."""
        text, bindings = self.values_query.text, self.values_query.bind({"property": str(prop)})
        offset = 0
        while True:
            rows = self.backend.values(f"{text}\nLIMIT {self.page_size} OFFSET {offset}", bindings,
                                       max_rows=self.page_size).rows
            yield [(row["resource"], str(row["value"]), row.get("lang") or "") for row in rows]
            if len(rows) < self.page_size:
                return
            offset += self.page_size

    def part_properties(self) -> list[URIRef]:
        return [URIRef(row["property"]) for row in self.backend.values(self.parts_query.text).rows]


def best_label(labels: list[tuple[str, str]]) -> str | None:
    """The Dutch label, else the English one, else any (the labels as (text, language))."""
    for language in ("nl", "en", ""):
        for text, lang in labels:
            if lang == language:
                return text
    return labels[0][0] if labels else None


def main_type(types: set[str], supers: dict[str, set[str]]) -> str | None:
    """The most specific of the resource's classes (the inferred graph also types it with every super-class),
    the project's own (iza:...) when it has one; the first in IRI order."""
    specific = {t for t in types if not any(t in supers.get(other, ()) for other in types - {t})}
    own = sorted(t for t in specific if t.startswith(str(IZA)))
    return (own or sorted(specific) or [None])[0]


class Gathered:
    """What the answers say, folded in page by page as they arrive (a whole answer is never held: at 1M
    triples the rows of all properties take more memory than the graph's store). IRIs that recur (types,
    documents, wholes) are interned, so each is held once."""

    def __init__(self, has: list[URIRef]):
        self.has = set(has)
        # the properties to read, each once: the texts, then what types, places and links the resources
        self.properties = list(dict.fromkeys([*TEXTS, RDF.type, RDFS.subClassOf, PROV.wasDerivedFrom, IZA.slug, *has, *PART_OF]))
        self.texts: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"labels": [], "texts": [], "quotes": []})
        self.labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.alt_labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.types: dict[str, set[str]] = defaultdict(set)
        self.supers: dict[str, set[str]] = defaultdict(set)  # closed under transitivity by the inferred graph
        self.documents: dict[str, set[str]] = defaultdict(set)
        self.slugs: dict[str, str] = {}
        self.parts: dict[str, list[str]] = defaultdict(list)
        self._lock = threading.Lock()  # two readers fold at once

    def add(self, prop: URIRef, rows: list[tuple[str, str, str]]) -> None:
        with self._lock:
            if prop in TEXTS:
                field_name = TEXTS[prop]
                named = self.labels if prop == RDFS.label else self.alt_labels if prop == SKOS.altLabel else None
                for resource, text, lang in rows:
                    self.texts[resource][field_name].append(text)
                    if named is not None:
                        named[resource].append((text, lang))
            elif prop == RDF.type:
                for resource, value, _ in rows:
                    self.types[resource].add(intern(value))
            elif prop == RDFS.subClassOf:
                for sub, sup, _ in rows:
                    if sub != sup:
                        self.supers[sub].add(intern(sup))
            elif prop == PROV.wasDerivedFrom:
                for resource, value, _ in rows:
                    self.documents[resource].add(intern(value))
            elif prop == IZA.slug:
                self.slugs.update((resource, value) for resource, value, _ in rows)
            if prop in self.has:
                for whole, part, _ in rows:
                    self.parts[intern(whole)].append(part)
            if prop in PART_OF:
                for part, whole, _ in rows:
                    self.parts[intern(whole)].append(part)


def read_entries(backend: Backend, library: QueryLibrary, page_size: int = PAGE_ROWS, parallel: int = 2) -> tuple[list[Entry], Names]:
    """The entries of the index and the names of the facet values; `parallel` properties are read at a
    time (each on its own query worker)."""
    reader = GraphReader(backend, library, page_size)
    gathered = Gathered(reader.part_properties())

    def read(prop: URIRef) -> None:
        for rows in reader.pages(prop):
            gathered.add(prop, rows)

    with ThreadPoolExecutor(parallel, thread_name_prefix="iza-search-read") as pool:
        list(pool.map(read, gathered.properties))  # list(): a reader's error is raised here
    labels = {iri: best_label(found) for iri, found in gathered.labels.items()}
    names = Names()
    region_of: dict[str, set[str]] = defaultdict(set)
    for iri, found in gathered.types.items():
        if REGION_TYPE in found and iri in gathered.slugs:
            slug = gathered.slugs[iri]
            label = labels.get(iri) or slug
            other_names = sorted({text for text, lang in gathered.alt_labels.get(iri, ()) if lang == "nl"} - {label})
            names.regions[slug] = (iri, f"{label} ({', '.join(other_names)})" if other_names else label)
            for member in reachable(iri, gathered.parts):
                region_of[member].add(slug)
    # Failing that, the one region all the resource's source documents speak of (a working group or a
    # concept quoted from a region's plan); a document read for several regions gives none.
    document_regions: dict[str, set[str]] = defaultdict(set)
    for iri, found in region_of.items():
        for document in gathered.documents.get(iri, ()):
            document_regions[document] |= found
    for iri in gathered.texts:
        if iri not in region_of and gathered.documents.get(iri):
            found = set().union(*(document_regions.get(d, set()) for d in gathered.documents[iri]))
            if len(found) == 1:
                region_of[iri] = found

    # in IRI order, each field's texts by code points: equal scores rank alike, and snippets read alike, on
    # every backend (stores return a resource's values in their own order)
    entries = [Entry(iri, labels.get(iri), main_type(gathered.types.get(iri, set()), gathered.supers),
                     **{name: sorted(found) for name, found in fields.items()},
                     regions=sorted(region_of.get(iri, ())), documents=sorted(gathered.documents.get(iri, ())))
               for iri, fields in sorted(gathered.texts.items())]
    # the names a hit and the facets show for its type and documents (every resource's label is in its entry)
    names.labels = {iri: labels[iri] for entry in entries for iri in (entry.type, *entry.documents) if iri in labels}
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
