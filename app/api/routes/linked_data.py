"""Linked-data publication: dereferenceable IRIs, content negotiation, ontology docs, dumps, DCAT and VoID.

Follows the Dutch URI strategy under the configured base (`settings.base_iri`): the server resolves an
IRI by its path, so `/id/regio/x` on any host means `{base}id/regio/x`.

| path | answer |
| --- | --- |
| `/id/{type}/{slug}` | 303 to `/doc/{type}/{slug}` (404 if the graph does not mention the IRI) |
| `/doc/{type}/{slug}[.ext]` | the description, by `Accept` (`Vary: Accept`) or by extension (`.ttl .jsonld .nt .rdf .trig .nq .html`) |
| an `/id/` or `/doc/` path of a changed IRI | 301 to the same path of the IRI that replaces it (`data/iri-changes.ttl`) |
| `/def/` | the ontology: pyLODE HTML, or the ontology's triples in any RDF format |
| `/def/{term}[.ext]` | HTML: 303 to the term's anchor in `/def/`; RDF: the term's description |
| `/graph/{path}[.ext]` | the triples of one named graph (one source file) |
| `/download/`, `/download/{file}` | the dumps, `catalog.ttl` and `void.ttl` (see app.publication) |
| `/catalog[.ext]` | the DCAT-AP-NL description |
| `/.well-known/void` | the VoID description |

Errors come in the requested format (app.linked_data.error_body), never as a 500 for a bad path.
`DatasetLinkHeader` is a middleware that adds `Link: </catalog>; rel="describedby"` to every response.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from app.api.deps import BackendDep, LibraryDep, SettingsDep
from app.backends import Backend
from app.linked_data import (
    BY_EXTENSION, FORMATS, IZA_SOURCE_QUOTE, PROV_DERIVED, RDF_FORMATS, VOID, Describer, Description, RdfFormat,
    bind_prefixes, document_path, error_body, local_path, negotiate, safe_segment, serialize, serialize_quads,
)
from app.namespaces import PREFIX_MAP

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates" / "ld"
templates = Jinja2Templates(directory=str(TEMPLATES))
router = APIRouter(tags=["linked data"])

HTML = FORMATS[0]
JSON_LISTING = RdfFormat("json", "application/json", None, "json", "JSON")
DESCRIPTION_LINK = '</catalog>; rel="describedby"; type="text/turtle"; title="DCAT-AP-NL"'
IZA_SOURCE_RECORD = URIRef(str(PREFIX_MAP["iza"]) + "sourceRecord")
SHOWN_APART = {IZA_SOURCE_QUOTE, PROV_DERIVED, IZA_SOURCE_RECORD}


class DatasetLinkHeader:
    """Middleware: every response links the dataset description (`Link: </catalog>; rel="describedby"`).

    Plain ASGI: a function middleware (`app.middleware("http")`) runs each request in its own task and
    streams the body through a queue, which cost about 1 ms per request."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_link(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"link", DESCRIPTION_LINK.encode())]}
            await send(message)

        await self.app(scope, receive, send_with_link)


# --------------------------------------------------------------------------------------------- state

class LinkedDataState:
    """What the routes share per app: the describer on the app's backend, the publication, the ontology docs.

    The publication (dumps, DCAT, VoID) and the ontology docs are built on first use from the project's
    files, so they are the same bytes `iza-kg export --all` writes.
    """

    CACHED = 256

    def __init__(self, backend: Backend, base: str, library):
        self.backend, self.base = backend, base
        self.describer = Describer(backend, base, library)
        self._lock = threading.Lock()
        self._descriptions: OrderedDict[tuple[str, str], Description | None] = OrderedDict()
        self._publication = None
        self._docs = None

    def describe(self, iri: str, document: str) -> Description | None:
        """Descriptions are kept for the most recent CACHED resources (the backend's graph does not change)."""
        key = (iri, document)
        with self._lock:
            if key in self._descriptions:
                self._descriptions.move_to_end(key)
                return self._descriptions[key]
        description = self.describer.describe(iri, document)
        with self._lock:
            self._descriptions[key] = description
            while len(self._descriptions) > self.CACHED:
                self._descriptions.popitem(last=False)
        return description

    @property
    def publication(self):
        with self._lock:
            if self._publication is None:
                from app.loader import load_project
                from app.publication import build_publication

                self._publication = build_publication(load_project(), self.base)
            return self._publication

    @property
    def docs(self):
        with self._lock:
            if self._docs is None:
                from app.ontology_docs import OntologyDocs

                self._docs = OntologyDocs.load_or_build()
            return self._docs


async def get_state(request: Request, backend: BackendDep, library: LibraryDep, settings: SettingsDep) -> LinkedDataState:
    state = getattr(request.app.state, "linked_data", None)
    if state is None or state.backend is not backend or state.base != settings.base_iri:
        state = request.app.state.linked_data = LinkedDataState(backend, settings.base_iri, library)
    return state


StateDep = Annotated[LinkedDataState, Depends(get_state)]


# --------------------------------------------------------------------------------------------- helpers

def split_extension(name: str) -> tuple[str, RdfFormat | None]:
    stem, dot, extension = name.rpartition(".")
    if dot and stem and extension in BY_EXTENSION:
        return stem, BY_EXTENSION[extension]
    return name, None


def choose(request: Request, offered=FORMATS) -> RdfFormat | None:
    return negotiate(request.headers.get("accept"), offered)


def not_acceptable(offered=FORMATS) -> Response:
    body, media = error_body(None, 406, "None of the media types in Accept can be served. Available: "
                             + ", ".join(f.media_type for f in offered))
    return Response(body, 406, media_type=media, headers={"Vary": "Accept"})


def not_found(request: Request, fmt: RdfFormat | None, iri: str | None, message: str | None = None) -> Response:
    message = message or (f"Onbekende IRI / unknown IRI: {iri}" if iri else "Niet gevonden / not found")
    headers = {"Vary": "Accept"}
    if fmt is not None and fmt.key == "html":
        return templates.TemplateResponse(request, "error.html", {"status": 404, "message": message, "iri": iri},
                                          status_code=404, headers=headers)
    body, media = error_body(fmt, 404, message, iri)
    return Response(body, 404, media_type=media, headers=headers)


def rdf_response(data: bytes, fmt: RdfFormat, negotiated: bool, location: str | None = None) -> Response:
    headers = {"Vary": "Accept"} if negotiated else {}
    if location:
        headers["Content-Location"] = location
    media = fmt.media_type + ("; charset=utf-8" if fmt.media_type.startswith("text/") else "")
    return Response(data, 200, media_type=media, headers=headers)


def qname(iri: str) -> str:
    for prefix, namespace in sorted(PREFIX_MAP.items()) + [("void", VOID)]:
        rest = iri[len(str(namespace)):]
        if iri.startswith(str(namespace)) and rest and "/" not in rest and "#" not in rest:
            return f"{prefix}:{rest}"
    return iri


class View:
    """Turns RDF terms into what the templates show: links for IRIs, labels nl with en beside."""

    def __init__(self, base: str, description: Description | None = None, graph: Graph | None = None):
        self.base, self.description, self.graph = base, description, graph

    def label(self, node, language: str) -> str | None:
        if self.description is not None:
            return self.description.label(node, language)
        if self.graph is not None:
            for predicate in (SKOS.prefLabel, RDFS.label):
                for value in self.graph.objects(node, predicate):
                    if isinstance(value, Literal) and value.language == language:
                        return str(value)
        return None

    def href(self, iri: str) -> str:
        return document_path(iri, self.base) or iri

    def term(self, node, depth: int = 0) -> dict:
        if isinstance(node, URIRef):
            return {"kind": "iri", "iri": str(node), "href": self.href(str(node)), "short": qname(str(node)),
                    "nl": self.label(node, "nl"), "en": self.label(node, "en")}
        if isinstance(node, Literal):
            datatype = qname(str(node.datatype)) if node.datatype else None
            return {"kind": "literal", "text": str(node), "lang": node.language, "datatype": datatype,
                    "datatype_href": self.href(str(node.datatype)) if node.datatype else None}
        if isinstance(node, BNode) and depth < 4:
            return {"kind": "bnode", "rows": self.rows(node, depth + 1)}
        return {"kind": "literal", "text": "[…]", "lang": None, "datatype": None, "datatype_href": None}

    def pairs(self, subject) -> list[tuple[URIRef, list]]:
        if self.description is not None:
            index = self.description._index.get(subject, {})
            return [(p, list(values)) for p, values in index.items()]
        grouped: dict = {}
        for p, o in self.graph.predicate_objects(subject):
            grouped.setdefault(p, []).append(o)
        return list(grouped.items())

    def rows(self, subject, depth: int = 0, skip=frozenset()) -> list[dict]:
        def order(pair):
            p = pair[0]
            return (0 if p == RDF.type else 1 if p in (RDFS.label, SKOS.prefLabel) else 2, str(p))

        out = []
        for predicate, values in sorted(self.pairs(subject), key=order):
            if predicate in skip:
                continue
            values = sorted(values, key=lambda v: (isinstance(v, BNode), getattr(v, "language", None) != "nl", str(v)))
            out.append({"predicate": self.term(predicate), "values": [self.term(v, depth) for v in values]})
        return out


def alternates(path_without_extension: str) -> list[dict]:
    return [{"href": f"{path_without_extension}.{f.extension}", "type": f.media_type, "label": f.label}
            for f in FORMATS if f.key != "html"]


def render_description(request: Request, state: LinkedDataState, description: Description, path: str,
                       title_prefix: str = "") -> Response:
    view = View(state.base, description)
    iri = description.iri
    sources = [view.term(s) for s in description.values(iri, PROV_DERIVED)]
    quotes = [q for q in description.values(iri, IZA_SOURCE_QUOTE)]
    records = [str(r) for r in description.values(iri, IZA_SOURCE_RECORD)]
    incoming = sorted(((s, p) for s, p, _, _ in description.incoming), key=lambda sp: (str(sp[1]), str(sp[0])))
    incoming_rows = []
    for s, p in dict.fromkeys(incoming):
        incoming_rows.append({"subject": view.term(s), "predicate": view.term(p)})
    context = {
        "resource": view.term(iri),
        "types": [view.term(t) for t in description.values(iri, RDF.type)],
        "rows": view.rows(iri, skip=SHOWN_APART),
        "sources": sources,
        "quotes": [{"text": str(q), "lang": q.language} for q in quotes],
        "records": records,
        "incoming": incoming_rows,
        "graphs": [view.term(URIRef(g)) for g in description.graphs],
        "alternates": alternates(path),
        "title_prefix": title_prefix,
        "dataset_href": view.href(str(description.dataset_iri)),
    }
    return templates.TemplateResponse(request, "resource.html", context, headers={"Vary": "Accept"})


def render_graph(request: Request, state: LinkedDataState, graph: Graph, title_nl: str, title_en: str,
                 path: str, iri: str | None = None, negotiated: bool = True) -> Response:
    view = View(state.base, graph=graph)
    subjects = sorted(set(graph.subjects()), key=lambda s: (isinstance(s, BNode), str(s)))
    context = {
        "title_nl": title_nl, "title_en": title_en, "iri": view.term(URIRef(iri)) if iri else None,
        "subjects": [{"term": view.term(s), "rows": view.rows(s)} for s in subjects if not isinstance(s, BNode)],
        "alternates": alternates(path),
    }
    return templates.TemplateResponse(request, "graph.html", context,
                                      headers={"Vary": "Accept"} if negotiated else {})


def serve_description(request: Request, state: LinkedDataState, iri: str, document: str, path: str,
                      fmt: RdfFormat | None, negotiated: bool) -> Response:
    if fmt is None:
        return not_acceptable()
    description = state.describe(iri, document)
    if description is None:
        return not_found(request, fmt, iri)
    if fmt.key == "html":
        return render_description(request, state, description, path)
    return rdf_response(description.serialize(fmt), fmt, negotiated,
                        location=None if not negotiated else f"{path}.{fmt.extension}")


# --------------------------------------------------------------------------------------------- /id and /doc

def moved(state: LinkedDataState, iri: str, document: bool, extension: str | None = None) -> Response | None:
    """301 Moved Permanently from a changed IRI's /id/ (or /doc/) path to its successor's; None if unchanged."""
    new = state.describer.replaced_by(iri)
    if new is None:
        return None
    target = (document_path(new, state.base) if document else local_path(new, state.base)) or new
    suffix = f".{extension}" if extension and target.startswith("/") else ""
    return RedirectResponse(target + suffix, status_code=301, headers={"Vary": "Accept"})


@router.get("/id/{kind}/{slug}", summary="A thing: 303 See Other to its document", status_code=303,
            responses={303: {"description": "See the document /doc/{kind}/{slug}"}, 404: {"description": "Unknown IRI"}})
def thing(kind: str, slug: str, request: Request, state: StateDep) -> Response:
    fmt = choose(request) or HTML
    if not (safe_segment(kind) and safe_segment(slug)):
        return not_found(request, fmt, None)
    stem, extension = split_extension(slug)
    iri = f"{state.base}id/{kind}/{slug}"
    redirect = moved(state, iri, document=False)
    if redirect is None and extension is not None:  # /id/{old}.ttl -> /id/{new}.ttl
        redirect = moved(state, f"{state.base}id/{kind}/{stem}", document=False, extension=extension.extension)
    if redirect is not None:
        return redirect
    if extension is not None and not state.describer.exists(iri):
        iri = f"{state.base}id/{kind}/{stem}"  # /id/x.ttl -> /doc/x.ttl
    if not state.describer.exists(iri):
        return not_found(request, fmt, iri)
    return RedirectResponse(f"/doc/{kind}/{slug}", status_code=303, headers={"Vary": "Accept"})


@router.get("/doc/{kind}/{name}", summary="The document about a thing, in HTML or RDF",
            responses={200: {"content": {f.media_type: {} for f in FORMATS}}, 404: {}, 406: {}})
def doc(kind: str, name: str, request: Request, state: StateDep) -> Response:
    slug, forced = split_extension(name)
    fmt = forced or choose(request)
    if not (safe_segment(kind) and safe_segment(slug)):
        return not_found(request, fmt or HTML, None)
    iri, document = f"{state.base}id/{kind}/{slug}", f"{state.base}doc/{kind}/{slug}"
    redirect = moved(state, iri, document=True, extension=forced.extension if forced else None)
    if redirect is not None:
        return redirect
    if forced is not None and not state.describer.exists(iri) and state.describer.exists(iri + "." + forced.extension):
        slug, fmt, forced = name, choose(request), None  # a slug that really ends in .ttl etc.
        iri, document = f"{state.base}id/{kind}/{slug}", f"{state.base}doc/{kind}/{slug}"
    return serve_description(request, state, iri, document, f"/doc/{kind}/{slug}", fmt, negotiated=forced is None)


@router.get("/id/{rest:path}", include_in_schema=False)
@router.get("/doc/{rest:path}", include_in_schema=False)
def other_paths(rest: str, request: Request) -> Response:
    """Paths that cannot be a thing or document IRI (wrong depth, traversal): 404 in the requested format."""
    return not_found(request, choose(request) or HTML, None)


# --------------------------------------------------------------------------------------------- /def

ONTOLOGY_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), STR(?_prefix))) }"


@router.get("/def", include_in_schema=False)
def def_no_slash() -> Response:
    return RedirectResponse("/def/", status_code=301)


@router.get("/def/", summary="The ontology: pyLODE documentation (HTML) or its triples",
            responses={200: {"content": {f.media_type: {} for f in FORMATS}}, 406: {}})
def ontology(request: Request, state: StateDep) -> Response:
    fmt = choose(request)
    if fmt is None:
        return not_acceptable()
    if fmt.key == "html":
        return Response(state.docs.html, 200, media_type="text/html; charset=utf-8", headers={"Vary": "Accept"})
    return rdf_response(_ontology_graph(state, fmt), fmt, negotiated=True)


def _ontology_graph(state: LinkedDataState, fmt: RdfFormat) -> bytes:
    graph = state.backend.construct(ONTOLOGY_TRIPLES, {"_prefix": Literal(state.base + "graph/ontology/")})
    bind_prefixes(graph)
    return serialize(graph, fmt)


@router.get("/def/{name}", summary="An ontology term: HTML goes to its anchor in /def/, RDF is its description",
            responses={200: {"content": {f.media_type: {} for f in RDF_FORMATS}}, 303: {}, 404: {}, 406: {}})
def term(name: str, request: Request, state: StateDep) -> Response:
    stem, forced = split_extension(name)
    fmt = forced or choose(request)
    if not safe_segment(stem):
        return not_found(request, fmt or HTML, None)
    iri = f"{state.base}def/{stem}"
    if fmt is None:
        return not_acceptable()
    if not state.describer.exists(iri):
        return not_found(request, fmt, iri)
    if fmt.key == "html":
        anchor = state.docs.anchors.get(iri)
        return RedirectResponse("/def/" + (f"#{anchor}" if anchor else ""), status_code=303, headers={"Vary": "Accept"})
    return serve_description(request, state, iri, iri, f"/def/{stem}", fmt, negotiated=forced is None)


# --------------------------------------------------------------------------------------------- /graph

@router.get("/graph/{path:path}", summary="The triples of one named graph (one source file)",
            responses={200: {"content": {f.media_type: {} for f in FORMATS}}, 404: {}, 406: {}})
def named_graph(path: str, request: Request, state: StateDep) -> Response:
    segments = path.split("/")
    last, forced = split_extension(segments[-1])
    segments[-1] = last
    fmt = forced or choose(request)
    if not all(safe_segment(s) for s in segments):
        return not_found(request, fmt or HTML, None)
    if fmt is None:
        return not_acceptable()
    clean = "/".join(segments)
    iri = f"{state.base}graph/{clean}"
    graph = state.describer.named_graph(iri)
    if graph is None:
        return not_found(request, fmt, iri)
    if fmt.key == "html":
        return render_graph(request, state, graph, f"Benoemde graaf {clean}", f"named graph {clean}",
                            f"/graph/{clean}", iri, negotiated=forced is None)
    data = serialize_quads([(s, p, o, URIRef(iri)) for s, p, o in graph], fmt)
    return rdf_response(data, fmt, negotiated=forced is None)


# --------------------------------------------------------------------------------------------- /download

@router.get("/download/", summary="The dumps and the DCAT and VoID files, with sizes and SHA-256",
            responses={200: {"content": {"text/html": {}, "application/json": {}}}, 406: {}})
def downloads(request: Request, state: StateDep) -> Response:
    fmt = choose(request, (HTML, JSON_LISTING))
    if fmt is None:
        return not_acceptable((HTML, JSON_LISTING))
    listing = state.publication.listing()
    if fmt.key == "html":
        return templates.TemplateResponse(request, "downloads.html", {"files": listing}, headers={"Vary": "Accept"})
    import json

    return Response(json.dumps({"data": listing, "count": len(listing)}), 200, media_type="application/json",
                    headers={"Vary": "Accept"})


@router.get("/download", include_in_schema=False)
def downloads_no_slash() -> Response:
    return RedirectResponse("/download/", status_code=301)


@router.get("/download/{name}", summary="One file of the publication",
            responses={200: {"content": {"application/octet-stream": {}}}, 404: {}})
def download(name: str, request: Request, state: StateDep) -> Response:
    files = state.publication.files
    if name not in files:  # only the publication's own names: no path ever reaches the file system
        return not_found(request, choose(request, (HTML, JSON_LISTING)) or JSON_LISTING, None,
                         f"Onbekend bestand / unknown file: {name!r}; available: {', '.join(sorted(files))}")
    from app.publication import MEDIA_TYPES

    data = files[name]
    return Response(data, 200, media_type=MEDIA_TYPES[name], headers={
        "ETag": '"' + hashlib.sha256(data).hexdigest() + '"',
        "Content-Disposition": f'attachment; filename="{name}"',
    })


@router.get("/download/{rest:path}", include_in_schema=False)
def download_other(rest: str, request: Request) -> Response:
    """Anything below /download/ that is not one file name (e.g. an encoded '../'): 404."""
    return not_found(request, choose(request, (HTML, JSON_LISTING)) or JSON_LISTING, None)


# --------------------------------------------------------------------------------------------- /catalog, VoID

def _description_response(request: Request, state: LinkedDataState, graph: Graph, path: str, forced: RdfFormat | None,
                          title_nl: str, title_en: str) -> Response:
    # RDF first: a client that takes anything (*/*) gets Turtle; HTML only when asked for by name.
    offered = RDF_FORMATS + (HTML,)
    fmt = forced or choose(request, offered)
    if fmt is None:
        return not_acceptable(offered)
    if fmt.key == "html":
        return render_graph(request, state, graph, title_nl, title_en, path, negotiated=forced is None)
    data = serialize(graph, fmt)
    return rdf_response(data, fmt, negotiated=forced is None)


# The dataset descriptions: path -> (attribute of the publication, title nl, title en).
DESCRIPTIONS = {
    "/catalog": ("catalog", "Catalogus (DCAT-AP-NL)", "catalogue (DCAT-AP-NL)"),
    "/.well-known/void": ("void", "VoID-beschrijving", "VoID description"),
}


def _description(request: Request, state: LinkedDataState, path: str, extension: str | None = None) -> Response:
    forced = None
    if extension is not None:
        forced = BY_EXTENSION.get(extension)
        if forced is None:
            return not_found(request, choose(request) or HTML, None)
    attribute, title_nl, title_en = DESCRIPTIONS[path]
    graph = getattr(state.publication, attribute)
    return _description_response(request, state, graph, path, forced, title_nl, title_en)


@router.get("/catalog", summary="DCAT-AP-NL 3.0 description: catalogue, dataset, distributions, SPARQL service",
            responses={200: {"content": {f.media_type: {} for f in FORMATS}}, 406: {}})
def catalog(request: Request, state: StateDep) -> Response:
    return _description(request, state, "/catalog")


@router.get("/catalog.{extension}", include_in_schema=False)
def catalog_file(extension: str, request: Request, state: StateDep) -> Response:
    return _description(request, state, "/catalog", extension)


@router.get("/.well-known/void", summary="VoID description: counts, partitions, dumps, SPARQL endpoint",
            responses={200: {"content": {f.media_type: {} for f in FORMATS}}, 406: {}})
def void(request: Request, state: StateDep) -> Response:
    return _description(request, state, "/.well-known/void")


@router.get("/.well-known/void.{extension}", include_in_schema=False)
def void_file(extension: str, request: Request, state: StateDep) -> Response:
    return _description(request, state, "/.well-known/void", extension)
