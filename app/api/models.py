"""Public response models: what the JSON answers look like (and what /docs documents)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

Row = dict[str, Any]


class RegionCounts(BaseModel):
    plans: int = 0
    municipalities: int = 0
    partners: int = 0
    transformations: int = 0
    kpis: int = 0
    fundingStatements: int = Field(0, description="Allocations and budgets of the region or its plans.")


class FundingAmount(BaseModel):
    item: str
    kind: str = Field(description="allocation or budget")
    label: str | None = None
    stream: str | None = None
    streamLabel: str | None = None
    amount: float | None = Field(None, description="EUR, the number the document states")
    figureKind: str | None = Field(None, description="what kind of figure the amount is: exact, maximaal, ten-minste, meer-dan, ongeveer or bereik")
    timeBasis: str | None = Field(None, description="per-jaar (per year) or totaal-over-periode (total over startDate-endDate)")
    minAmount: float | None = Field(None, description="lower end, for a range (figureKind bereik)")
    maxAmount: float | None = Field(None, description="upper end, for a range (figureKind bereik)")
    startDate: str | None = None
    endDate: str | None = None
    sourceQuote: str | None = None


class RegionPublic(BaseModel):
    iri: str
    slug: str
    label: str | None = None
    cbsCode: str | None = None
    status: str | None = None
    modelled: bool = Field(description="True if the graph holds at least one plan of the region.")
    counts: RegionCounts
    funding: list[FundingAmount] = Field(default_factory=list, description="Allocations and budgets the region states.")


class RegionsPublic(BaseModel):
    data: list[RegionPublic]
    count: int


class RegionProfile(BaseModel):
    region: RegionPublic
    sections: dict[str, list[Row]] = Field(
        description="One list of rows per section (plans, municipalities, partners, challenges, transformations, "
        "priority-tasks, preconditions, funding, kpis, governance, key-figures, ...); empty if the graph has nothing. "
        "key-figures holds the figures stated for the region, its subregions and its plans; the series per "
        "municipality are in the observations section (see elsewhere).")
    queries: dict[str, str | None] = Field(description="The named query (GET /queries/{name}) behind each section; "
                                            "null if no query for it is in the library yet.")
    elsewhere: dict[str, str] = Field(default_factory=dict, description="Sections the profile does not embed (they can run to "
                                      "thousands of rows), with the path that serves each: observations.")


class SectionPublic(BaseModel):
    region: str
    section: str
    query: str | None
    data: list[Row]
    count: int


class ThemePublic(BaseModel):
    iri: str
    slug: str
    notation: str | None = None
    label: str | None = None
    labelEn: str | None = None
    definition: str | None = None
    regions: int
    items: int


class ThemesPublic(BaseModel):
    data: list[ThemePublic]
    count: int
    note: str = "The comparison themes and the mapping of plan items onto them are the iza-kg project's editorial judgement."


class ThemeItem(BaseModel):
    item: str
    label: str | None = None
    type: str | None = None
    sourceQuote: str | None = None


class ThemeRegion(BaseModel):
    slug: str
    label: str | None = None
    items: list[ThemeItem]


class ThemeDetail(BaseModel):
    theme: ThemePublic
    regions: list[ThemeRegion]


class FrameworkPublic(BaseModel):
    iri: str
    slug: str
    label: str | None = None
    labelEn: str | None = None
    concepts: int


class FrameworksPublic(BaseModel):
    data: list[FrameworkPublic]
    count: int


class FrameworkItem(BaseModel):
    iri: str
    notation: str | None = None
    label: str | None = None
    labelEn: str | None = None
    regions: dict[str, int] = Field(description="region slug -> number of its plan items that answer or address this item")


class FrameworkDetail(BaseModel):
    framework: FrameworkPublic
    items: list[FrameworkItem]


class Named(BaseModel):
    key: str = Field(description="The value to filter by: a region's slug, a type's or a document's IRI")
    iri: str
    label: str


class SourcePassage(BaseModel):
    document: str = Field(description="The source document's IRI")
    anchor: str = Field(description="The sentence's anchor in the document's page (s-<n>, as in its coverage)")
    line: int = Field(description="The line of sources/documents/<file> the sentence starts on")
    path: str = Field(description="The passage in this app: /sources/{document}#{anchor}")


class SearchHit(BaseModel):
    resource: str = Field(description="The IRI of the resource that matched")
    label: str | None
    type: Named | None
    region: Named | None = Field(description="The region the resource belongs to (the first, if several); none for "
                                 "national and reference resources")
    regions: list[Named]
    document: Named | None = Field(description="The source document the resource is derived from (the first, if several)")
    documents: list[Named]
    snippet: str = Field(description="The matching text, HTML-escaped, the matched words in <mark>...</mark>")
    text: str = Field(description="The same snippet as plain text")
    score: float = Field(description="BM25 relevance; higher is better")
    passages: list[SourcePassage] = Field(description="Where the resource's quotes stand in its source documents, "
                                          "in document and text order")
    links: dict[str, str] = Field(description="page: the resource's page in this app; document: the source document's "
                                  "IRI; passage: the first passage, highlighted in the document's page")


class FacetValue(Named):
    count: int


class SearchPublic(BaseModel):
    q: str
    page: int
    pageSize: int
    total: int
    data: list[SearchHit]
    facets: dict[str, list[FacetValue]] = Field(description="region, type, document: how many hits each value has "
                                                "(under the other filters)")
    filters: dict[str, list[str]]


class SearchIndexPublic(BaseModel):
    backend: str
    resources: int = Field(description="Resources in the index (each with its labels, descriptions and quotes)")
    memory_bytes: int
    built_at: str
    build_seconds: float = Field(description="Seconds it took to build the index, or to open its saved copy")
    saved_file: str | None = Field(None, description="Where the index is saved for the next start (IZA_SEARCH_CACHE_DIR); "
                                   "null: not saved (a remote graph's index, or saving switched off)")
    opened_from_saved: bool = Field(False, description="The index was opened from `saved_file` instead of built")


class RegionRef(BaseModel):
    slug: str
    iri: str
    label: str | None = None


class ThemeRow(BaseModel):
    theme: str
    notation: str | None = None
    label: str | None = None
    regions: dict[str, list[ThemeItem]] = Field(description="region slug -> the region's own items under this theme")


class FundingRow(BaseModel):
    stream: str | None = Field(None, description="funding stream IRI; null for amounts the document ties to no stream")
    streamLabel: str | None = None
    regions: dict[str, list[FundingAmount]]


class KpiSummary(BaseModel):
    kpis: int
    targets: int
    items: list[Row]


class PartnerRow(BaseModel):
    organisation: str
    label: str | None = None
    regions: dict[str, list[str]] = Field(description="region slug -> roles (role labels; 'partner' without a stated role)")


class GovernanceSummary(BaseModel):
    bodies: int
    items: list[Row]


class FrameworkRow(BaseModel):
    concept: str
    scheme: str
    notation: str | None = None
    label: str | None = None
    regions: dict[str, list[str]] = Field(description="region slug -> its items that answer or address the concept")


class Comparison(BaseModel):
    regions: list[RegionRef]
    aspects: list[str]
    themes: list[ThemeRow] | None = None
    funding: list[FundingRow] | None = None
    kpis: dict[str, KpiSummary] | None = None
    partners: list[PartnerRow] | None = None
    governance: dict[str, GovernanceSummary] | None = None
    frameworks: list[FrameworkRow] | None = None


class QueryParameter(BaseModel):
    name: str
    variable: str
    type: str
    default: str | None = None
    required: bool


class QueryInfo(BaseModel):
    name: str
    summary: str
    description: str
    tags: list[str]
    form: str
    parameters: list[QueryParameter]
    example: str
    url: str


class QueriesPublic(BaseModel):
    data: list[QueryInfo]
    count: int
    unreadable: dict[str, str] = Field(default_factory=dict, description=".rq files whose header could not be read")


class QueryResultPublic(BaseModel):
    query: str
    parameters: dict[str, str]
    variables: list[str]
    data: list[Row]
    page: int
    pageSize: int
    total: int
    truncated: bool = Field(description="True if the query returned more rows than the result cap (IZA_MAX_ROWS).")


class ErrorPublic(BaseModel):
    detail: str
