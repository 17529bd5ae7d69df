"""What the pages show, assembled from the named queries of queries/ (no SPARQL here).

Each function takes a `Runner` (a backend plus the query library) and a language, and returns plain
dataclasses and dicts for the templates, with labels already in the page's language.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal


from app.backends import Backend
from app.namespaces import BASE, IZA, id_iri
from app.queries import QueryLibrary

QUOTE_SEPARATOR = " | "  # as the page queries write it
REGION_KIND = "regio"


class Runner:
    """Runs named queries with parameters. On the embedded store the graph cannot change while the
    app runs, so answers are memoised per (query, parameters); a remote server is always asked."""

    def __init__(self, backend: Backend, library: QueryLibrary, memoise: bool | None = None):
        self.backend, self.library = backend, library
        self.memoise = backend.name == "embedded" if memoise is None else memoise
        self._memo: dict[tuple, list[dict]] = {}
        self._lock = threading.Lock()

    def has(self, name: str) -> bool:
        return name in self.library

    def __call__(self, name: str, **params: str) -> list[dict]:
        key = (name, tuple(sorted(params.items())))
        if self.memoise and key in self._memo:
            return self._memo[key]
        query = self.library.get(name)
        result = query.rows(self.backend.select(query.text, query.bind(params)))
        if self.memoise:
            with self._lock:
                self._memo[key] = result
        return result


def pick(row: dict, stem: str, lang: str) -> str:
    """The label in the page's language, falling back to the other one and then to ''."""
    first, second = (f"{stem}En", f"{stem}Nl") if lang == "en" else (f"{stem}Nl", f"{stem}En")
    return row.get(first) or row.get(second) or ""


def local_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def local_path(iri: str | None) -> str | None:
    """The app's own path for one of the project's IRIs (served by the linked-data routes)."""
    if iri and iri.startswith(BASE):
        return "/" + iri[len(BASE):]
    return None


def region_iri(slug: str) -> str:
    return id_iri(REGION_KIND, slug)


def split_quotes(value: str | None) -> list[str]:
    return [q for q in (value or "").split(QUOTE_SEPARATOR) if q]


def sort_key(item: "Item"):
    order = item.order if isinstance(item.order, (int, float, Decimal)) else float("inf")
    return (order, item.notation or "", item.label)


# ---------------------------------------------------------------------------------------------- home


@dataclass
class RegionSummary:
    iri: str
    slug: str
    label: str
    cbs_code: str
    status: str
    modelled: bool
    counts: dict[str, int]
    alt_labels: list[str] = field(default_factory=list)


def regions(run: Runner, lang: str) -> list[RegionSummary]:
    """All care office regions, modelled ones first (each group by CBS code)."""
    result = []
    for row in run("page-regions"):
        counts = {k: row.get(k) or 0 for k in ("plans", "municipalities", "partners", "transformations", "kpis", "allocations")}
        result.append(RegionSummary(
            iri=row["region"], slug=local_name(row["region"]), label=pick(row, "label", lang),
            cbs_code=row["cbsCode"], status=pick(row, "status", lang), modelled=counts["plans"] > 0, counts=counts,
            alt_labels=sorted({a for a in (row.get("altLabels") or "").split("|") if a} - {pick(row, "label", lang)})))
    result.sort(key=lambda r: (not r.modelled, r.cbs_code))
    return result


# ------------------------------------------------------------------------------------------- profile

SECTIONS = (  # (section key, relations whose items it shows); the order of the page
    ("challenges", ("hasChallenge",)),
    ("principles", ("hasPrinciple",)),
    ("transformations", ("hasTransformation",)),
    ("fundamental_tasks", ("hasFundamentalTask",)),
    ("themes_programmes", ("hasTheme", "hasProgramme")),
    ("priority_tasks", ("hasPriorityTask",)),
    ("preconditions", ("hasPrecondition",)),
    ("funding", ("hasAllocation", "hasBudget")),
    ("kpis", ("hasKPI",)),
    ("governance", ("governanceOf",)),
    ("other_parts", ("hasAdvice", "hasAgreement", "hasWorkAgenda", "hasMonitoring", "hasComponent")),
)


@dataclass
class Fact:
    property: str  # local name of the predicate
    value: object  # a number, a string, or an IRI
    label: str = ""  # label of an IRI value
    amount: object = None
    min_amount: object = None
    max_amount: object = None
    figure_kind: str = ""  # notation of the amount's iza:figureKind
    time_basis: str = ""  # notation of the amount's iza:timeBasis

    @property
    def text(self) -> str:
        return self.label or str(self.value)


@dataclass
class Item:
    iri: str
    rel: str
    label: str
    cls: str = ""
    notation: str = ""
    order: object = None
    source: str | None = None
    source_label: str = ""
    quotes: list[str] = field(default_factory=list)
    children: list["Item"] = field(default_factory=list)
    facts: dict[str, list[Fact]] = field(default_factory=lambda: defaultdict(list))
    plan: str = ""

    @property
    def anchor(self) -> str:
        return local_name(self.iri)

    @property
    def path(self) -> str | None:
        return local_path(self.iri)

    def first(self, prop: str) -> Fact | None:
        values = self.facts.get(prop)
        return values[0] if values else None

    def texts(self, prop: str) -> list[str]:
        return [f.text for f in self.facts.get(prop, [])]

    @property
    def not_yet_defined(self) -> bool:
        return any(local_name(str(f.value)) == "nog-niet-vastgesteld" for f in self.facts.get("status", []))


@dataclass
class Plan:
    iri: str
    label: str
    type: str
    start: str | None
    end: str | None
    source: str | None
    source_label: str
    quotes: list[str]
    decisions: list[dict]


@dataclass
class Profile:
    region: RegionSummary
    plans: list[Plan]
    municipalities: dict[str, list[dict]]
    partners: list[dict]
    sections: "OrderedDict[str, list[Item]]"
    observations: list[dict]
    items: dict[str, Item]

    def section(self, key: str) -> list[Item]:
        return self.sections.get(key, [])


def _plans(run: Runner, region: str, lang: str) -> list[Plan]:
    plans: dict[str, Plan] = {}
    for row in run("page-region-plans", region=region):
        plan = plans.get(row["plan"])
        if plan is None:
            plan = plans[row["plan"]] = Plan(
                iri=row["plan"], label=pick(row, "label", lang), type=pick(row, "type", lang),
                start=row.get("startDate"), end=row.get("endDate"), source=row.get("source"),
                source_label=row.get("sourceLabel") or "", quotes=[], decisions=[])
        if row.get("quote") and row["quote"] not in plan.quotes:
            plan.quotes.append(row["quote"])
        if row.get("decision"):
            known = next((d for d in plan.decisions if d["iri"] == row["decision"]), None)
            if known is None:
                known = {"iri": row["decision"], "label": pick(row, "decision", lang), "date": row.get("decisionDate"),
                         "type": pick(row, "decisionType", lang), "by": []}
                plan.decisions.append(known)
            by = pick(row, "decidedBy", lang)
            if by and by not in known["by"]:
                known["by"].append(by)
    for plan in plans.values():
        plan.decisions.sort(key=lambda d: str(d["date"] or ""))
    return sorted(plans.values(), key=lambda p: (str(p.start or ""), p.label))


def _items(run: Runner, region: str, lang: str) -> tuple[dict[str, Item], list[Item]]:
    """Every plan part of the region, linked into a tree; returns (by IRI, top-level items)."""
    by_iri: dict[str, Item] = {}
    links: list[tuple[str, str, str]] = []  # (parent, rel, child)
    for row in run("page-region-items", region=region):
        iri, rel = row["item"], local_name(row["rel"])
        item = by_iri.get(iri)
        if item is None:
            item = by_iri[iri] = Item(
                iri=iri, rel=rel, label=pick(row, "label", lang) or local_name(iri),
                cls=local_name(row["class"]) if row.get("class") else "", notation=row.get("notation") or "",
                order=row.get("order"), source=row.get("source"), source_label=row.get("sourceLabel") or "",
                quotes=split_quotes(row.get("quotes")), plan=row["plan"])
        else:
            for quote in split_quotes(row.get("quotes")):
                if quote not in item.quotes:
                    item.quotes.append(quote)
        links.append((row["parent"], rel, iri))
    top: list[Item] = []
    seen: set[tuple[str, str]] = set()
    for parent, rel, child in links:
        if (parent, child) in seen:
            continue
        seen.add((parent, child))
        if parent in by_iri:
            by_iri[parent].children.append(by_iri[child])
        elif rel == by_iri[child].rel and by_iri[child] not in top:
            top.append(by_iri[child])
    for item in by_iri.values():
        item.children.sort(key=sort_key)
    for row in run("page-region-facts", region=region):
        item = by_iri.get(row["item"])
        if item is None:
            continue
        prop = local_name(row["property"])
        label = pick(row, "value", lang)
        fact = Fact(prop, row["value"], label, row.get("amount"), row.get("minAmount"), row.get("maxAmount"),
                    row.get("figureKind") or "", row.get("timeBasis") or "")
        if not any(f.value == fact.value for f in item.facts[prop]):
            item.facts[prop].append(fact)
    return by_iri, top


def _observations(run: Runner, region: str, lang: str) -> list[dict]:
    result = []
    for row in run("page-region-observations", region=region):
        result.append({
            "iri": row["observation"], "label": pick(row, "label", lang), "indicator": pick(row, "indicator", lang),
            "indicator_iri": row.get("indicator"), "value": row.get("value"),
            "min": row.get("minValue"), "max": row.get("maxValue"), "figure_kind": row.get("figureKind") or "",
            "kind": FIGURE_KIND_WORDS.get(row.get("figureKind") or "", ""),
            "unit": local_name(row["unit"]) if row.get("unit") else "", "year": row.get("refYear"),
            "base_year": row.get("baseYear"), "projection": bool(row.get("isProjection")),
            "scenario": row.get("scenario") or "", "breakdown": row.get("breakdown") or "",
            "area": row.get("areaNl") or "", "source": row.get("source"), "quotes": split_quotes(row.get("quotes")),
        })
    return result


def _municipalities(run: Runner, region: str) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {"covered": [], "excluded": [], "in_reference": []}
    key = {"coversMunicipality": "covered", "excludesMunicipality": "excluded", "inZorgkantoorRegion": "in_reference"}
    for row in run("page-region-municipalities", region=region):
        group = groups[key[local_name(row["relation"])]]
        if not any(m["iri"] == row["municipality"] for m in group):
            group.append({"iri": row["municipality"], "label": row["label"], "cbs_code": row.get("cbsCode") or ""})
    return groups


def _partners(run: Runner, region: str, lang: str) -> list[dict]:
    by_role: dict[str, list[dict]] = defaultdict(list)
    for row in run("page-region-partners", region=region):
        role = pick(row, "role", lang)
        entry = {"iri": row["agent"], "label": pick(row, "agent", lang) or local_name(row["agent"]),
                 "quotes": split_quotes(row.get("quotes")), "source": row.get("source")}
        if not any(e["iri"] == entry["iri"] for e in by_role[role]):
            by_role[role].append(entry)
    return [{"role": role, "agents": sorted(agents, key=lambda a: a["label"])}
            for role, agents in sorted(by_role.items(), key=lambda kv: (kv[0] == "", kv[0]))]


def profile(run: Runner, slug: str, lang: str) -> Profile | None:
    summary = next((r for r in regions(run, lang) if r.slug == slug), None)
    if summary is None:
        return None
    iri = summary.iri
    by_iri, top = _items(run, iri, lang)
    sections: OrderedDict[str, list[Item]] = OrderedDict()
    for key, rels in SECTIONS:
        sections[key] = sorted((i for i in top if i.rel in rels), key=sort_key)
    return Profile(region=summary, plans=_plans(run, iri, lang), municipalities=_municipalities(run, iri),
                   partners=_partners(run, iri, lang), sections=sections,
                   observations=_observations(run, iri, lang), items=by_iri)


# --------------------------------------------------------------------- derived views of a profile


# The page's words for a figure kind (notation of iza:figureKind) other than exact.
FIGURE_KIND_WORDS = {"maximaal": "at_most", "ten-minste": "at_least", "meer-dan": "more_than",
                     "ongeveer": "about", "bereik": "range_from"}


def amount_of(item: Item) -> tuple[object, str, bool] | None:
    """(value, word for its figure kind or '', whether it is per year) of the item's iza:amount."""
    fact = item.first("amount")
    if fact is None or fact.amount is None:
        return None
    return fact.amount, FIGURE_KIND_WORDS.get(fact.figure_kind, ""), fact.time_basis == "per-jaar"


def budgets(profile: Profile) -> list[dict]:
    """Each budget of the region with its lines, the sum of the lines and the budget's own amount (its stated total)."""
    result = []
    for item in profile.section("funding"):
        lines = [c for c in item.children if c.rel == "hasBudgetLine"]
        if not lines and item.cls != "Budget":
            continue
        values = [(line, amount_of(line)) for line in lines]
        total = item.first("amount")
        numbers = [a[0] for _, a in values if a is not None]
        result.append({"budget": item, "lines": values, "sum": sum(numbers) if numbers else None,
                       "stated_total": total.amount if total else None})
    return result


def allocations(profile: Profile) -> list[dict]:
    result = []
    for item in profile.section("funding"):
        if item.cls == "Budget" or any(c.rel == "hasBudgetLine" for c in item.children):
            continue
        stream = item.first("fundingStream")
        result.append({"item": item, "stream": stream.text if stream else "", "stream_iri": stream.value if stream else None,
                       "amount": amount_of(item), "start": item.texts("startDate"), "end": item.texts("endDate")})
    return result


def kpis(profile: Profile) -> list[dict]:
    """KPIs with their targets; a KPI or target whose status is 'nog niet vastgesteld' says so."""
    result = []
    for kpi in profile.section("kpis"):
        targets = [c for c in kpi.children if c.rel == "hasTarget"]
        rows_ = []
        for target in targets or [kpi]:
            value, upper = target.first("value"), target.first("maxValue")
            kind = target.first("figureKind")
            rows_.append({
                "item": target, "value": value.value if value else None,
                "kind": FIGURE_KIND_WORDS.get(kind.value.rsplit("/", 1)[-1], "") if kind else "",
                "upper": upper.value if upper and kind and str(kind.value).endswith("/bereik") else None,
                "unit": local_name(str(target.first("unit").value)) if target.first("unit") else "",
                "date": ", ".join(target.texts("targetDate")), "baseline": target.first("baselineValue"),
                "not_yet_defined": target.not_yet_defined or kpi.not_yet_defined,
                "planned": ", ".join(target.texts("plannedDefinitionDate") or kpi.texts("plannedDefinitionDate")),
            })
        result.append({"kpi": kpi, "targets": rows_})
    return result


def timeline(profile: Profile) -> dict:
    """Steps of the priority tasks placed on the quarters they start and finish in."""
    quarters: dict[str, str] = {}
    entries = []
    for task in profile.section("priority_tasks"):
        for step in [task, *task.children]:
            start, finish = step.first("startsIn"), step.first("finishedBy")
            if not start and not finish:
                continue
            for fact in (start, finish):
                if fact:
                    quarters[str(fact.value)] = fact.text
            entries.append({"task": task, "step": step, "start": str(start.value) if start else None,
                            "finish": str(finish.value) if finish else None})
    columns = sorted(quarters)
    for entry in entries:
        first = columns.index(entry["start"]) if entry["start"] else 0
        last = columns.index(entry["finish"]) if entry["finish"] else len(columns) - 1
        entry["cells"] = [first <= i <= last for i in range(len(columns))]
        entry["finish_label"] = quarters.get(entry["finish"], "") if entry["finish"] else ""
        entry["start_label"] = quarters.get(entry["start"], "") if entry["start"] else ""
    return {"quarters": [(q, quarters[q]) for q in columns], "entries": entries}


# ----------------------------------------------------------------------------------- comparison


def theme_matrix(run: Runner, region_iris: list[str], lang: str) -> list[dict]:
    themes: OrderedDict[str, dict] = OrderedDict()
    for row in run("page-theme-items"):
        theme = themes.setdefault(row["theme"], {
            "iri": row["theme"], "label": pick(row, "theme", lang), "notation": row.get("themeNotation") or "",
            "cells": {iri: [] for iri in region_iris}})
        if row.get("region") in theme["cells"] and row.get("item"):
            cell = theme["cells"][row["region"]]
            if not any(e["iri"] == row["item"] for e in cell):
                cell.append({"iri": row["item"], "label": pick(row, "item", lang) or local_name(row["item"]),
                             "notation": row.get("itemNotation") or "", "quote": row.get("firstQuote") or "",
                             "source": row.get("source")})
    return list(themes.values())


def framework_coverage(run: Runner, lang: str) -> list[dict]:
    schemes: OrderedDict[str, dict] = OrderedDict()
    for row in run("page-framework-coverage"):
        scheme = schemes.setdefault(row["scheme"], {"iri": row["scheme"], "label": pick(row, "scheme", lang),
                                                    "concepts": OrderedDict()})
        concept = scheme["concepts"].setdefault(row["concept"], {
            "iri": row["concept"], "label": pick(row, "concept", lang) or local_name(row["concept"]),
            "notation": row.get("notation") or "", "regions": defaultdict(list)})
        if row.get("region") and row.get("item"):
            items = concept["regions"][row["region"]]
            label = pick(row, "item", lang) or local_name(row["item"])
            if not any(i["iri"] == row["item"] for i in items):
                items.append({"iri": row["item"], "label": label})
    for scheme in schemes.values():
        scheme["concepts"] = sorted(scheme["concepts"].values(), key=lambda c: (_notation_key(c["notation"]), c["label"]))
    return sorted(schemes.values(), key=lambda s: s["label"])


def _notation_key(notation: str):
    parts = []
    for part in notation.replace("-", ".").split("."):
        parts.append((0, int(part), "") if part.isdigit() else (1, 0, part))
    return parts


def is_iza_iri(value: object) -> bool:
    return isinstance(value, str) and value.startswith(str(IZA))


__all__ = ["Runner", "regions", "profile", "budgets", "allocations", "kpis", "timeline", "theme_matrix",
           "framework_coverage", "local_path", "local_name", "region_iri"]


def comparison(run: Runner, slugs: list[str], lang: str) -> dict:
    """The comparison tables for the chosen regions (in the order chosen)."""
    known = {r.slug: r for r in regions(run, lang)}
    chosen = [known[s] for s in slugs if s in known]
    iris = [r.iri for r in chosen]
    profiles = {r.iri: profile(run, r.slug, lang) for r in chosen}
    streams: OrderedDict[str, dict] = OrderedDict()
    for r in chosen:
        for allocation in allocations(profiles[r.iri]):
            key = allocation["stream_iri"] or ""
            row = streams.setdefault(key, {"iri": key, "label": allocation["stream"] or "–", "cells": {i: [] for i in iris}})
            row["cells"][r.iri].append(allocation)
    coverage = []
    for scheme in framework_coverage(run, lang):
        cells = {i: [c for c in scheme["concepts"] if c["regions"].get(i)] for i in iris}
        coverage.append({"scheme": scheme, "total": len(scheme["concepts"]), "cells": cells})
    return {
        "regions": chosen,
        "themes": theme_matrix(run, iris, lang),
        "funding": sorted(streams.values(), key=lambda s: (s["iri"] == "", s["label"])),
        "kpis": {r.iri: kpis(profiles[r.iri]) for r in chosen},
        "coverage": coverage,
        "profiles": profiles,
    }


def comparison_csv(data: dict, table: str, lang: str) -> tuple[list[str], list[list]]:
    """(header, rows) of one comparison table in long form, one row per region and item."""
    names = {r.iri: r.label for r in data["regions"]}
    if table == "themes":
        header = ["theme", "region", "item", "label", "source", "quote"]
        rows_ = [[t["label"], names[region], e["iri"], e["label"], e["source"] or "", e["quote"]]
                 for t in data["themes"] for region, cell in t["cells"].items() for e in cell]
    elif table == "funding":
        header = ["funding_stream", "region", "item", "label", "amount_eur", "amount_kind"]
        rows_ = [[s["label"], names[region], a["item"].iri, a["item"].label,
                  a["amount"][0] if a["amount"] else "", a["amount"][1] if a["amount"] else ""]
                 for s in data["funding"] for region, cell in s["cells"].items() for a in cell]
    elif table == "kpis":
        header = ["region", "kpi", "label", "target_value", "unit", "target_date", "status"]
        rows_ = [[names[region], k["kpi"].iri, k["kpi"].label, t["value"] if t["value"] is not None else "", t["unit"],
                  t["date"], "not yet defined" if t["not_yet_defined"] else ""]
                 for region, entries in data["kpis"].items() for k in entries for t in k["targets"]]
    elif table == "frameworks":
        header = ["framework", "region", "concept", "label", "items"]
        rows_ = [[c["scheme"]["label"], names[region], concept["iri"], concept["label"],
                  "; ".join(i["label"] for i in concept["regions"][region])]
                 for c in data["coverage"] for region, concepts in c["cells"].items() for concept in concepts]
    else:
        raise KeyError(table)
    return header, rows_


# ----------------------------------------------------------------------------------- compliance


def in_language(texts: dict | str | None, lang: str) -> str:
    """Pick from a {language: text} dict as app.validation returns them."""
    if not texts:
        return ""
    if isinstance(texts, str):
        return texts
    return texts.get(lang) or texts.get("nl") or texts.get("en") or texts.get("und") or next(iter(texts.values()))
