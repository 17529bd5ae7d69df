"""The SPARQL 1.1 Protocol endpoint /sparql: read-only, through the same Backend as every other route.

- GET ?query=, POST form-encoded (query=), POST application/sparql-query.
- SELECT/ASK answers as SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples, JSON-LD or
  RDF/XML, chosen by Accept (tables below) or by a `format` parameter (as SPARQLWrapper sends it). The
  store writes the answer itself (Backend.answer: pyoxigraph's writers on the embedded graph, the
  server's bytes and content type on a remote one); nothing here builds or writes terms.
- The default graph is the union of the named graphs (one per source file) on both backends, unless the
  query names its own with FROM / FROM NAMED. `default-graph-uri` and `named-graph-uri` (each may repeat)
  replace both, as the SPARQL 1.1 Protocol says: the default graph is then the merge of the first, and
  GRAPH reaches only the second.
- Refused: SPARQL Update (403), SERVICE (403).
- The text of one of the project's named queries (as it stands, or with its parameters bound by a VALUES
  block of constant terms) runs as GET /queries/{name} runs it, on the API's own query threads; any
  other text runs in an isolated worker process (app.core.isolation).
- Syntax errors: 400 with the parser's message. SELECT answers are cut off at IZA_MAX_ROWS rows (header
  `X-Result-Capped`); a query running past IZA_QUERY_TIMEOUT_S gets 504.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from app.api.deps import BackendDep, LibraryDep, SettingsDep
from app.backends import Backend
from app.backends.base import Answer, QueryDataset
from app.backends.binding import UNSAFE_IRI
from app.backends.sparql_text import (
    calls_service, looks_like_update, mask, nesting_depth, query_form,
)
from app.api.tabular import negotiate
from app.core.config import Settings
from app.core.isolation import as_named_query
from app.queries import ABSOLUTE_IRI

log = logging.getLogger("iza_kg.sparql")
router = APIRouter(tags=["sparql"])

# SELECT and ASK results. Specs: SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/),
# XML (https://www.w3.org/TR/rdf-sparql-XMLres/), CSV and TSV (https://www.w3.org/TR/sparql11-results-csv-tsv/).
RESULT_MEDIA_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "text/javascript": "json",
    "application/javascript": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
RESULT_CONTENT_TYPE = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
# CONSTRUCT and DESCRIBE results: media type -> the canonical media type answered.
# Turtle https://www.w3.org/TR/turtle/, N-Triples https://www.w3.org/TR/n-triples/,
# JSON-LD https://www.w3.org/TR/json-ld11/, RDF/XML https://www.w3.org/TR/rdf-syntax-grammar/
RDF_MEDIA_TYPES = {
    "text/turtle": "text/turtle",
    "application/turtle": "text/turtle",
    "application/x-turtle": "text/turtle",
    "application/n-triples": "application/n-triples",
    "text/plain": "application/n-triples",
    "application/ld+json": "application/ld+json",
    "application/json": "application/ld+json",
    "application/rdf+xml": "application/rdf+xml",
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
}
# The `format` (or `output`, `results`) parameter, as SPARQLWrapper and browsers send it.
FORMAT_PARAMETER = {
    "json": ("json", "application/ld+json"), "xml": ("xml", "application/rdf+xml"), "csv": ("csv", None),
    "tsv": ("tsv", None), "turtle": (None, "text/turtle"), "ttl": (None, "text/turtle"), "n3": (None, "text/turtle"),
    "nt": (None, "application/n-triples"), "ntriples": (None, "application/n-triples"),
    "json-ld": (None, "application/ld+json"), "jsonld": (None, "application/ld+json"),
    "rdf": (None, "application/rdf+xml"), "rdf+xml": (None, "application/rdf+xml"),
}


class Refused(HTTPException):
    pass


# Measured: pyoxigraph 0.5 answers 500 levels and crashes (SIGSEGV, stack overflow) at 5 000.
MAX_NESTING = 200

# -- checking the request ------------------------------------------------------------------------


def check_query(text: str) -> str:
    """The query form (SELECT, ASK, CONSTRUCT, DESCRIBE); 403 for an update or SERVICE.

    Read from the keywords (app.backends.sparql_text), not by parsing: the store's parser checks the
    syntax when the query runs and its message comes back as a 400. A text with no query form is sent
    as SELECT, so the parser says what is wrong with it.
    """
    masked = mask(text)
    if (depth := nesting_depth(masked)) > MAX_NESTING:
        raise HTTPException(400, f"the query nests groups or parentheses {depth} deep; at most {MAX_NESTING} levels "
                                 "are accepted (Oxigraph's parser recurses once per level and would crash)")
    if looks_like_update(masked):
        raise Refused(403, "This endpoint is read-only: SPARQL Update requests are refused.")
    if calls_service(masked):
        raise Refused(403, "SERVICE is refused: this endpoint does not call other SPARQL servers.")
    return query_form(masked) or "SELECT"


def requested_dataset(params: dict[str, list[str]]) -> QueryDataset | None:
    """default-graph-uri and named-graph-uri (each may repeat); None when neither is given, and the backend
    then honours the query's own FROM / FROM NAMED or answers over the union of the named graphs."""
    default_graphs, named_graphs = params.get("default-graph-uri", []), params.get("named-graph-uri", [])
    for name, iris in (("default-graph-uri", default_graphs), ("named-graph-uri", named_graphs)):
        for iri in iris:
            if not ABSOLUTE_IRI.match(iri) or UNSAFE_IRI.search(iri):
                raise HTTPException(400, f"{name} is not an absolute IRI: {iri!r}")
    if default_graphs or named_graphs:
        return QueryDataset(tuple(default_graphs), tuple(named_graphs))
    return None


# -- the endpoint --------------------------------------------------------------------------------


async def read_request(request: Request) -> tuple[str | None, dict[str, list[str]]]:
    """The query text and the other protocol parameters, from the URL and (for POST) the body."""
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    if request.method == "POST":
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "application/sparql-update":
            raise Refused(403, "This endpoint is read-only: SPARQL Update requests are refused.")
        if content_type == "application/sparql-query":
            return (await request.body()).decode("utf-8"), params
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.form()
            for key, value in form.multi_items():
                params.setdefault(key, []).append(str(value))
        else:
            raise HTTPException(415, "POST a query as application/sparql-query or application/x-www-form-urlencoded")
    if "update" in params:
        raise Refused(403, "This endpoint is read-only: SPARQL Update requests are refused.")
    queries = params.pop("query", [])
    if len(queries) > 1:
        raise HTTPException(400, "give exactly one query parameter")
    return (queries[0] if queries else None), params


def choose_format(request: Request, params: dict[str, list[str]], form: str) -> str:
    asked = next((params[k][0].lower() for k in ("format", "output", "results") if k in params), None)
    tabular = form in ("SELECT", "ASK")
    if asked in FORMAT_PARAMETER:
        choice = FORMAT_PARAMETER[asked][0 if tabular else 1]
        if choice:
            return choice
    table = RESULT_MEDIA_TYPES if tabular else RDF_MEDIA_TYPES
    default = "json" if tabular else "text/turtle"
    chosen = negotiate(request.headers.get("accept"), table, default)
    if chosen is None:
        offered = ", ".join(sorted(set(table)))
        raise HTTPException(406, f"cannot answer a {form} query as {request.headers.get('accept')!r}; offered: {offered}")
    return chosen


def respond(answer: Answer, max_rows: int, paging_hint: str = "") -> Response:
    """The store's bytes as they are, with its content type, and X-Result-Capped if rows were cut off."""
    headers = {}
    if answer.capped:
        headers["X-Result-Capped"] = f"{answer.capped_by or f'results cut off at {max_rows} rows (IZA_MAX_ROWS)'}{paging_hint}"
    return Response(answer.body, media_type=answer.media_type, headers=headers)


def execute(backend: Backend, settings: Settings, text: str, form: str, fmt: str,
            dataset: QueryDataset | None, named: bool = False) -> Response:
    media_type = fmt if form in ("CONSTRUCT", "DESCRIBE") else RESULT_CONTENT_TYPE[fmt]
    with as_named_query() if named else nullcontext():
        answer = backend.answer(text, media_type, settings.max_rows, dataset=dataset)
    return respond(answer, settings.max_rows, "; use LIMIT and OFFSET to page through them")


USAGE = {
    "endpoint": "/sparql",
    "description": "SPARQL 1.1 query endpoint (read-only). The default graph is the union of all named graphs "
                   "(one per source file, https://w3id.org/iza-kg/graph/...); FROM / FROM NAMED or "
                   "default-graph-uri / named-graph-uri choose other graphs.",
    "usage": ["GET /sparql?query=...", "POST /sparql (application/x-www-form-urlencoded, query=...)",
              "POST /sparql (application/sparql-query)"],
    "results": sorted(set(RESULT_CONTENT_TYPE.values()) | set(RDF_MEDIA_TYPES.values())),
}


SPARQL_RESPONSES = {200: {"content": {m: {} for m in sorted(set(RESULT_CONTENT_TYPE.values()) | set(RDF_MEDIA_TYPES.values()))}},
                    400: {"description": "syntax error (the parser's message)"},
                    403: {"description": "update or SERVICE refused"},
                    504: {"description": "query ran past the time limit"}}


@router.get("/sparql", summary="SPARQL 1.1 query endpoint (read-only), query in the URL", responses=SPARQL_RESPONSES)
@router.post("/sparql", summary="SPARQL 1.1 query endpoint (read-only), query in the body", responses=SPARQL_RESPONSES)
async def sparql(request: Request, backend: BackendDep, library: LibraryDep, settings: SettingsDep):
    """GET `?query=`, POST form-encoded or POST `application/sparql-query`. The default graph is the union of
    the named graphs, one per source file, on both backends, unless the query has FROM clauses;
    `default-graph-uri` and `named-graph-uri` (each may repeat) replace that dataset, as the protocol says."""
    text, params = await read_request(request)
    if text is None:
        return JSONResponse(USAGE)
    named = library.named(text)  # the project's own text needs no reading for updates, SERVICE or depth
    form = named.form if named else check_query(text)
    dataset = requested_dataset(params)
    fmt = choose_format(request, params, form)
    return await run_in_threadpool(execute, backend, settings, text, form, fmt, dataset, named is not None)

