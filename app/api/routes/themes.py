"""GET /themes and /themes/{slug}: which regions address a comparison theme, and with what."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from app.api.deps import BackendDep, LibraryDep
from app.api.models import ThemeDetail, ThemeItem, ThemePublic, ThemeRegion, ThemesPublic
from app.api.service import GraphService
from app.api.tabular import TableFormat, csv_response, wants_csv

router = APIRouter(prefix="/themes", tags=["themes"])
FormatQuery = Annotated[TableFormat | None, Query(alias="format", description="json or csv (else by Accept)")]


def theme_public(row: dict) -> ThemePublic:
    return ThemePublic(iri=row["theme"], **{k: row.get(k) for k in ThemePublic.model_fields if k != "iri"})


@router.get("", response_model=ThemesPublic, summary="The comparison themes", responses={200: {"content": {"text/csv": {}}}})
def list_themes(request: Request, backend: BackendDep, library: LibraryDep, fmt: FormatQuery = None):
    """The project's comparison themes with how many regions and items fall under each. Query: `themes`."""
    rows = GraphService(backend, library).themes()
    if wants_csv(request, fmt):
        return csv_response(rows, ["slug", "notation", "label", "labelEn", "regions", "items", "theme"], "themes")
    return ThemesPublic(data=[theme_public(r) for r in rows], count=len(rows))


@router.get("/{slug}", response_model=ThemeDetail, summary="Which regions address a theme, and with what",
            responses={200: {"content": {"text/csv": {}}}})
def theme_detail(request: Request, backend: BackendDep, library: LibraryDep,
                 slug: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=100)], fmt: FormatQuery = None):
    """Each region whose plan items the project maps onto the theme, with those items and a source quote.
    Unknown slug: 404 with the known slugs. Query: `theme-items`."""
    service = GraphService(backend, library)
    theme = service.theme(slug)
    rows = service.run("theme-items", theme=theme["theme"])
    if wants_csv(request, fmt):
        return csv_response(rows, ["regionSlug", "regionLabel", "item", "itemLabel", "itemType", "sourceQuote", "region"], f"theme-{slug}")
    regions: dict[str, ThemeRegion] = {}
    for r in rows:
        region = regions.setdefault(r["regionSlug"], ThemeRegion(slug=r["regionSlug"], label=r.get("regionLabel"), items=[]))
        region.items.append(ThemeItem(item=r["item"], label=r.get("itemLabel"), type=r.get("itemType"), sourceQuote=r.get("sourceQuote")))
    return ThemeDetail(theme=theme_public(theme), regions=list(regions.values()))
