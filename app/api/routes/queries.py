"""GET /queries (the library with its grlc/TriplyDB `#+` metadata) and GET /queries/{name} (run one)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse

from app.api.deps import BackendDep, LibraryDep, SettingsDep
from app.api.models import QueriesPublic, QueryInfo, QueryParameter, QueryResultPublic
from app.api.routes.sparql import RDF_MEDIA_TYPES, RESULT_CONTENT_TYPE, respond
from app.api.service import plain
from app.api.tabular import TableFormat, csv_response, negotiate, wants_csv
from app.queries import NamedQuery

router = APIRouter(prefix="/queries", tags=["queries"])
RESERVED = {"page", "pageSize", "format"}


def query_info(query: NamedQuery) -> QueryInfo:
    return QueryInfo(
        name=query.name, summary=query.summary, description=query.description, tags=query.tags, form=query.form,
        parameters=[QueryParameter(name=p.name, variable="?" + p.variable, type=p.kind, default=p.default,
                                   required=p.default is None) for p in query.parameters.values()],
        example=query.example, url=f"/queries/{query.name}",
    )


@router.get("", response_model=QueriesPublic, summary="The named queries with their metadata")
def list_queries(request: Request, library: LibraryDep, tag: Annotated[str | None, Query(max_length=50)] = None):
    """Every `.rq` file of `queries/` with its `#+` header (summary, description, tags, parameters with their
    types and defaults), the same files grlc and TriplyDB saved queries read."""
    data = [query_info(q) for q in library if tag is None or tag in q.tags]
    return QueriesPublic(data=data, count=len(data), unreadable=getattr(request.app.state, "unreadable_queries", {}))


def link_header(request: Request, page: int, last: int) -> str:
    links = []
    for rel, number in (("first", 1), ("prev", page - 1), ("next", page + 1), ("last", last)):
        if 1 <= number <= last and not (rel in ("prev", "next") and number == page):
            links.append(f'<{request.url.include_query_params(page=number)}>; rel="{rel}"')
    return ", ".join(links)


@router.get("/{name}", response_model=QueryResultPublic, summary="Run a named query with bound parameters",
            responses={200: {"content": {"text/csv": {}, "text/turtle": {}}}, 404: {"description": "unknown query"},
                       422: {"description": "unknown, missing or malformed parameter"}})
def run_query(
    request: Request, backend: BackendDep, library: LibraryDep, settings: SettingsDep,
    name: Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=100)],
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int | None, Query(alias="pageSize", ge=1)] = None,
    fmt: Annotated[TableFormat | None, Query(alias="format")] = None,
):
    """Parameters are the query's `?_name` variables, given as `?name=value` (see GET /queries for their types
    and defaults). Results are paged (`page`, `pageSize`; RFC 8288 `Link` headers) and capped at IZA_MAX_ROWS."""
    if name not in library:
        raise HTTPException(404, f"unknown query {name!r}; known: {', '.join(sorted(library.queries))}")
    query = library.get(name)
    page_size = page_size or settings.default_page_size
    if page_size > settings.max_page_size:
        raise HTTPException(422, f"pageSize must be at most {settings.max_page_size}")
    params = {k: v for k, v in request.query_params.items() if k not in RESERVED}
    bindings = query.bind(params)  # ParameterError -> 422
    if query.form in ("ASK", "CONSTRUCT", "DESCRIBE"):  # the store's own serialisation, as /sparql answers
        media = (RESULT_CONTENT_TYPE["json"] if query.form == "ASK" else
                 negotiate(request.headers.get("accept"), RDF_MEDIA_TYPES, "text/turtle") or "text/turtle")
        return respond(backend.answer(query.text, media, settings.max_rows, bindings), settings.max_rows)
    result = backend.values(query.text, bindings)
    truncated = len(result.rows) > settings.max_rows or result.capped is not None
    all_rows = plain(query.normalise(result.rows))[: settings.max_rows]
    total = len(all_rows)
    last = max(1, -(-total // page_size))
    data = all_rows[(page - 1) * page_size : page * page_size]
    headers = {"Link": link_header(request, page, last), "X-Total-Count": str(total)}
    if truncated:
        headers["X-Result-Capped"] = result.capped or f"results cut off at {settings.max_rows} rows (IZA_MAX_ROWS)"
    if wants_csv(request, fmt):
        return csv_response(data, result.variables, name, headers)
    body = QueryResultPublic(query=name, parameters=params, variables=result.variables, data=data, page=page,
                             pageSize=page_size, total=total, truncated=truncated)
    return JSONResponse(body.model_dump(mode="json"), headers=headers)
