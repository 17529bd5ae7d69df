"""What the routes ask of the graph, each answer from a named query in queries/.

Region and theme slugs are looked up in query results (never pasted into a query); IRIs found there
are bound as parameters with NamedQuery.bind.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.backends import Backend
from app.queries import NamedQuery, QueryLibrary
from app.results import rows as plain_rows

REGION_PARAMETERS = ("region", "regio")
PLAN_PARAMETERS = ("plan",)
AREA_PARAMETERS = ("area",)  # a region or a plan: asked for the region and for each of its plans


class UnknownSlug(LookupError):
    """A region, theme or framework slug that the graph does not know."""

    def __init__(self, kind: str, slug: str, known: list[str]):
        self.kind, self.slug, self.known = kind, slug, known
        super().__init__(f"unknown {kind} {slug!r}")


@dataclass(frozen=True)
class Section:
    """A part of a region profile: the first query of `queries` that the library holds answers it."""

    name: str
    description: str
    queries: tuple[str, ...]


SECTIONS = (
    Section("plans", "The plans made for the region.", ("region-plans",)),
    Section("municipalities", "Municipalities in the plans' scope or of the region.", ("region-municipalities",)),
    Section("subregions", "Subregions of the region.", ("region-subregions",)),
    Section("partners", "Partner organisations by role.", ("region-partners-by-role", "compare-partners")),
    Section("challenges", "Regional challenges the plans name.", ("plan-challenges",)),
    Section("transformations", "Transformations with their solution directions.", ("plan-transformations",)),
    Section("priority-tasks", "Priority tasks (opgaven) and their steps.", ("plan-priority-tasks",)),
    Section("fundamental-tasks", "Fundamental tasks (fundamenten).", ("plan-fundamental-tasks",)),
    Section("preconditions", "Preconditions with their scale level.", ("region-preconditions",)),
    Section("funding", "Allocations, budgets and budget lines with amounts.", ("compare-funding",)),
    Section("budget-lines", "Budget lines of the plans.", ("plan-budget-lines",)),
    Section("kpis", "KPIs with their targets.", ("plan-kpis", "compare-kpis")),
    Section("governance", "Governance bodies and working groups.", ("region-governance", "compare-governance")),
    Section("decisions", "Decisions on the plans.", ("plan-decisions",)),
    Section("key-figures", "Key figures (observations) about the region.", ("region-observations",)),
    Section("themes", "Items per comparison theme (editorial mapping).", ("compare-themes",)),
    Section("frameworks", "National framework items the plans answer or address.", ("compare-frameworks",)),
)
SECTION_NAMES = tuple(s.name for s in SECTIONS)


def json_number(value):
    """Decimals as int when whole, else float, so JSON shows numbers (amounts, percentages)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def plain(result_rows: list[dict]) -> list[dict]:
    return [{k: json_number(v) for k, v in row.items()} for row in result_rows]


class GraphService:
    def __init__(self, backend: Backend, library: QueryLibrary):
        self.backend = backend
        self.library = library

    # -- running named queries ----------------------------------------------------------------

    def run(self, name: str, **params: str) -> list[dict]:
        query = self.library.get(name)
        return self.run_query(query, params)

    def run_query(self, query: NamedQuery, params: dict[str, str]) -> list[dict]:
        bindings = query.bind(params)
        if query.form == "ASK":
            return [{"boolean": self.backend.ask(query.text, bindings)}]
        return plain(plain_rows(self.backend.select(query.text, bindings)))

    # -- regions -----------------------------------------------------------------------------

    def regions(self) -> list[dict]:
        return self.run("regions")

    def region(self, slug: str) -> dict:
        regions = self.regions()
        for row in regions:
            if row["slug"] == slug:
                return row
        raise UnknownSlug("region", slug, sorted(r["slug"] for r in regions))

    def section_query(self, section: Section) -> NamedQuery | None:
        for name in section.queries:
            if name in self.library:
                return self.library.get(name)
        return None

    def section(self, section: Section, region_iri: str, plan_iris: list[str]) -> tuple[str | None, list[dict]]:
        """Rows of one profile section; (None, []) if no query for it is in the library yet."""
        query = self.section_query(section)
        if query is None:
            return None, []
        region_param = next((p for p in REGION_PARAMETERS if p in query.parameters), None)
        plan_param = next((p for p in PLAN_PARAMETERS if p in query.parameters), None)
        area_param = next((p for p in AREA_PARAMETERS if p in query.parameters), None)
        if area_param:  # one row per municipality, with every way its membership is stated
            merged: dict[str, dict] = {}
            for area in [region_iri, *plan_iris]:
                for row in self.run_query(query, {area_param: area}):
                    first = merged.setdefault(row["municipality"], dict(row))
                    bases = set(str(first.get("basis") or "").split(", ")) | {str(row.get("basis") or "")}
                    first["basis"] = ", ".join(sorted(b for b in bases if b))
            return query.name, list(merged.values())
        if region_param:
            return query.name, self.run_query(query, {region_param: region_iri})
        if plan_param:
            found = []
            for plan in plan_iris:
                for row in self.run_query(query, {plan_param: plan}):
                    found.append({"plan": plan, **row} if "plan" not in row else row)
            return query.name, found
        return query.name, []

    # -- themes and frameworks ----------------------------------------------------------------

    def themes(self) -> list[dict]:
        return self.run("themes")

    def theme(self, slug: str) -> dict:
        themes = self.themes()
        for row in themes:
            if row["slug"] == slug:
                return row
        raise UnknownSlug("theme", slug, [t["slug"] for t in themes])

    def frameworks(self) -> list[dict]:
        return self.run("frameworks")

    def framework(self, slug: str) -> dict:
        schemes = self.frameworks()
        for row in schemes:
            if row["slug"] == slug:
                return row
        raise UnknownSlug("framework", slug, [s["slug"] for s in schemes])
