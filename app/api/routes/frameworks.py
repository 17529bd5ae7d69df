"""GET /frameworks and /frameworks/{slug}: the national frameworks and which regions address each item."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from app.api.deps import BackendDep, LibraryDep
from app.api.models import FrameworkDetail, FrameworkItem, FrameworkPublic, FrameworksPublic
from app.api.service import GraphService
from app.api.tabular import TableFormat, csv_response, wants_csv

router = APIRouter(prefix="/frameworks", tags=["frameworks"])
FormatQuery = Annotated[TableFormat | None, Query(alias="format", description="json or csv (else by Accept)")]


def framework_public(row: dict) -> FrameworkPublic:
    return FrameworkPublic(iri=row["scheme"], slug=row["slug"], label=row.get("label"), labelEn=row.get("labelEn"),
                           concepts=row["concepts"])


@router.get("", response_model=FrameworksPublic, summary="The national frameworks and vocabularies",
            responses={200: {"content": {"text/csv": {}}}})
def list_frameworks(request: Request, backend: BackendDep, library: LibraryDep, fmt: FormatQuery = None):
    """Concept schemes: IZA criteria (`iza-criteria`), VNG tasks (`vng-werkagenda`), ketenaanpakken, GALA goals
    (`gala-doelen`), WOZO, passende zorg, and the project's vocabularies. Query: `frameworks`."""
    rows = GraphService(backend, library).frameworks()
    if wants_csv(request, fmt):
        return csv_response(rows, ["slug", "label", "labelEn", "concepts", "scheme"], "frameworks")
    return FrameworksPublic(data=[framework_public(r) for r in rows], count=len(rows))


@router.get("/{slug}", response_model=FrameworkDetail, summary="A framework's items and the regions that address each",
            responses={200: {"content": {"text/csv": {}}}})
def framework_detail(request: Request, backend: BackendDep, library: LibraryDep,
                     slug: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=100)], fmt: FormatQuery = None):
    """Each item of the scheme with, per region, how many of its plan items answer (IZA criteria) or address it.
    Query: `framework-coverage`."""
    service = GraphService(backend, library)
    scheme = service.framework(slug)
    rows = service.run("framework-coverage", scheme=scheme["scheme"])
    if wants_csv(request, fmt):
        return csv_response(rows, ["concept", "notation", "label", "labelEn", "regionSlug", "items"], f"framework-{slug}")
    items: dict[str, FrameworkItem] = {}
    for r in rows:
        item = items.setdefault(r["concept"], FrameworkItem(iri=r["concept"], notation=r.get("notation"), label=r.get("label"),
                                                           labelEn=r.get("labelEn"), regions={}))
        if r.get("regionSlug"):
            item.regions[r["regionSlug"]] = r["items"]
    return FrameworkDetail(framework=framework_public(scheme), items=list(items.values()))
