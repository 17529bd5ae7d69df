"""The graph as published linked open data: deterministic dumps, a DCAT-AP-NL catalogue and a VoID description.

Dumps (same input, same bytes, so diffs between releases mean something):

- `iza-kg.ttl`     Turtle of the union graph
- `iza-kg.nt.gz`   N-Triples of the union graph, lines sorted, gzip with mtime 0 and no file name
- `iza-kg.trig`    TriG, one named graph per source file
- `iza-kg.jsonld`  JSON-LD of the union graph, nodes sorted by @id and values sorted

Blank nodes get canonical labels (rdflib.compare.to_canonical_graph, a hash of their surroundings), so the
random labels of the parser never reach a dump. In TriG the labels carry a short hash of their graph, so two
equal blank nodes in two files stay two nodes.

`catalog.ttl` describes the catalogue, the dataset, one distribution per dump (media type, byte size,
SHA-256) and the SPARQL endpoint as a `dcat:DataService`, valid against the DCAT-AP-NL 3.0 shapes.
`void.ttl` holds counts computed with SPARQL over the same graph. Dates and the version come from the
ontology header (`dcterms:modified`, `owl:versionInfo`), never from the clock.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from app.backends import Backend
from app.loader import GRAPH_BASE, ProjectGraph, to_rdflib_term
from app.namespaces import (ADMS, BASE, EU_ACCESS, EU_COUNTRY, EU_FILE_TYPE, EU_LANGUAGE, EU_THEME, FORMATS_NS,
                            IZA, PREFIX_MAP, SPDX, VCARD, VOID)

IANA = "http://www.iana.org/assignments/media-types/"
OVERHEID_THEMA_ZORG = URIRef("http://standaarden.overheid.nl/owms/terms/Zorg_gezondheid")
LICENCE = URIRef("http://creativecommons.org/licenses/by/4.0/")
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")

DATASET_NAME = "iza-kg"


@dataclass(frozen=True)
class Dump:
    name: str
    media_type: str
    file_type: URIRef  # EU file-type authority
    feature: URIRef  # W3C formats IRI, for void:feature
    title_en: str
    compressed: bool = False


DUMPS = (
    Dump("iza-kg.ttl", "text/turtle", EU_FILE_TYPE.RDF_TURTLE, FORMATS_NS.Turtle, "Turtle, all named graphs merged"),
    Dump("iza-kg.nt.gz", "application/n-triples", EU_FILE_TYPE.RDF_N_TRIPLES, FORMATS_NS["N-Triples"],
         "N-Triples, sorted lines, gzip", compressed=True),
    Dump("iza-kg.trig", "application/trig", EU_FILE_TYPE.RDF_TRIG, FORMATS_NS.TriG, "TriG, one named graph per source file"),
    Dump("iza-kg.jsonld", "application/ld+json", EU_FILE_TYPE.JSON_LD, FORMATS_NS["JSON-LD"], "JSON-LD, all named graphs merged"),
)
DESCRIPTIONS = {"catalog.ttl": "text/turtle", "void.ttl": "text/turtle"}
MEDIA_TYPES = {d.name: ("application/gzip" if d.compressed else d.media_type) for d in DUMPS} | DESCRIPTIONS


def bind_prefixes(graph: Graph) -> Graph:
    for prefix, namespace in sorted(PREFIX_MAP.items()):
        graph.bind(prefix, namespace, override=True)
    for prefix, namespace in (("void", VOID), ("vcard", VCARD), ("spdx", SPDX), ("adms", ADMS)):
        graph.bind(prefix, namespace, override=True)
    return graph


# --- deterministic dumps -------------------------------------------------------------------------------

def canonical(graph: Graph, prefix: str = "") -> Graph:
    """A copy of `graph` with canonical blank-node labels (optionally prefixed)."""
    result = Graph()
    for triple in to_canonical_graph(graph):
        result.add(tuple(BNode(prefix + str(t)) if isinstance(t, BNode) else t for t in triple))
    return result


def sorted_ntriples(graph: Graph) -> bytes:
    text = graph.serialize(format="nt11", encoding="utf-8").decode("utf-8")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8")


def gzip_bytes(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as stream:
        stream.write(data)
    return buffer.getvalue()


def _normalise_jsonld(value):
    """Sort what RDF leaves unordered: nodes by @id, property values by their JSON; keep @list order."""
    if isinstance(value, dict):
        return {k: ([_normalise_jsonld(v) for v in val] if k == "@list" and isinstance(val, list)
                    else _normalise_jsonld(val)) for k, val in value.items()}
    if isinstance(value, list):
        items = [_normalise_jsonld(v) for v in value]
        return sorted(items, key=lambda item: (str(item.get("@id", "")) if isinstance(item, dict) else "",
                                               json.dumps(item, sort_keys=True, ensure_ascii=False)))
    return value


def jsonld_bytes(graph: Graph) -> bytes:
    context = {prefix: str(ns) for prefix, ns in sorted(PREFIX_MAP.items())}
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    return (json.dumps(_normalise_jsonld(data), sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def trig_bytes(graphs: list[tuple[URIRef, Graph]]) -> bytes:
    """TriG with the named graphs in the given order (rdflib's TriG writer orders them by chance)."""
    prefixes = bind_prefixes(Graph())
    lines = [f"@prefix {prefix}: <{ns}> ." for prefix, ns in sorted(prefixes.namespaces()) if prefix]
    blocks = ["\n".join(lines) + "\n"]
    for name, graph in graphs:
        bind_prefixes(graph)
        body = graph.serialize(format="turtle", encoding="utf-8").decode("utf-8")
        body = "\n".join(line for line in body.splitlines() if not line.startswith("@prefix")).strip()
        blocks.append(f"<{name}> {{\n{body}\n}}\n")
    return "\n".join(blocks).encode("utf-8")


def build_dumps(project: ProjectGraph) -> dict[str, bytes]:
    union = bind_prefixes(canonical(project.union_graph()))
    graphs = []
    for source in sorted(project.files, key=lambda f: f.graph.value):
        name = URIRef(source.graph.value)
        graph = Graph()
        for triple in source.triples:
            graph.add(tuple(to_rdflib_term(t) for t in (triple.subject, triple.predicate, triple.object)))
        tag = hashlib.sha256(str(name).encode()).hexdigest()[:8]
        graphs.append((name, canonical(graph, prefix=f"g{tag}")))
    return {
        "iza-kg.ttl": union.serialize(format="turtle", encoding="utf-8"),
        "iza-kg.nt.gz": gzip_bytes(sorted_ntriples(union)),
        "iza-kg.trig": trig_bytes(graphs),
        "iza-kg.jsonld": jsonld_bytes(union),
    }


# --- VoID ----------------------------------------------------------------------------------------------

def _count(backend: Backend, query: str) -> int:
    return int(backend.select(query).rows[0]["n"])


def _fragment(term: str) -> str:
    """A stable, readable fragment for a class or property IRI (`iza-Regioplan`, else a hash)."""
    for prefix, namespace in sorted(PREFIX_MAP.items()):
        local = term[len(str(namespace)):]
        if term.startswith(str(namespace)) and local.replace("-", "").replace("_", "").isalnum():
            return f"{prefix}-{local}"
    return "h" + hashlib.sha256(term.encode()).hexdigest()[:12]


VOID_QUERIES = {
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
    "distinctSubjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
    "distinctObjects": "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }",
    "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }",
    "classes": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }",
}
CLASS_PARTITIONS = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"
PROPERTY_PARTITIONS = ("SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } "
                       "GROUP BY ?p ORDER BY ?p")
GRAPH_SUBSETS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
ENTITIES = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?_space)) }"
EXAMPLES = f"""SELECT DISTINCT ?r WHERE {{ ?plan <{IZA.forRegion}> ?r . ?r a <{IZA.ZorgkantoorRegion}> }}
ORDER BY ?r LIMIT 3"""


def void_description(backend: Backend, base: str = BASE, data_space: str = BASE) -> Graph:
    """VoID for the graph behind `backend`; every number is a SPARQL count over it."""
    graph = bind_prefixes(Graph())
    dataset = URIRef(base + "catalog#" + DATASET_NAME)
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("iza-kg: regioplannen van het Integraal Zorgakkoord", lang="nl")))
    graph.add((dataset, DCTERMS.title, Literal("iza-kg: regional plans of the Dutch Integraal Zorgakkoord", lang="en")))
    graph.add((dataset, DCTERMS.license, LICENCE))
    graph.add((dataset, FOAF.homepage, URIRef(base)))
    graph.add((dataset, VOID.uriSpace, Literal(data_space)))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(base + "sparql")))
    graph.add((dataset, VOID.rootResource, URIRef(data_space + "def/")))
    for dump in DUMPS:
        graph.add((dataset, VOID.dataDump, URIRef(base + "download/" + dump.name)))
        graph.add((dataset, VOID.feature, dump.feature))
    for name, query in VOID_QUERIES.items():
        graph.add((dataset, VOID[name], Literal(_count(backend, query), datatype=XSD.integer)))
    entities = backend.select(ENTITIES, {"_space": Literal(data_space)}).rows[0]["n"]
    graph.add((dataset, VOID.entities, Literal(int(entities), datatype=XSD.integer)))
    for row in backend.select(EXAMPLES).rows:
        graph.add((dataset, VOID.exampleResource, row["r"]))
    vocabularies = set()
    for row in backend.select(CLASS_PARTITIONS).rows:
        if not isinstance(row["c"], URIRef):
            continue
        part = URIRef(f"{base}.well-known/void#class-{_fragment(str(row['c']))}")
        graph.add((dataset, VOID.classPartition, part))
        graph.add((part, VOID["class"], row["c"]))
        graph.add((part, VOID.entities, Literal(int(row["n"]), datatype=XSD.integer)))
    for row in backend.select(PROPERTY_PARTITIONS).rows:
        part = URIRef(f"{base}.well-known/void#property-{_fragment(str(row['p']))}")
        graph.add((dataset, VOID.propertyPartition, part))
        graph.add((part, VOID.property, row["p"]))
        graph.add((part, VOID.triples, Literal(int(row["n"]), datatype=XSD.integer)))
        vocabularies.add(str(row["p"]).rsplit("#", 1)[0] + "#" if "#" in str(row["p"]) else str(row["p"]).rsplit("/", 1)[0] + "/")
    for vocabulary in sorted(vocabularies):
        graph.add((dataset, VOID.vocabulary, URIRef(vocabulary)))
    for row in backend.select(GRAPH_SUBSETS).rows:
        subset = row["g"]
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, VOID.triples, Literal(int(row["n"]), datatype=XSD.integer)))
        if str(subset).startswith(GRAPH_BASE):
            graph.add((subset, DCTERMS.source, Literal(str(subset)[len(GRAPH_BASE):] + ".ttl")))
    return graph


# --- DCAT ----------------------------------------------------------------------------------------------

ONTOLOGY_HEADER = f"""PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?modified ?version WHERE {{
  OPTIONAL {{ <{IZA}> dcterms:modified ?modified }}
  OPTIONAL {{ <{IZA}> owl:versionInfo ?version }}
}}"""
DATA_DATES = f"""PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT DISTINCT ?d WHERE {{
  GRAPH ?g {{ ?s ?p ?d }}
  FILTER(STRSTARTS(STR(?g), "{GRAPH_BASE}data/"))
  FILTER(?p NOT IN (dcterms:modified, dcterms:issued))
  FILTER(datatype(?d) IN (xsd:date, xsd:gYear))
}}"""


def _header(backend: Backend) -> tuple[Literal | None, str]:
    rows = backend.select(ONTOLOGY_HEADER).rows
    row = rows[0] if rows else {}
    version = str(row.get("version", "0"))
    return row.get("modified"), version


def _coverage(backend: Backend) -> tuple[date, date] | None:
    """First and last date that the data itself mentions (plan periods, document years)."""
    starts, ends = [], []
    for row in backend.select(DATA_DATES).rows:
        value = row["d"]
        text = str(value)
        try:
            if value.datatype == XSD.gYear:
                starts.append(date(int(text[:4]), 1, 1))
                ends.append(date(int(text[:4]), 12, 31))
            else:
                day = date.fromisoformat(text[:10])
                starts.append(day)
                ends.append(day)
        except ValueError:
            continue
    return (min(starts), max(ends)) if starts else None


def _text(graph: Graph, subject: URIRef, predicate: URIRef, nl: str, en: str) -> None:
    graph.add((subject, predicate, Literal(nl, lang="nl")))
    graph.add((subject, predicate, Literal(en, lang="en")))


def dcat_description(backend: Backend, dumps: dict[str, bytes], base: str = BASE) -> Graph:
    """The DCAT-AP-NL catalogue: catalogue, dataset, distributions with checksums, SPARQL data service."""
    g = bind_prefixes(Graph())
    cat = Namespace(base + "catalog#")
    catalog, dataset, service = cat["catalog"], cat[DATASET_NAME], cat["sparql"]
    publisher, contact, period = cat["publisher"], cat["contact"], cat["coverage"]
    modified, version = _header(backend)
    ontology = URIRef(str(IZA))

    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal("iza-kg contributors")))
    g.add((publisher, FOAF.homepage, URIRef(base)))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal("iza-kg contributors")))
    g.add((contact, VCARD.hasURL, URIRef(base)))
    g.add((ontology, RDF.type, DCTERMS.Standard))
    g.add((ontology, DCTERMS.title, Literal("iza-kg ontology", lang="en")))
    g.add((SPARQL_PROTOCOL, RDF.type, DCTERMS.Standard))
    g.add((LICENCE, RDF.type, DCTERMS.LicenseDocument))
    # Values from controlled vocabularies are typed here, as DCAT-AP's class constraints ask.
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((EU_ACCESS.PUBLIC, RDF.type, DCTERMS.RightsStatement))
    for language in (EU_LANGUAGE.NLD, EU_LANGUAGE.ENG):
        g.add((language, RDF.type, DCTERMS.LinguisticSystem))
    for media_type in {d.media_type for d in DUMPS} | {"application/gzip"}:
        g.add((URIRef(IANA + media_type), RDF.type, DCTERMS.MediaType))
    for dump in DUMPS:
        g.add((dump.file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
    g.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))
    for concept, label in ((EU_THEME.HEAL, "Health"), (OVERHEID_THEMA_ZORG, "Zorg en gezondheid")):
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.prefLabel, Literal(label, lang="en" if label == "Health" else "nl")))

    g.add((catalog, RDF.type, DCAT.Catalog))
    _text(g, catalog, DCTERMS.title, "Catalogus iza-kg", "iza-kg catalogue")
    _text(g, catalog, DCTERMS.description,
          "De gepubliceerde datasets en diensten van iza-kg, de kennisgraaf van de regioplannen van het Integraal Zorgakkoord.",
          "The datasets and services published by iza-kg, the knowledge graph of the Integraal Zorgakkoord regional plans.")
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, DCTERMS.creator, publisher))
    g.add((catalog, DCAT.contactPoint, contact))
    g.add((catalog, DCTERMS.license, LICENCE))
    g.add((catalog, DCTERMS.language, EU_LANGUAGE.NLD))
    g.add((catalog, FOAF.homepage, URIRef(base)))
    g.add((catalog, DCAT.dataset, dataset))
    g.add((catalog, DCAT.service, service))
    if modified is not None:
        g.add((catalog, DCTERMS.modified, modified))

    g.add((dataset, RDF.type, DCAT.Dataset))
    _text(g, dataset, DCTERMS.title, "iza-kg: regioplannen van het Integraal Zorgakkoord",
          "iza-kg: regional plans of the Dutch Integraal Zorgakkoord")
    _text(g, dataset, DCTERMS.description,
          "Een kennisgraaf (RDF) van de regioplannen onder het Integraal Zorgakkoord (IZA, 2022): regio's, gemeenten, "
          "partners, opgaven, transformaties, financiering en KPI's, elke bewering met het brondocument en een letterlijk citaat.",
          "An RDF knowledge graph of the regional plans under the Dutch Integraal Zorgakkoord (IZA, 2022): regions, "
          "municipalities, partners, challenges, transformations, funding and KPIs, every statement with its source "
          "document and a verbatim quote.")
    g.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
    shared = [(DCTERMS.publisher, publisher), (DCTERMS.creator, publisher), (DCAT.contactPoint, contact),
              (DCTERMS.license, LICENCE), (DCTERMS.accessRights, EU_ACCESS.PUBLIC), (DCAT.theme, EU_THEME.HEAL),
              (DCAT.theme, OVERHEID_THEMA_ZORG)]  # what the dataset and the SPARQL service both state
    for predicate, value in shared:
        g.add((dataset, predicate, value))
    for keyword in ("Integraal Zorgakkoord", "IZA", "regioplan", "zorgkantoorregio", "linked data"):
        g.add((dataset, DCAT.keyword, Literal(keyword, lang="nl")))
    g.add((dataset, DCTERMS.spatial, EU_COUNTRY.NLD))
    g.add((EU_COUNTRY.NLD, RDF.type, DCTERMS.Location))
    coverage = _coverage(backend)
    if coverage:
        g.add((dataset, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, Literal(coverage[0], datatype=XSD.date)))
        g.add((period, DCAT.endDate, Literal(coverage[1], datatype=XSD.date)))
    g.add((dataset, DCTERMS.language, EU_LANGUAGE.NLD))
    g.add((dataset, DCTERMS.language, EU_LANGUAGE.ENG))
    g.add((dataset, DCAT.landingPage, URIRef(base)))
    g.add((dataset, FOAF.page, URIRef(base + "def/")))
    g.add((URIRef(base + "def/"), RDF.type, FOAF.Document))
    g.add((URIRef(base), RDF.type, FOAF.Document))
    g.add((dataset, DCTERMS.conformsTo, ontology))
    g.add((dataset, URIRef(str(DCAT) + "version"), Literal(version)))  # DCAT 3; rdflib's DCAT is 2
    if modified is not None:
        g.add((dataset, DCTERMS.modified, modified))

    for dump in DUMPS:
        data = dumps[dump.name]
        dist, checksum = cat["dist-" + dump.name], cat["checksum-" + dump.name]
        url = URIRef(base + "download/" + dump.name)
        g.add((dataset, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        _text(g, dist, DCTERMS.title, f"iza-kg als {dump.name.split('.', 1)[1]}", f"iza-kg as {dump.title_en}")
        g.add((dist, DCAT.accessURL, url))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.mediaType, URIRef(IANA + dump.media_type)))
        g.add((dist, DCTERMS["format"], dump.file_type))
        if dump.compressed:
            g.add((dist, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
        g.add((dist, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
        g.add((dist, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)))
        g.add((dist, DCTERMS.license, LICENCE))
        g.add((dist, DCTERMS.conformsTo, ontology))
        g.add((dist, DCTERMS.language, EU_LANGUAGE.NLD))
        g.add((dist, DCTERMS.language, EU_LANGUAGE.ENG))
        if modified is not None:
            g.add((dist, DCTERMS.modified, modified))

    endpoint = cat["dist-sparql"]
    g.add((dataset, DCAT.distribution, endpoint))
    g.add((endpoint, RDF.type, DCAT.Distribution))
    _text(g, endpoint, DCTERMS.title, "SPARQL-endpoint van iza-kg", "iza-kg SPARQL endpoint")
    g.add((endpoint, DCAT.accessURL, URIRef(base + "sparql")))
    g.add((endpoint, DCAT.accessService, service))
    g.add((endpoint, DCTERMS.license, LICENCE))
    g.add((endpoint, DCTERMS.conformsTo, SPARQL_PROTOCOL))
    g.add((endpoint, DCTERMS.language, EU_LANGUAGE.NLD))
    g.add((endpoint, DCTERMS.language, EU_LANGUAGE.ENG))

    g.add((service, RDF.type, DCAT.DataService))
    _text(g, service, DCTERMS.title, "SPARQL-endpoint van iza-kg", "iza-kg SPARQL endpoint")
    _text(g, service, DCTERMS.description,
          "Een alleen-lezen SPARQL 1.1-endpoint over de hele graaf; de standaardgraaf is de vereniging van de benoemde grafen.",
          "A read-only SPARQL 1.1 endpoint over the whole graph; the default graph is the union of the named graphs.")
    g.add((service, DCTERMS.identifier, Literal(str(service))))
    g.add((service, DCAT.endpointURL, URIRef(base + "sparql")))
    g.add((service, DCAT.endpointDescription, URIRef(base + "openapi.json")))
    g.add((service, DCAT.servesDataset, dataset))
    g.add((service, DCTERMS.conformsTo, SPARQL_PROTOCOL))
    for predicate, value in shared:
        g.add((service, predicate, value))
    g.add((service, DCAT.landingPage, URIRef(base)))
    g.add((service, DCTERMS.language, EU_LANGUAGE.NLD))
    for keyword in ("SPARQL", "Integraal Zorgakkoord", "linked data"):
        g.add((service, DCAT.keyword, Literal(keyword, lang="nl")))
    if modified is not None:
        g.add((service, DCTERMS.modified, modified))
    return g


# --- everything together -------------------------------------------------------------------------------

@dataclass
class Publication:
    base: str
    dumps: dict[str, bytes]
    catalog: Graph
    void: Graph
    files: dict[str, bytes] = field(default_factory=dict)

    def __post_init__(self):
        self.files = dict(self.dumps) | {
            "catalog.ttl": self.catalog.serialize(format="turtle", encoding="utf-8"),
            "void.ttl": self.void.serialize(format="turtle", encoding="utf-8"),
        }

    def write(self, directory: Path) -> list[Path]:
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        from app.core.atomic import write_atomically

        for name, data in sorted(self.files.items()):
            path = directory / name
            write_atomically(path, data)  # whole or absent, never a truncated dump (raises WriteError)
            written.append(path)
        return written

    def listing(self) -> list[dict]:
        return [{"name": name, "mediaType": MEDIA_TYPES[name], "byteSize": len(data),
                 "sha256": hashlib.sha256(data).hexdigest()} for name, data in sorted(self.files.items())]


def build_publication(project: ProjectGraph, base: str = BASE, backend: Backend | None = None) -> Publication:
    """Dumps, DCAT and VoID of `project`. Counts run on `backend` (default: an embedded store of `project`)."""
    if backend is None:
        from app.backends.embedded import EmbeddedBackend

        backend = EmbeddedBackend.from_project(project)
    dumps = build_dumps(project)
    return Publication(base, dumps, dcat_description(backend, dumps, base), void_description(backend, base))
