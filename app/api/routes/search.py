"""GET /search?q=: full-text search over labels, descriptions and source quotes (app.search);
POST /search/refresh: read the graph again (for a remote server whose graph changed)."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from app.api.deps import BackendDep, SettingsDep
from app.api.models import SearchIndexPublic, SearchPublic
from app.api.routes.queries import link_header
from app.api.tabular import TableFormat, csv_response, wants_csv
from app.search import service
from app.search.analysis import QuerySyntaxError

router = APIRouter(prefix="/search", tags=["search"])
CSV_COLUMNS = ["resource", "label", "type", "region", "document", "passage", "text", "score"]
MAX_PAGE_SIZE = 100
REFRESH_INTERVAL_S = 10.0

QUERY_HELP = ("Words (all must occur, in any word form: wachtlijsten finds wachtlijst), \"a phrase\" (these words in "
              "this order), prefix* (mantelzorg*), -word (must not occur), OR between alternatives. Case and "
              "diacritics do not matter. At most 200 characters.")


def problem(status: int, detail: str, **extra) -> JSONResponse:
    return JSONResponse({"detail": detail, **extra}, status_code=status)


@router.get("", response_model=SearchPublic, summary="Full-text search over labels, descriptions and source quotes",
            responses={200: {"content": {"text/csv": {}}},
                       400: {"description": "a query that cannot be read (syntax, too long); the body names the problem"},
                       422: {"description": "an unknown region, type or document to filter by"}})
def search(request: Request, backend: BackendDep,
           q: Annotated[str, Query(description=QUERY_HELP)] = "",
           region: Annotated[list[str], Query(description="Only hits in this region (slug); repeatable")] = [],  # noqa: B006
           type_: Annotated[list[str], Query(alias="type", description="Only hits of this type (IRI); repeatable")] = [],  # noqa: B006
           document: Annotated[list[str], Query(description="Only hits from this source document (IRI); repeatable")] = [],  # noqa: B006
           page: Annotated[int, Query(ge=1)] = 1,
           page_size: Annotated[int, Query(alias="pageSize", ge=1, le=MAX_PAGE_SIZE)] = 20,
           fmt: Annotated[TableFormat | None, Query(alias="format")] = None):
    """Hits ranked by relevance (BM25), each with its resource, label, type, region, source document and a
    snippet of the matching text; facets count the hits per region, type and document. Paged with RFC 8288
    `Link` headers and `X-Total-Count`; CSV by `Accept: text/csv` or `format=csv`."""
    built = service.indexes(request.app).for_backend(backend)
    try:
        body = service.search(built, q, region, type_, document, page, page_size)
    except QuerySyntaxError as error:
        return problem(400, f"The search query cannot be read: {error}", problem=error.problem, q=q, syntax=QUERY_HELP)
    except service.UnknownFilter as error:
        return problem(422, f"Unknown {error.facet} to filter by: {error.value!r}", known=error.known)
    last = max(1, -(-body["total"] // page_size))
    headers = {"Link": link_header(request, page, last), "X-Total-Count": str(body["total"])}
    if wants_csv(request, fmt):
        rows = [{**hit, "type": (hit["type"] or {}).get("iri"), "region": (hit["region"] or {}).get("key"),
                 "document": (hit["document"] or {}).get("iri"), "passage": hit["links"].get("passage")}
                for hit in body["data"]]
        return csv_response(rows, CSV_COLUMNS, "search", headers)
    return JSONResponse(SearchPublic(**body).model_dump(mode="json"), headers=headers)


def index_info(built: service.Built) -> SearchIndexPublic:
    return SearchIndexPublic(backend=built.backend.name, resources=built.index.entries,
                             memory_bytes=built.index.memory_bytes, built_at=built.built_at,
                             build_seconds=built.build_seconds, saved_file=str(built.saved) if built.saved else None,
                             opened_from_saved=built.opened)


@router.get("/index", response_model=SearchIndexPublic, summary="The search index: size, memory, when it was built")
def index(request: Request, backend: BackendDep):
    return index_info(service.indexes(request.app).for_backend(backend))


@router.post("/refresh", response_model=SearchIndexPublic, summary="Build the search index again from the graph",
             responses={429: {"description": "the index was built less than 10 seconds ago"}})
def refresh(request: Request, backend: BackendDep, settings: SettingsDep):
    """For a remote SPARQL server whose graph changed: the API cannot see that, so the index is read again
    on request. (The embedded graph's index follows its reloads by itself.) At most once per 10 seconds."""
    indexes = service.indexes(request.app)
    current = indexes.current
    if current is not None and current.backend is backend and time.monotonic() - current.started < REFRESH_INTERVAL_S:
        wait = REFRESH_INTERVAL_S - (time.monotonic() - current.started)
        return problem(429, f"The search index was built {REFRESH_INTERVAL_S - wait:.0f} s ago; refresh again in "
                       f"{wait:.0f} s.", retry_after_s=round(wait, 1))
    return index_info(indexes.refresh(backend))
