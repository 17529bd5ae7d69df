"""GET /compare?regions=a,b,c&aspects=...: the regions side by side."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from app.api.deps import BackendDep, LibraryDep
from app.api.models import (Comparison, FrameworkRow, FundingAmount, FundingRow, GovernanceSummary, KpiSummary, PartnerRow,
                            RegionRef, ThemeItem, ThemeRow)
from app.api.service import GraphService, UnknownSlug
from app.api.tabular import TableFormat, csv_response, wants_csv

router = APIRouter(prefix="/compare", tags=["compare"])


class Aspect(str, Enum):
    themes = "themes"
    funding = "funding"
    kpis = "kpis"
    partners = "partners"
    governance = "governance"
    frameworks = "frameworks"


ASPECT_QUERY = {a: f"compare-{a.value}" for a in Aspect}
CSV_COLUMNS = {
    Aspect.themes: ["theme", "themeNotation", "themeLabel", "region", "item", "itemLabel", "itemType", "sourceQuote"],
    Aspect.funding: ["stream", "streamLabel", "region", "item", "kind", "itemLabel", "amount", "figureKind", "timeBasis",
                     "minAmount", "maxAmount", "startDate", "endDate", "sourceQuote"],
    Aspect.kpis: ["region", "kpi", "label", "measures", "target", "value", "figureKind", "minValue", "maxValue", "unit", "targetDate", "targetScope", "sourceQuote"],
    Aspect.partners: ["organisation", "organisationLabel", "region", "role", "roleLabel"],
    Aspect.governance: ["region", "body", "label", "type", "members", "decisionRule", "meetingFrequency", "sourceQuote"],
    Aspect.frameworks: ["scheme", "schemeLabel", "concept", "notation", "conceptLabel", "region", "relation", "item", "itemLabel", "sourceQuote"],
}
SLUG = r"^[a-z0-9][a-z0-9-]*$"


def parse_list(value: str, what: str) -> list[str]:
    items = [v.strip() for v in value.split(",") if v.strip()]
    if not items:
        raise HTTPException(422, f"{what} must be a comma-separated list")
    return list(dict.fromkeys(items))


@router.get("", response_model=Comparison, response_model_exclude_none=True, summary="Compare regions side by side",
            responses={200: {"content": {"text/csv": {}}}})
def compare(
    request: Request, backend: BackendDep, library: LibraryDep,
    regions: Annotated[str, Query(description="Comma-separated region slugs (2 or more)", max_length=1000,
                                  examples=["gooi-en-vechtstreek,midden-nederland,noord-en-midden-limburg"])],
    aspects: Annotated[str | None, Query(description="Comma-separated aspects: themes, funding, kpis, partners, "
                                         "governance, frameworks (default: all; for CSV exactly one)")] = None,
    fmt: Annotated[TableFormat | None, Query(alias="format", description="json or csv (else by Accept)")] = None,
):
    """Theme x region with each region's own items and their source excerpts; funding stream x region with
    amounts; KPI counts and targets; partner organisation x region with roles; governance bodies; national
    framework items x region. CSV gives one aspect as a long table (one row per region and item). Each aspect
    is one named query (`compare-{aspect}`) asked for all the chosen regions at once."""
    import re

    slugs = parse_list(regions, "regions")
    bad = [s for s in slugs if not re.match(SLUG, s)]
    if bad or len(slugs) < 2:
        raise HTTPException(422, f"regions must name at least two region slugs, comma-separated; got {regions!r}")
    try:
        chosen = [Aspect(a) for a in parse_list(aspects, "aspects")] if aspects else list(Aspect)
    except ValueError:
        raise HTTPException(422, f"aspects must be among {', '.join(a.value for a in Aspect)}; got {aspects!r}") from None
    service = GraphService(backend, library)
    all_regions = service.regions()
    by_slug = {r["slug"]: r for r in all_regions}
    unknown = [s for s in slugs if s not in by_slug]
    if unknown:
        raise UnknownSlug("region", ",".join(unknown), sorted(by_slug))
    refs = [RegionRef(slug=s, iri=by_slug[s]["region"], label=by_slug[s].get("label")) for s in slugs]
    iris = [ref.iri for ref in refs]
    answers = service.gather({aspect: (lambda aspect=aspect: service.run_each(ASPECT_QUERY[aspect], "region", iris))
                              for aspect in chosen})  # one query per aspect, for all the regions at once
    rows = {aspect: {ref.slug: by_iri[ref.iri] for ref in refs} for aspect, by_iri in answers.items()}

    if wants_csv(request, fmt):
        if len(chosen) != 1:
            raise HTTPException(422, "CSV holds one aspect: add aspects=themes (or funding, kpis, partners, governance, frameworks)")
        aspect = chosen[0]
        long = [{"region": slug, **row} for slug, region_rows in rows[aspect].items() for row in region_rows]
        return csv_response(long, CSV_COLUMNS[aspect], f"compare-{aspect.value}")

    result = Comparison(regions=refs, aspects=[a.value for a in chosen])
    if Aspect.themes in rows:
        result.themes = themes_table(rows[Aspect.themes], slugs)
    if Aspect.funding in rows:
        result.funding = funding_table(rows[Aspect.funding], slugs)
    if Aspect.kpis in rows:
        result.kpis = {slug: KpiSummary(kpis=len({r["kpi"] for r in rs}), targets=len({r["target"] for r in rs if r.get("target")}),
                                        items=rs) for slug, rs in rows[Aspect.kpis].items()}
    if Aspect.partners in rows:
        result.partners = partners_table(rows[Aspect.partners], slugs)
    if Aspect.governance in rows:
        result.governance = {slug: GovernanceSummary(bodies=len(rs), items=rs) for slug, rs in rows[Aspect.governance].items()}
    if Aspect.frameworks in rows:
        result.frameworks = frameworks_table(rows[Aspect.frameworks], slugs)
    return result


def themes_table(rows: dict[str, list[dict]], slugs: list[str]) -> list[ThemeRow]:
    table: dict[str, ThemeRow] = {}
    for slug in slugs:
        for r in rows[slug]:
            row = table.setdefault(r["theme"], ThemeRow(theme=r["theme"], notation=r.get("themeNotation"),
                                                        label=r.get("themeLabel"), regions={s: [] for s in slugs}))
            row.regions[slug].append(ThemeItem(item=r["item"], label=r.get("itemLabel"), type=r.get("itemType"),
                                               sourceQuote=r.get("sourceQuote")))
    return sorted(table.values(), key=lambda t: (t.notation or "", t.theme))


def funding_table(rows: dict[str, list[dict]], slugs: list[str]) -> list[FundingRow]:
    table: dict[str | None, FundingRow] = {}
    for slug in slugs:
        for r in rows[slug]:
            row = table.setdefault(r.get("stream"), FundingRow(stream=r.get("stream"), streamLabel=r.get("streamLabel"),
                                                               regions={s: [] for s in slugs}))
            row.regions[slug].append(FundingAmount(label=r.get("itemLabel"),
                                                   **{k: v for k, v in r.items() if k in FundingAmount.model_fields}))
    return sorted(table.values(), key=lambda f: (f.stream is None, f.streamLabel or "", f.stream or ""))


def partners_table(rows: dict[str, list[dict]], slugs: list[str]) -> list[PartnerRow]:
    table: dict[str, PartnerRow] = {}
    for slug in slugs:
        for r in rows[slug]:
            row = table.setdefault(r["organisation"], PartnerRow(organisation=r["organisation"], label=r.get("organisationLabel"),
                                                                 regions={s: [] for s in slugs}))
            role = r.get("roleLabel") or r.get("role") or "partner"
            if role not in row.regions[slug]:
                row.regions[slug].append(role)
    shared_first = lambda p: (-sum(1 for v in p.regions.values() if v), (p.label or "").lower(), p.organisation)  # noqa: E731
    return sorted(table.values(), key=shared_first)


def frameworks_table(rows: dict[str, list[dict]], slugs: list[str]) -> list[FrameworkRow]:
    table: dict[str, FrameworkRow] = {}
    for slug in slugs:
        for r in rows[slug]:
            row = table.setdefault(r["concept"], FrameworkRow(concept=r["concept"], scheme=r["scheme"], notation=r.get("notation"),
                                                              label=r.get("conceptLabel"), regions={s: [] for s in slugs}))
            if r["item"] not in row.regions[slug]:
                row.regions[slug].append(r["item"])
    return sorted(table.values(), key=lambda f: (f.scheme, f.notation or "", f.concept))
