"""Read ontology/ and data/ into one dataset, one named graph per file.

The loader parses with pyoxigraph (fast, with line numbers in its errors) and keeps the parsed quads
independent of any store: `to_store()` gives the embedded Oxigraph store, `to_rdflib()` an rdflib
Dataset for pySHACL and serialisation. A file that does not parse stops the whole load.

After the files, the loader adds one more graph, `https://w3id.org/iza-kg/graph/inferred`: the RDFS
entailments of the loaded sub-property and sub-class statements (app.inference), so that every consumer
of the project graph (stores, dumps, publish, validation) has them.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import BNode, Node

from app.inference import INFERRED_GRAPH, entailed_triples
from app.namespaces import BASE
from app.paths import ROOT

DEFAULT_SOURCES = (ROOT / "ontology", ROOT / "data")
SOURCES_ENV = "IZA_SOURCES"  # os.pathsep-separated files or folders to load instead of the defaults
GRAPH_BASE = BASE + "graph/"
RDF_SUFFIXES = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD,
                ".rdf": ox.RdfFormat.RDF_XML, ".trig": ox.RdfFormat.TRIG}
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class LoadError(Exception):
    """A source file could not be read; the message names the file, the line and the reason."""

    def __init__(self, path: Path, line: int | None, reason: str):
        self.path, self.line, self.reason = path, line, reason
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {reason}")


@dataclass
class SourceFile:
    path: Path
    graph: ox.NamedNode
    triples: list[ox.Triple]
    inferred: bool = False  # the entailments graph, made by the loader, not read from `path`


@dataclass(frozen=True)
class LabelConflict:
    subject: str
    language: str
    labels: dict[str, list[str]]  # label -> files that give it

    def __str__(self) -> str:
        variants = "; ".join(f'"{label}" in {", ".join(files)}' for label, files in sorted(self.labels.items()))
        return f"{self.subject} has different @{self.language} labels: {variants}"


@dataclass
class ProjectGraph:
    files: list[SourceFile] = field(default_factory=list)
    root: Path = ROOT

    def __len__(self) -> int:
        return sum(len(f.triples) for f in self.files)

    def quads(self):
        for source in self.files:
            for triple in source.triples:
                yield ox.Quad(triple.subject, triple.predicate, triple.object, source.graph)

    def to_store(self) -> ox.Store:
        """A fresh in-memory Oxigraph store holding every file in its own named graph."""
        store = ox.Store()
        store.bulk_extend(self.quads())
        return store

    def to_rdflib(self) -> Dataset:
        dataset = Dataset()
        for source in self.files:
            graph = dataset.graph(URIRef(source.graph.value))
            for triple in source.triples:
                graph.add(tuple(to_rdflib_term(t) for t in (triple.subject, triple.predicate, triple.object)))
        return dataset

    def union_graph(self) -> Graph:
        """All triples in one rdflib Graph (for validation and reasoning)."""
        graph = Graph()
        for source in self.files:
            for triple in source.triples:
                graph.add(tuple(to_rdflib_term(t) for t in (triple.subject, triple.predicate, triple.object)))
        return graph

    def label_conflicts(self) -> list[LabelConflict]:
        seen: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for source in self.files:
            for triple in source.triples:
                if triple.predicate == RDFS_LABEL and isinstance(triple.object, ox.Literal) and triple.object.language:
                    key = (triple.subject.value, triple.object.language)
                    seen[key][triple.object.value].add(self.relative(source.path))
        return [
            LabelConflict(subject, lang, {label: sorted(files) for label, files in labels.items()})
            for (subject, lang), labels in sorted(seen.items())
            if len(labels) > 1
        ]

    def describe(self, source: SourceFile) -> str:
        """The file a graph was read from, or the name of the graph the loader made."""
        return source.graph.value if source.inferred else self.relative(source.path)

    def relative(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)


def to_rdflib_term(term) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            # RDF 1.1 plain literals are xsd:string; rdflib compares them equal only without a datatype.
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def configured_sources() -> tuple[Path, ...]:
    value = os.environ.get(SOURCES_ENV, "")
    return tuple(Path(p) for p in value.split(os.pathsep) if p) or DEFAULT_SOURCES


def source_files(paths) -> list[Path]:
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in RDF_SUFFIXES and p.is_file()))
        else:
            raise LoadError(path, None, "no such file or folder")
    return found


def graph_name(path: Path, root: Path = ROOT) -> ox.NamedNode:
    try:
        relative = path.resolve().relative_to(root)
    except ValueError:
        relative = Path(path.name)
    return ox.NamedNode(GRAPH_BASE + relative.with_suffix("").as_posix())


def parse_file(path: Path, root: Path = ROOT) -> SourceFile:
    rdf_format = RDF_SUFFIXES.get(path.suffix)
    if rdf_format is None:
        raise LoadError(path, None, f"unknown RDF file type {path.suffix!r}")
    try:
        triples = [q.triple for q in ox.parse(path=str(path), format=rdf_format)]
    except SyntaxError as error:
        reason = str(error.msg if hasattr(error, "msg") else error)
        raise LoadError(path, error.lineno, reason) from None
    except (OSError, UnicodeDecodeError) as error:
        raise LoadError(path, None, str(error)) from None
    return SourceFile(path, graph_name(path, root), triples)


def load_project(paths=None, root: Path = ROOT) -> ProjectGraph:
    """Parse every RDF file under `paths` (default: $IZA_SOURCES or ontology/ and data/).

    Raises LoadError on the first file that fails, so a half graph is never served. The last graph is
    the inferred one (see the module comment).
    """
    project = ProjectGraph([parse_file(path, root) for path in source_files(paths or configured_sources())], root)
    project.files.append(SourceFile(Path(INFERRED_GRAPH.value), INFERRED_GRAPH,
                                    entailed_triples(project.to_store()), inferred=True))
    return project
