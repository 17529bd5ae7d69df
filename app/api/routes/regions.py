"""GET /regions, /regions/{slug} (a profile) and /regions/{slug}/{section}."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from app.api.deps import BackendDep, LibraryDep
from app.api.models import FundingAmount, RegionCounts, RegionProfile, RegionPublic, RegionsPublic, SectionPublic
from app.api.service import SECTIONS, GraphService
from app.api.tabular import TableFormat, csv_response, wants_csv

router = APIRouter(prefix="/regions", tags=["regions"])

SectionName = Enum("SectionName", {s.name.replace("-", "_"): s.name for s in SECTIONS}, type=str)
SECTION_BY_NAME = {s.name: s for s in SECTIONS}
SlugPath = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=100, description="A region slug, e.g. midden-nederland")]
FormatQuery = Annotated[TableFormat | None, Query(alias="format", description="json or csv (else by Accept)")]
REGION_COLUMNS = ["slug", "label", "cbsCode", "status", "plans", "municipalities", "partners", "transformations",
                  "kpis", "fundingStatements", "iri"]


def funding_of(service: GraphService, rows: list[dict]) -> dict[str, list[FundingAmount]]:
    """The allocations and budgets (not their lines) each modelled region of `rows` states, by region IRI;
    one query for all of them (the rows of the profile's funding section)."""
    modelled = [row["region"] for row in rows if row.get("plans")]
    if not modelled:
        return {}
    return {
        iri: [FundingAmount(label=r.get("itemLabel"), **{k: v for k, v in r.items() if k in FundingAmount.model_fields})
              for r in found if r["kind"] in ("allocation", "budget")]
        for iri, found in service.run_each("compare-funding", "region", modelled).items()
    }


def plans_of(service: GraphService, region_iri: str) -> list[str]:
    return [p["plan"] for p in service.run("region-plans", region=region_iri)]


def region_public(row: dict, funding: dict[str, list[FundingAmount]]) -> RegionPublic:
    counts = RegionCounts(**{k: row.get(k) or 0 for k in RegionCounts.model_fields})
    modelled = counts.plans > 0
    return RegionPublic(
        iri=row["region"], slug=row["slug"], label=row.get("label"), cbsCode=row.get("cbsCode"),
        status=row.get("status"), modelled=modelled, counts=counts,
        funding=funding.get(row["region"], []) if modelled else [],
    )


@router.get("", response_model=RegionsPublic, summary="Regions with counts and the funding they state",
            responses={200: {"content": {"text/csv": {}}}})
def list_regions(
    request: Request, backend: BackendDep, library: LibraryDep, fmt: FormatQuery = None,
    all: Annotated[bool, Query(description="Include the zorgkantoorregio's whose plans are not modelled yet")] = False,
):
    """The regions whose plans the graph models (all 31 zorgkantoorregio's with `all=true`), each with counts
    of plans, municipalities, partners, transformations and KPIs, and the allocations and budgets it states.
    Queries: `regions` and `compare-funding` (once, for all the regions listed)."""
    service = GraphService(backend, library)
    rows = [row for row in service.regions() if all or row["plans"]]
    if wants_csv(request, fmt):
        data = [{**row, "iri": row["region"]} for row in rows]
        return csv_response(data, REGION_COLUMNS, "regions")
    funding = funding_of(service, rows)
    data = [region_public(row, funding) for row in rows]
    return RegionsPublic(data=data, count=len(data))


@router.get("/{slug}", response_model=RegionProfile, summary="A region's profile")
def region_profile(slug: SlugPath, backend: BackendDep, library: LibraryDep):
    """Plans, municipalities, partners by role, challenges, transformations with solution directions, priority
    tasks, preconditions, funding, KPIs, governance, key figures and more, each from a named query
    (see `queries`). Sections the graph has nothing for are empty lists. The observations of the region's
    municipalities (a series per municipality, indicator and year) are not embedded: `elsewhere` links the
    sections served on their own. Unknown slug: 404 with the known slugs."""
    service = GraphService(backend, library)
    row = service.region(slug)
    plans = plans_of(service, row["region"])
    embedded = [section for section in SECTIONS if section.embedded]
    found = service.gather({section.name: (lambda section=section: service.section(section, row["region"], plans))
                            for section in embedded})
    queries = {name: query for name, (query, _) in found.items()}
    sections = {name: rows for name, (_, rows) in found.items()}
    elsewhere = {s.name: f"/regions/{slug}/{s.name}" for s in SECTIONS if not s.embedded}
    return RegionProfile(region=region_public(row, funding_of(service, [row])), sections=sections, queries=queries,
                         elsewhere=elsewhere)


@router.get("/{slug}/compliance", summary="A region's column of the IZA compliance matrix")
def region_compliance(request: Request, slug: SlugPath, backend: BackendDep, library: LibraryDep) -> dict:
    """Which IZA criteria the region's plans meet, miss or leave open (SHACL shapes in shapes/). Declared before
    the section route so that `compliance` is not read as a section name."""
    from app.api.routes.validate import region_compliance as compliance

    return compliance(request, backend, library, slug)


@router.get("/{slug}/{section}", response_model=SectionPublic, summary="One section of a region's profile",
            responses={200: {"content": {"text/csv": {}}}})
def region_section(request: Request, slug: SlugPath, section: SectionName, backend: BackendDep, library: LibraryDep,
                   fmt: FormatQuery = None):
    """One section of the profile as a table (JSON or CSV). Unknown section: 422; unknown region: 404."""
    service = GraphService(backend, library)
    row = service.region(slug)
    plans = plans_of(service, row["region"])
    spec = SECTION_BY_NAME[section.value]
    query, data = service.section(spec, row["region"], plans)
    if wants_csv(request, fmt):
        columns = list(dict.fromkeys(k for r in data for k in r))
        if query and not columns:
            named = library.get(query)
            # a projected parameter (the region a row answers for) is taken out of the rows
            columns = (["plan"] if "plan" in named.parameters else []) + [c for c in named.projected if c not in named.parameters]
        return csv_response(data, columns, f"{slug}-{section.value}")
    return SectionPublic(region=slug, section=section.value, query=query, data=data, count=len(data))

