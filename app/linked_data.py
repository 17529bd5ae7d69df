"""What a linked-data document says about one resource, and in which formats it can say it.

A document `/doc/{type}/{slug}` (or a term's description under `/def/`) holds, each triple with the named
graph (source file) it comes from:

- the resource's concise bounded description: its own triples and those of the blank nodes it points to
  (`queries/ld-description.rq`), which includes its provenance (`prov:wasDerivedFrom`, `iza:sourceQuote`);
- the `rdf:type`, `rdfs:label` and `skos:prefLabel` of every resource it links to or is linked from, and of
  the predicates it uses (`queries/ld-linked.rq`), so a reader sees names, not bare IRIs;
- the links pointing at it (`queries/ld-incoming.rq`), e.g. the transformation a solution direction
  belongs to; `rdf:type` and `rdfs:isDefinedBy` links are left out (see the query);
- a few triples about the document itself: `foaf:primaryTopic`, `void:inDataset`, and `dcterms:source`
  for every named graph the description draws on.

The serialisation table `FORMATS` is the single place that says which media types are served; the
routes negotiate with it and tests walk it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS
from rdflib.term import Node

from app.backends import Backend
from app.namespaces import BASE, PREFIX_MAP, VOID
from app.queries import QueryLibrary

IZA_SOURCE_QUOTE = URIRef(BASE + "def/sourceQuote")
PROV_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
DOCUMENT_GRAPH = "document"  # the pseudo graph name of the triples about the document itself


@dataclass(frozen=True)
class RdfFormat:
    """One way to serve a description: media type, rdflib serializer, file extension."""

    key: str
    media_type: str
    rdflib: str | None  # None: not an RDF serialisation (HTML)
    extension: str
    label: str
    dataset: bool = False  # keeps named graphs


# Media types, in the server's order of preference (the first wins when the client rates several equally).
# text/html: https://www.iana.org/assignments/media-types/text/html
# text/turtle: https://www.w3.org/TR/turtle/#sec-mediaReg
# application/ld+json: https://www.w3.org/TR/json-ld11/#iana-considerations
# application/n-triples: https://www.w3.org/TR/n-triples/#n-triples-mediatype
# application/rdf+xml: https://www.w3.org/TR/rdf-syntax-grammar/#section-MIME-Type
# application/trig: https://www.w3.org/TR/trig/#sec-mediaReg
# application/n-quads: https://www.w3.org/TR/n-quads/#sec-mediaReg
FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat("html", "text/html", None, "html", "HTML"),
    RdfFormat("ttl", "text/turtle", "turtle", "ttl", "Turtle"),
    RdfFormat("jsonld", "application/ld+json", "json-ld", "jsonld", "JSON-LD"),
    RdfFormat("nt", "application/n-triples", "nt11", "nt", "N-Triples"),
    RdfFormat("rdf", "application/rdf+xml", "xml", "rdf", "RDF/XML"),
    RdfFormat("trig", "application/trig", "trig", "trig", "TriG (named graphs)", dataset=True),
    RdfFormat("nq", "application/n-quads", "nquads", "nq", "N-Quads (named graphs)", dataset=True),
)
RDF_FORMATS = tuple(f for f in FORMATS if f.rdflib)
BY_EXTENSION = {f.extension: f for f in FORMATS}

# Other names clients use for the same formats. Each maps to a key of FORMATS.
MEDIA_TYPE_ALIASES = {
    "application/xhtml+xml": "html",
    "application/x-turtle": "ttl",
    "application/json": "jsonld",  # JSON-LD is JSON; plain-JSON clients get JSON-LD
    "application/rdf+json": "jsonld",
    "text/n-triples": "nt",
    "application/xml": "rdf",
    "text/xml": "rdf",
    "application/x-trig": "trig",
    "text/x-nquads": "nq",
}

MEDIA_TYPE_TO_FORMAT: dict[str, RdfFormat] = {f.media_type: f for f in FORMATS} | {
    alias: next(f for f in FORMATS if f.key == key) for alias, key in MEDIA_TYPE_ALIASES.items()
}

ACCEPT_ITEM = re.compile(r"^\s*([^\s;/]+)/([^\s;]+)\s*((?:;[^;]*)*)$")


def parse_accept(header: str | None) -> list[tuple[str, str, float]]:
    """The `Accept` header as (type, subtype, q) triples; malformed items are skipped, no header is */*."""
    if header is None or not header.strip():
        return [("*", "*", 1.0)]
    items = []
    for part in header.split(","):
        match = ACCEPT_ITEM.match(part)
        if not match:
            continue
        major, minor, params = match.group(1).lower(), match.group(2).lower(), match.group(3)
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        items.append((major, minor, q))
    return items


def _quality(media_type: str, accepted: list[tuple[str, str, float]]) -> tuple[int, float]:
    """(specificity, q) of the most specific Accept item matching `media_type` (RFC 9110 section 12.5.1);
    (-1, 0) if none matches."""
    major, minor = media_type.split("/")
    best_specificity, q = -1, 0.0
    for a_major, a_minor, a_q in accepted:
        if a_major == major and a_minor == minor:
            specificity = 2
        elif a_major == major and a_minor == "*":
            specificity = 1
        elif a_major == "*" and a_minor == "*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity:
            best_specificity, q = specificity, a_q
    return best_specificity, q


def negotiate(accept: str | None, offered: tuple[RdfFormat, ...] = FORMATS) -> RdfFormat | None:
    """The format to serve for an `Accept` header, among `offered` (in server preference order); None: 406.

    Aliases count: `application/json` is answered with JSON-LD. A format's q comes from the most specific
    Accept item matching its media type or one of its aliases, so `text/html;q=0, */*` excludes HTML.
    """
    accepted = parse_accept(accept)
    best, best_q = None, 0.0
    for fmt in offered:
        names = [fmt.media_type] + [alias for alias, key in MEDIA_TYPE_ALIASES.items() if key == fmt.key]
        q = max(_quality(name, accepted) for name in names)[1]
        if q > best_q:
            best, best_q = fmt, q
    return best


# --- IRIs and paths -------------------------------------------------------------------------------------

SEGMENT = re.compile(r"^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$")


def safe_segment(segment: str) -> bool:
    """A path segment that can be part of an IRI here: no traversal, no reserved characters."""
    return bool(SEGMENT.match(segment)) and ".." not in segment


def local_path(iri: str, base: str) -> str | None:
    """The server path of an IRI under the base (`https://w3id.org/iza-kg/id/x/y` -> `/id/x/y`), else None."""
    if not iri.startswith(base):
        return None
    return "/" + iri[len(base):]


def document_path(iri: str, base: str) -> str | None:
    """Where a browser reads about an IRI: /id/ things at their /doc/ page, everything else at its own path."""
    path = local_path(iri, base)
    if path and path.startswith("/id/"):
        return "/doc/" + path[len("/id/"):]
    return path


# --- Descriptions --------------------------------------------------------------------------------------

Quad = tuple[Node, Node, Node, str]  # subject, predicate, object, graph name


@dataclass
class Description:
    """Everything a document says about one resource, each statement with its named graph."""

    iri: URIRef
    document: URIRef
    dataset_iri: URIRef
    own: list[Quad] = field(default_factory=list)  # the concise bounded description
    linked: list[Quad] = field(default_factory=list)  # labels and types of linked resources
    incoming: list[Quad] = field(default_factory=list)  # links to the resource

    @property
    def graphs(self) -> list[str]:
        return sorted({g for _, _, _, g in self.own + self.incoming})

    def meta(self) -> list[Quad]:
        quads = [
            (self.document, RDF.type, FOAF.Document, DOCUMENT_GRAPH),
            (self.document, FOAF.primaryTopic, self.iri, DOCUMENT_GRAPH),
            (self.document, VOID.inDataset, self.dataset_iri, DOCUMENT_GRAPH),
        ]
        quads += [(self.document, DCTERMS.source, URIRef(g), DOCUMENT_GRAPH) for g in self.graphs]
        return quads

    def all_quads(self) -> list[Quad]:
        return self.own + self.linked + self.incoming + self.meta()

    def graph(self) -> Graph:
        graph = Graph()
        bind_prefixes(graph)
        for s, p, o, _ in self.all_quads():
            graph.add((s, p, o))
        return graph

    def dataset(self) -> Dataset:
        dataset = Dataset()
        bind_prefixes(dataset)
        for s, p, o, g in self.all_quads():
            target = dataset.default_graph if g == DOCUMENT_GRAPH else dataset.graph(URIRef(g))
            target.add((s, p, o))
        return dataset

    def serialize(self, fmt: RdfFormat) -> bytes:
        return serialize_quads([(s, p, o, None if g == DOCUMENT_GRAPH else URIRef(g))
                                for s, p, o, g in self.all_quads()], fmt, first=self.iri)

    # -- for the HTML view --

    @cached_property
    def _index(self) -> dict[Node, dict[Node, list[Node]]]:
        index: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o, _ in self.own + self.linked + self.incoming:
            if o not in index[s][p]:
                index[s][p].append(o)
        return index

    def values(self, subject: Node, predicate: Node) -> list[Node]:
        return list(self._index.get(subject, {}).get(predicate, []))

    def label(self, node: Node, language: str) -> str | None:
        for predicate in (SKOS.prefLabel, RDFS.label):
            for value in self.values(node, predicate):
                if isinstance(value, Literal) and value.language == language:
                    return str(value)
        return None


def bind_prefixes(graph: Graph) -> None:
    for prefix, namespace in PREFIX_MAP.items():
        graph.bind(prefix, namespace, override=True)
    graph.bind("void", VOID, override=True)


OX_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "nt": ox.RdfFormat.N_TRIPLES,
              "rdf": ox.RdfFormat.RDF_XML, "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS}


def to_ox(term: Node):
    """An rdflib term as a pyoxigraph term (literals keep their lexical form)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def serialize_quads(quads, fmt: RdfFormat, first: Node | None = None) -> bytes:
    """Serialise (s, p, o[, graph]) tuples with pyoxigraph (fast, keeps literals as written), grouped by
    subject. Triple formats merge the graphs; TriG and N-Quads keep them (graph None: default graph)."""
    prefixes = {prefix: str(ns) for prefix, ns in sorted(PREFIX_MAP.items())} | {"void": str(VOID)}

    def _order(quad) -> tuple:  # `first` on top, then its blank nodes, then the rest by subject
        s, p, o = quad[:3]
        rank = 0 if s == first else 1 if isinstance(s, BNode) else 2
        return (rank, str(s), p != RDF.type, str(p), str(o))

    if fmt.dataset:
        items = []
        for quad in sorted(quads, key=lambda q: (str(q[3] or ""),) + _order(q)):
            graph = ox.DefaultGraph() if quad[3] is None else ox.NamedNode(str(quad[3]))
            items.append(ox.Quad(*(to_ox(t) for t in quad[:3]), graph))
    else:
        unique = {tuple(q[:3]) for q in quads}
        items = [ox.Triple(*(to_ox(t) for t in triple)) for triple in sorted(unique, key=_order)]
    if fmt.key in ("nt", "nq"):
        return ox.serialize(items, format=OX_FORMATS[fmt.key])
    return ox.serialize(items, format=OX_FORMATS[fmt.key], prefixes=prefixes)


def serialize(source: Graph, fmt: RdfFormat) -> bytes:
    """An rdflib Graph (merged into the default graph for TriG/N-Quads) in `fmt`."""
    return serialize_quads([(s, p, o, None) for s, p, o in source], fmt)


class Describer:
    """Builds descriptions with the named queries `ld-*` on any Backend."""

    def __init__(self, backend: Backend, base: str = BASE, library: QueryLibrary | None = None):
        self.backend = backend
        self.base = base
        library = library or QueryLibrary.load()
        self.queries = {name: library.get(name)
                        for name in ("ld-description", "ld-linked", "ld-incoming", "ld-exists", "ld-replaced-by")}

    @property
    def dataset_iri(self) -> URIRef:
        return URIRef(self.base + "catalog#iza-kg")

    def _bind(self, iri: str) -> dict[str, Node]:
        """The `resource` parameter of the ld-* queries, under the variable they write it as."""
        return {self.queries["ld-exists"].parameters["resource"].variable: URIRef(iri)}

    def exists(self, iri: str) -> bool:
        return bool(self.backend.select(self.queries["ld-exists"].text, self._bind(iri)).rows)

    def replaced_by(self, iri: str) -> str | None:
        """The IRI that replaces `iri` (data/iri-changes.ttl), or None if it has not changed."""
        rows = self.backend.select(self.queries["ld-replaced-by"].text, self._bind(iri)).rows
        return str(rows[0]["new"]) if rows else None

    def describe(self, iri: str, document: str) -> Description | None:
        """The description of `iri`, or None if the graph does not mention it."""
        bindings = self._bind(iri)
        own = [(r["s"], r["p"], r["o"], str(r["g"]))
               for r in self.backend.select(self.queries["ld-description"].text, bindings).rows]
        incoming = [(r["s"], r["p"], URIRef(iri), str(r["g"]))
                    for r in self.backend.select(self.queries["ld-incoming"].text, bindings).rows]
        if not own and not incoming and not self.exists(iri):
            return None
        linked = [(r["s"], r["p"], r["o"], str(r["g"]))
                  for r in self.backend.select(self.queries["ld-linked"].text, bindings).rows]
        return Description(URIRef(iri), URIRef(document), self.dataset_iri, own, linked, incoming)

    def named_graph(self, graph_iri: str) -> Graph | None:
        """The triples of one named graph (one source file), or None if there is no such graph."""
        graph = self.backend.construct("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?_graph_iri { ?s ?p ?o } }",
                                       {"_graph_iri": URIRef(graph_iri)})
        if len(graph) == 0:
            return None
        bind_prefixes(graph)
        return graph


def error_body(fmt: RdfFormat | None, status: int, message: str, iri: str | None = None) -> tuple[bytes, str]:
    """An error in the requested format: a comment in Turtle/N-Triples/TriG/N-Quads, an empty graph with
    extra members in JSON-LD (plain JSON readers see `detail`), an XML comment in RDF/XML; JSON otherwise."""
    if fmt is None or fmt.key in ("json", "jsonld", "html"):
        body = {"status": status, "detail": message} | ({"iri": iri} if iri else {})
        media = fmt.media_type if fmt and fmt.key == "jsonld" else "application/json"
        return json.dumps(body, ensure_ascii=False).encode("utf-8"), media
    if fmt.key == "rdf":
        text = message.replace("--", "- -")
        return (f'<?xml version="1.0" encoding="utf-8"?>\n<!-- {status}: {text} -->\n'
                '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n').encode("utf-8"), fmt.media_type
    line = message.replace("\n", " ")
    return f"# {status}: {line}\n".encode("utf-8"), fmt.media_type
