"""The quotes of the graph and the documents they come from; `iza-kg check` reports those not found.

A quote's document is found through prov:wasDerivedFrom or dcterms:source on the quoting resource: a
source that names a document's seed file (by stem or hash, in its IRI or any value) narrows the search
to that document; a resource without such a source is searched in every document.

`Citations` is built either from the loaded files (`from_project`, with the file and line of each
quote, for the command line) or from rows of the named queries `source-documents` and `source-quotes`
(`from_rows`, for the web pages on any backend). Either way nothing is hard-coded: what is cited is
what the graph says now.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from app.loader import ProjectGraph
from app.sources import SourceDocument, documents_mentioned, is_quote_property

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SEED_FILE = "https://w3id.org/iza-kg/def/seedFile"
SOURCE_PROPERTIES = ("http://www.w3.org/ns/prov#wasDerivedFrom", "http://purl.org/dc/terms/source")
# Resources exempt from needing a source (as in check_quotes --strict): schema terms and documents.
SCHEMA_NAMESPACES = ("http://www.w3.org/2002/07/owl#", "http://www.w3.org/2000/01/rdf-schema#",
                     "http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/ns/shacl#")
DOCUMENT_TYPES = {"document", "sourcedocument", "bibliographicresource"}


@dataclass(frozen=True)
class Quote:
    resource: str
    predicate: str
    text: str
    sources: tuple[str, ...]  # the resource's prov:wasDerivedFrom / dcterms:source
    label: str = ""  # the resource's label, for links
    file: Path | None = None  # where the triple is (command line only)
    line: int | None = None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else str(self.file or self.resource)


@dataclass
class Citations:
    documents: list[SourceDocument]
    quotes: list[Quote]
    source_words: dict[str, list[str]] = field(default_factory=dict)  # source IRI -> its IRI and values
    _resolved: dict[str, list[SourceDocument]] = field(default_factory=dict, repr=False)

    def documents_of(self, quote: Quote) -> list[SourceDocument]:
        """The documents a quote is searched in."""
        named = {d.iri: d for s in quote.sources for d in self._named_by(s)}
        return list(named.values()) or self.documents

    def _named_by(self, source: str) -> list[SourceDocument]:
        if source not in self._resolved:
            self._resolved[source] = documents_mentioned(self.source_words.get(source, [source]), self.documents)
        return self._resolved[source]

    def not_found(self) -> list[tuple[Quote, list[SourceDocument], list[SourceDocument]]]:
        """(quote, documents searched, documents it does occur in instead) for each quote not found."""
        missing = []
        for quote in self.quotes:
            searched = self.documents_of(quote)
            if not any(d.text.find_all(quote.text) for d in searched):
                elsewhere = [d for d in self.documents if d not in searched and d.text.find_all(quote.text)]
                missing.append((quote, searched, elsewhere))
        return missing

    def document(self, name: str) -> SourceDocument | None:
        return next((d for d in self.documents if name in d.names()), None)

    @classmethod
    def from_project(cls, project: ProjectGraph) -> "Citations":
        by_subject: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        labels: dict[str, dict[str, str]] = defaultdict(dict)  # subject -> language -> rdfs:label
        quoted: list[tuple[ox.Triple, Path]] = []
        for source in project.files:
            for triple in source.triples:
                subject, predicate, obj = triple.subject.value, triple.predicate.value, triple.object
                by_subject[subject][predicate].append(obj.value)
                if isinstance(obj, ox.Literal) and is_quote_property(predicate):
                    quoted.append((triple, source.path))
                elif predicate == RDFS_LABEL and isinstance(obj, ox.Literal) and obj.language:
                    labels[subject].setdefault(obj.language, obj.value)
        documents = sorted((SourceDocument(subject, file, dict(labels[subject]))
                            for subject, values in by_subject.items() for file in values.get(SEED_FILE, [])),
                           key=lambda d: d.file)
        lines = LineFinder()
        quotes = []
        for triple, path in quoted:
            subject = triple.subject.value
            sources = tuple(by_subject[subject].get(SOURCE_PROPERTIES[0], []) + by_subject[subject].get(SOURCE_PROPERTIES[1], []))
            quotes.append(Quote(subject, triple.predicate.value, triple.object.value, sources, labels[subject].get("nl", ""),
                                path, lines.line(path, triple.object.value, subject)))
        words = {s: [s] + [v for values in by_subject.get(s, {}).values() for v in values]
                 for q in quotes for s in q.sources}
        return cls(documents, quotes, words)

    @classmethod
    def from_rows(cls, document_rows: list[dict], quote_rows: list[dict], word_rows: list[dict]) -> "Citations":
        """From the rows of the named queries source-documents, source-quotes and source-words."""
        documents = {}
        for row in document_rows:
            doc = documents.setdefault(row["document"], SourceDocument(row["document"], row["file"], {}))
            for lang in ("nl", "en"):
                if row.get(f"label{lang.title()}"):
                    doc.labels[lang] = row[f"label{lang.title()}"]
        sources: dict[tuple, set[str]] = defaultdict(set)
        labels: dict[tuple, str] = {}
        for row in quote_rows:
            key = (row["resource"], row["predicate"], row["quote"])
            if row.get("source"):
                sources[key].add(row["source"])
            labels[key] = row.get("label") or labels.get(key, "")
        quotes = [Quote(r, p, q, tuple(sorted(sources[(r, p, q)])), labels[(r, p, q)]) for r, p, q in labels]
        words: dict[str, list[str]] = defaultdict(list)
        for row in word_rows:
            words[row["source"]] = words[row["source"]] or [row["source"]]
            if row.get("value") is not None:
                words[row["source"]].append(str(row["value"]))
        return cls(sorted(documents.values(), key=lambda d: d.file), quotes, dict(words))


def unsourced(project: ProjectGraph) -> list[tuple[str, Path]]:
    """Typed resources without prov:wasDerivedFrom / dcterms:source (schema terms and documents exempt). The
    ontology's own individuals (indicators, quarters, vocabularies) are the project's, so ontology/ is skipped,
    and so is the inferred graph: its super-class types restate resources that are checked where asserted."""
    vocabulary = (project.root / "ontology").resolve()
    types: dict[str, list[str]] = defaultdict(list)
    first_file: dict[str, Path] = {}
    sourced: set[str] = set()
    for source in project.files:
        if source.inferred or source.path.resolve().is_relative_to(vocabulary):
            continue
        for triple in source.triples:
            if not isinstance(triple.subject, ox.NamedNode):
                continue
            subject = triple.subject.value
            if triple.predicate.value == RDF_TYPE:
                types[subject].append(triple.object.value)
                first_file.setdefault(subject, source.path)
            elif triple.predicate.value in SOURCE_PROPERTIES:
                sourced.add(subject)
    missing = []
    for subject, kinds in types.items():
        if subject in sourced or all(k.startswith(SCHEMA_NAMESPACES) for k in kinds):
            continue
        if any(k.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1].lower() in DOCUMENT_TYPES for k in kinds):
            continue
        missing.append((subject, first_file[subject]))
    return sorted(missing)


class LineFinder:
    """The line of a literal in an RDF file. Parsers give no positions for triples, so the literal's text
    is looked up in the file as written (plain or with Turtle's escapes); failing that, the subject's."""

    def __init__(self):
        self.texts: dict[Path, str] = {}

    def line(self, path: Path, value: str, subject: str) -> int | None:
        if path not in self.texts:
            self.texts[path] = path.read_text(encoding="utf-8", errors="replace")
        text = self.texts[path]
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        for needle in (value, escaped, escaped.replace("\n", "\\n"), value.split("\n")[0][:60],
                       subject, subject.rstrip("/").rsplit("/", 1)[-1]):
            if needle and (position := text.find(needle)) >= 0:
                return text.count("\n", 0, position) + 1
        return None
