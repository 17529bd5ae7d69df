"""What the routes ask of the graph, each answer from a named query in queries/.

Region and theme slugs are looked up in query results (never pasted into a query); IRIs found there
are bound as parameters with NamedQuery.bind.
"""

from __future__ import annotations

import contextvars
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from app.backends import Backend
from app.queries import NamedQuery, QueryLibrary

K, T = TypeVar("K"), TypeVar("T")
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
    """A part of a region profile: the first query of `queries` that the library holds answers it. A section
    that is not `embedded` (it can run to thousands of rows) is served at /regions/{slug}/{name} only."""

    name: str
    description: str
    queries: tuple[str, ...]
    embedded: bool = True


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
    Section("key-figures", "Key figures stated for the region itself, its subregions and its plans.", ("region-key-figures",)),
    Section("observations", "Every observation about the region, its subregions, its municipalities and its plans: the key "
            "figures and the series per municipality, indicator and year.", ("region-observations",), embedded=False),
    Section("themes", "Items per comparison theme (editorial mapping).", ("compare-themes",)),
    Section("frameworks", "National framework items the plans answer or address.", ("compare-frameworks",)),
)
SECTION_NAMES = tuple(s.name for s in SECTIONS)
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="iza-gather")  # GraphService.gather; never waits on itself
# Answers of the parameterless lookup queries per backend, with the contents version they were asked under
# (see GraphService.lookup).
_LOOKUPS: "weakref.WeakKeyDictionary[Backend, tuple[object, dict[str, list[dict]]]]" = weakref.WeakKeyDictionary()
_LOOKUPS_LOCK = threading.Lock()


def json_number(value):
    """Decimals as int when whole, else float, so JSON shows numbers (amounts, percentages)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def plain(result_rows: list[dict]) -> list[dict]:
    return [{k: json_number(v) for k, v in row.items()} for row in result_rows]


class GraphService:
    """Runs named queries for one request. Answers are remembered for the request, so a route that needs
    the same rows twice (a profile's plans, its funding) asks the store once."""

    def __init__(self, backend: Backend, library: QueryLibrary):
        self.backend = backend
        self.library = library
        self._answers: dict[tuple, list[dict] | dict[str, list[dict]]] = {}

    # -- running named queries ----------------------------------------------------------------

    def run(self, name: str, **params: str) -> list[dict]:
        query = self.library.get(name)
        return self.run_query(query, params)

    def run_query(self, query: NamedQuery, params: dict[str, str]) -> list[dict]:
        key = (query.name, tuple(sorted(params.items())))
        if key not in self._answers:
            bindings = query.bind(params)
            if query.form == "ASK":
                self._answers[key] = [{"boolean": self.backend.ask(query.text, bindings)}]
            else:
                self._answers[key] = plain(query.normalise(self.backend.values(query.text, bindings).rows))
        return [dict(row) for row in self._answers[key]]

    def run_each(self, name: str, parameter: str, values: Sequence[str], **params: str) -> dict[str, list[dict]]:
        """The rows of a named query for each of several values of one parameter, asked in one query
        (NamedQuery.bind_list). The column naming the value is taken out of the rows, so each value's rows
        are what the query answers for that value alone."""
        query = self.library.get(name)
        key = (query.name, parameter, tuple(map(str, values)), tuple(sorted(params.items())))
        if key not in self._answers:
            text, bindings = query.bind_list(parameter, values, params)
            by_value: dict[str, list[dict]] = {str(value): [] for value in values}
            for row in plain(query.normalise(self.backend.values(text, bindings).rows)):
                by_value.setdefault(str(row.pop(parameter)), []).append(row)
            self._answers[key] = by_value
        return {value: [dict(row) for row in found] for value, found in self._answers[key].items()}

    def rows_per_value(self, query: NamedQuery, parameter: str, values: Sequence[str]) -> dict[str, list[dict]]:
        """Rows of `query` for each value of `parameter`: in one query if it projects the parameter, else one
        query per value."""
        if not values:
            return {}
        if parameter in query.projected:
            return self.run_each(query.name, parameter, values)
        return {value: self.run_query(query, {parameter: value}) for value in values}

    def gather(self, calls: Mapping[K, Callable[[], T]]) -> dict[K, T]:
        """Run independent calls at the same time and return their answers by key (in the order of `calls`).

        The store releases the GIL while it evaluates, and the backend bounds how many queries run at once,
        so a route that needs many different queries (a profile has 17 sections) waits about as long as
        its slowest few instead of their sum. A call that fails raises here."""
        futures = {key: _POOL.submit(contextvars.copy_context().run, call) for key, call in calls.items()}
        return {key: future.result() for key, future in futures.items()}

    def lookup(self, name: str) -> list[dict]:
        """Rows of a parameterless query that routes consult to resolve slugs (regions, themes, frameworks).

        They are kept per backend for as long as its `contents_version` stays the same: for the embedded graph,
        as long as the backend serves it; for a remote server, until the backend lists its graphs again (every
        minute). So a route resolves a slug without asking the store for it each time."""
        version = self.backend.contents_version()
        with _LOOKUPS_LOCK:
            kept = _LOOKUPS.get(self.backend)
            if kept is None or kept[0] != version:
                kept = _LOOKUPS[self.backend] = (version, {})
        known = kept[1]
        if name not in known:
            known[name] = self.run(name)
        return [dict(row) for row in known[name]]

    # -- regions -----------------------------------------------------------------------------

    def regions(self) -> list[dict]:
        return self.lookup("regions")

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
            for area_rows in self.rows_per_value(query, area_param, [region_iri, *plan_iris]).values():
                for row in area_rows:
                    first = merged.setdefault(row["municipality"], dict(row))
                    bases = set(str(first.get("basis") or "").split(", ")) | {str(row.get("basis") or "")}
                    first["basis"] = ", ".join(sorted(b for b in bases if b))
            return query.name, list(merged.values())
        if region_param:
            return query.name, self.rows_per_value(query, region_param, [region_iri])[region_iri]
        if plan_param:
            found = []
            for plan, plan_rows in self.rows_per_value(query, plan_param, plan_iris).items():
                for row in plan_rows:
                    found.append({"plan": plan, **row} if "plan" not in row else row)
            return query.name, found
        return query.name, []

    # -- themes and frameworks ----------------------------------------------------------------

    def themes(self) -> list[dict]:
        return self.lookup("themes")

    def theme(self, slug: str) -> dict:
        themes = self.themes()
        for row in themes:
            if row["slug"] == slug:
                return row
        raise UnknownSlug("theme", slug, [t["slug"] for t in themes])

    def frameworks(self) -> list[dict]:
        return self.lookup("frameworks")

    def framework(self, slug: str) -> dict:
        schemes = self.frameworks()
        for row in schemes:
            if row["slug"] == slug:
                return row
        raise UnknownSlug("framework", slug, [s["slug"] for s in schemes])
