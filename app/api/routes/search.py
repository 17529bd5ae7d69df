"""GET /search?q=: labels in nl and en."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.api.deps import BackendDep, LibraryDep
from app.api.models import SearchHit, SearchPublic
from app.api.service import GraphService
from app.api.tabular import TableFormat, csv_response, wants_csv

router = APIRouter(prefix="/search", tags=["search"])


@router.get("", response_model=SearchPublic, summary="Search labels (nl and en)", responses={200: {"content": {"text/csv": {}}}})
def search(request: Request, backend: BackendDep, library: LibraryDep,
           q: Annotated[str, Query(min_length=2, max_length=100, description="Text the label contains (case-insensitive)")],
           lang: Annotated[str | None, Query(pattern="^(nl|en)$", description="Only labels in this language")] = None,
           fmt: Annotated[TableFormat | None, Query(alias="format")] = None):
    """Resources whose rdfs:label, skos:prefLabel or skos:altLabel contains `q`; at most 200, shortest first.
    The text is bound as a literal parameter of the `search-labels` query."""
    rows = GraphService(backend, library).run("search-labels", q=q)
    if lang:
        rows = [r for r in rows if r["lang"] == lang]
    if wants_csv(request, fmt):
        return csv_response(rows, ["resource", "label", "lang", "type"], "search")
    return SearchPublic(q=q, data=[SearchHit(**r) for r in rows], count=len(rows))
