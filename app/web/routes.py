"""The HTML pages, one handler per page type. Content comes from app.web.pagedata (named queries);
the handlers only choose the language, call it and render a template.

Paths are Dutch, like the site's default language: / (home), /regio/{slug}, /vergelijk,
/vergelijk/{table}.csv, /naleving, /kaders, /sparql-editor. `?lang=en` switches to English.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import threading
from types import SimpleNamespace
from decimal import Decimal
from pathlib import Path
from typing import Annotated
from urllib.parse import quote_plus, urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates

from app.api.deps import BackendDep, LibraryDep
from app.search import service as search_service
from app.search.analysis import QuerySyntaxError
from app.web import charts, pagedata
from app.web.i18n import DEFAULT_LANGUAGE, translate

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "pages"
STATIC = Path(__file__).resolve().parent.parent / "static"
templates = Jinja2Templates(directory=str(TEMPLATES))
router = APIRouter(tags=["pages"], include_in_schema=False)
COMPARISON_TABLES = ("themes", "funding", "kpis", "frameworks")
SEARCH_PAGE_SIZE = 25
PAGES = (("home", "/"), ("compare", "/vergelijk"), ("compliance", "/naleving"), ("frameworks", "/kaders"),
         ("sources", "/sources"), ("search", "/zoeken"), ("sparql_editor", "/sparql-editor"))


async def get_runner(request: Request, backend: BackendDep, library: LibraryDep) -> pagedata.Runner:
    """One Runner per app (its memo lives as long as the backend it asks)."""
    runner = getattr(request.app.state, "page_runner", None)
    if runner is None or runner.backend is not backend or runner.library is not library:
        runner = request.app.state.page_runner = pagedata.Runner(backend, library)
    return runner


RunnerDep = Annotated[pagedata.Runner, Depends(get_runner)]
Lang = Annotated[str, Query(pattern="^(nl|en)$")]


# ------------------------------------------------------------------------------------ formatting


def number(value, lang: str, digits: int | None = None) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, (int, float, Decimal)):
        return str(value)
    if digits is None:
        digits = 0 if value == int(value) else 2
    text = f"{value:,.{digits}f}"
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def euro(value, lang: str) -> str:
    return f"€ {number(value, lang)}" if value not in (None, "") else ""


def with_unit(value, unit: str, lang: str) -> str:
    if value is None:
        return ""
    if unit == "PERCENT":
        return f"{number(value, lang)}%"
    if unit in ("EUR", "Euro", "CCY_EUR"):
        return euro(value, lang)
    return number(value, lang)


def context(request: Request, lang: str, page: str, title: str, **values) -> dict:
    def url(path: str, **params) -> str:
        query = [(k, v) for k, vs in params.items() for v in (vs if isinstance(vs, (list, tuple)) else [vs])]
        if lang != DEFAULT_LANGUAGE:
            query.append(("lang", lang))
        return path + ("?" + "&".join(f"{k}={v}" for k, v in query) if query else "")

    other = "en" if lang == "nl" else "nl"
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    if other != DEFAULT_LANGUAGE:
        params.append(("lang", other))
    switch = request.url.path + ("?" + urlencode(params) if params else "")
    return {
        "request": request, "lang": lang, "page": page, "title": title, "_": lambda key: translate(key, lang),
        "url": url, "switch_url": switch, "pages": PAGES, "local_path": pagedata.local_path,
        "num": lambda v, digits=None: number(v, lang, digits), "eur": lambda v: euro(v, lang),
        "with_unit": lambda v, unit: with_unit(v, unit, lang), **values,
    }


def render(request: Request, template: str, ctx: dict, status_code: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(request, template, ctx, status_code=status_code)


# ------------------------------------------------------------------------------------------ pages


def wants_html(request: Request) -> bool:
    """True when the client prefers HTML (a browser) over JSON; API clients keep the JSON index at /."""
    accept = request.headers.get("accept", "")
    return "text/html" in accept or "application/xhtml+xml" in accept


@router.get("/", response_class=HTMLResponse)
def home(request: Request, run: RunnerDep, lang: Lang = DEFAULT_LANGUAGE):
    """The home page for browsers; any other client gets the API's JSON index (app.api.routes.root)."""
    if not wants_html(request):
        from app.api.routes import root

        return JSONResponse(root.index(request))
    regions = pagedata.regions(run, lang)
    ctx = context(request, lang, "home", translate("site", lang), regions=regions,
                  modelled=[r for r in regions if r.modelled], others=[r for r in regions if not r.modelled])
    return render(request, "home.html", ctx)


@router.get("/regio/{slug}", response_class=HTMLResponse)
def region(request: Request, slug: str, run: RunnerDep, lang: Lang = DEFAULT_LANGUAGE):
    profile = pagedata.profile(run, slug, lang)
    if profile is None:
        ctx = context(request, lang, "regions", translate("unknown_region", lang), message=f"{translate('unknown_region', lang)}: {slug}")
        return render(request, "error.html", ctx, status_code=404)
    budgets = pagedata.budgets(profile)
    allocations = pagedata.allocations(profile)
    kpis = pagedata.kpis(profile)
    ctx = context(request, lang, "regions", f"{translate('profile_of', lang)}: {profile.region.label}", p=profile,
                  budgets=budgets, allocations=allocations, kpis=kpis, timeline=pagedata.timeline(profile),
                  charts=_profile_charts(profile, budgets, allocations, kpis, lang))
    return render(request, "region.html", ctx)


def _chart(title: str, bars: list[tuple[str, object]], fmt, headers: list[str], desc: str = "") -> dict:
    """An SVG bar chart and the same numbers as table rows (label, formatted value)."""
    return {"svg": charts.bar_chart(title, bars, fmt, desc), "headers": headers,
            "rows": [(label, fmt(value) if value is not None else "") for label, value in bars]}


def _profile_charts(profile, budgets, allocations, kpis, lang: str) -> dict:
    t = lambda key: translate(key, lang)  # noqa: E731
    fmt_eur = lambda v: euro(v, lang)  # noqa: E731
    out: dict = {"budgets": [], "projections": [], "kpis": [], "funding": None}
    for budget in budgets:
        bars = [(line.label, amount[0] if amount else None) for line, amount in budget["lines"]]
        if any(v is not None for _, v in bars):
            out["budgets"].append(_chart(
                f"{t('budget_lines')}: {budget['budget'].label}", bars, fmt_eur, [t("line"), t("amount")],
                f"{len(bars)} {t('budget_lines').lower()}; {t('sum_of_lines').lower()} {fmt_eur(budget['sum'])}"))
    funded = [(a["item"].label, a["amount"][0]) for a in allocations if a["amount"]]
    if funded:
        out["funding"] = _chart(f"{t('funding')}: {profile.region.label}", funded, fmt_eur, [t("item"), t("amount")])
    by_indicator: dict[tuple, list[dict]] = {}
    for obs in profile.observations:
        if obs["value"] is not None and obs["year"]:
            by_indicator.setdefault((obs["indicator"], obs["unit"]), []).append(obs)
    for (indicator, unit), observations in by_indicator.items():
        bars = []
        for obs in sorted(observations, key=lambda o: str(o["year"])):
            suffix = f" ({t('projection')})" if obs["projection"] else ""
            bars.append((f"{obs['year']}{suffix}", obs["value"]))
        out["projections"].append(_chart(f"{indicator}: {profile.region.label}", bars,
                                         lambda v, u=unit: with_unit(v, u, lang), [t("year"), t("value")]))
    by_unit: dict[str, list] = {}
    for entry in kpis:
        for target in entry["targets"]:
            if target["value"] is not None:
                by_unit.setdefault(target["unit"], []).append((entry["kpi"].label, target["value"]))
    for unit, bars in by_unit.items():
        out["kpis"].append(_chart(f"{t('kpis')}: {t('target').lower()} ({profile.region.label})", bars,
                                  lambda v, u=unit: with_unit(v, u, lang), [t("kpi"), t("target")]))
    return out


@router.get("/vergelijk", response_class=HTMLResponse)
def compare(request: Request, run: RunnerDep, lang: Lang = DEFAULT_LANGUAGE,
            regio: Annotated[list[str], Query()] = []):  # noqa: B006 (FastAPI reads the default)
    regions = pagedata.regions(run, lang)
    modelled = [r for r in regions if r.modelled]
    chosen = [s for s in regio if any(r.slug == s for r in regions)]
    data = pagedata.comparison(run, chosen, lang) if len(chosen) >= 2 else None
    chart = None
    if data and data["funding"]:
        streams = [s for s in data["funding"] if any(a["amount"] for cell in s["cells"].values() for a in cell)]
        series = [(r.label, [next((a["amount"][0] for a in s["cells"][r.iri] if a["amount"]), None) for s in streams])
                  for r in data["regions"]]
        if streams:
            chart = charts.grouped_bar_chart(translate("funding_side_by_side", lang), [s["label"] for s in streams],
                                             series, lambda v: euro(v, lang))
    ctx = context(request, lang, "compare", translate("compare", lang), modelled=modelled, chosen=chosen,
                  data=data, funding_chart=chart, tables=COMPARISON_TABLES)
    return render(request, "compare.html", ctx)


@router.get("/vergelijk/{table}.csv")
def compare_csv(table: str, run: RunnerDep, lang: Lang = DEFAULT_LANGUAGE,
                regio: Annotated[list[str], Query()] = []):  # noqa: B006
    if table not in COMPARISON_TABLES:
        raise HTTPException(404, f"Onbekende tabel: {table}; bekend: {', '.join(COMPARISON_TABLES)}")
    data = pagedata.comparison(run, regio, lang)
    if len(data["regions"]) < 2:
        raise HTTPException(400, translate("need_two", lang))
    header, rows = pagedata.comparison_csv(data, table, lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    filename = f"iza-kg-{table}-{'-'.join(r.slug for r in data['regions'])}.csv"
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/kaders", response_class=HTMLResponse)
def frameworks(request: Request, run: RunnerDep, lang: Lang = DEFAULT_LANGUAGE):
    regions = pagedata.regions(run, lang)
    modelled = [r for r in regions if r.modelled]
    ctx = context(request, lang, "frameworks", translate("frameworks", lang), modelled=modelled,
                  schemes=pagedata.framework_coverage(run, lang),
                  themes=pagedata.theme_matrix(run, [r.iri for r in modelled], lang))
    return render(request, "frameworks.html", ctx)


@router.get("/naleving", response_class=HTMLResponse)
def compliance(request: Request, backend: BackendDep, library: LibraryDep, lang: Lang = DEFAULT_LANGUAGE):
    """The IZA criteria x region matrix. pySHACL takes long, so the run (shared with GET /validate) is
    started in the background; until it is done the page says so and refreshes itself."""
    state = compliance_state(request.app, backend, library)
    report = state.get("run").compliance(None) if state.get("run") else None
    ctx = context(request, lang, "compliance", translate("compliance", lang), report=report,
                  computing=state.get("run") is None and not state.get("error"), failed=bool(state.get("error")),
                  tx=lambda texts: pagedata.in_language(texts, lang))
    return render(request, "compliance.html", ctx)


_compliance_lock = threading.Lock()


def compliance_state(app, backend, library) -> dict:
    """{'run': ValidationRun} once computed, {'error': ...} if it failed, {} while it runs."""
    from app.api.routes import validate as api_validate

    cached = getattr(app.state, "validation_run", None)
    if cached is not None and cached[0] is backend:
        return {"run": cached[1]}
    with _compliance_lock:
        state = getattr(app.state, "page_compliance", None)
        if state is None or state["backend"] is not backend:
            state = app.state.page_compliance = {"backend": backend}

            def compute():
                try:
                    api_validate.validation_run(SimpleNamespace(app=app), backend, library)
                except Exception as error:  # noqa: BLE001 (reported on the page, logged in full)
                    log.exception("compliance report failed")
                    state["error"] = type(error).__name__

            threading.Thread(target=compute, name="page-compliance", daemon=True).start()
    return {"error": state.get("error")} if state.get("error") else {}


@router.get("/zoeken", response_class=HTMLResponse)
def search(request: Request, backend: BackendDep, lang: Lang = DEFAULT_LANGUAGE, q: str = "",
           regio: Annotated[list[str], Query()] = [], soort: Annotated[list[str], Query()] = [],  # noqa: B006
           document: Annotated[list[str], Query()] = [], pagina: Annotated[int, Query(ge=1)] = 1):  # noqa: B006
    """Full-text search (app.search): hits grouped by region, with filters per region, type and document."""
    ctx = context(request, lang, "search", translate("search", lang), q=q, answer=None, error=None, groups=[])
    if q.strip():
        built = search_service.indexes(request.app).for_backend(backend)
        try:
            answer = search_service.search(built, q, regio, soort, document, pagina, SEARCH_PAGE_SIZE)
        except (QuerySyntaxError, search_service.UnknownFilter) as error:
            ctx.update(title=f"{translate('search', lang)}: {q}", error=str(error))
            return render(request, "search.html", ctx, status_code=400)
        groups: dict[str, dict] = {}
        for hit in answer["data"]:
            key = hit["region"]["key"] if hit["region"] else ""
            groups.setdefault(key, {"region": hit["region"], "hits": []})["hits"].append(hit)
        last = max(1, -(-answer["total"] // SEARCH_PAGE_SIZE))
        params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("pagina", "lang")]
        ctx.update(title=f"{translate('search', lang)}: {q}", answer=answer,
                   groups=sorted(groups.values(), key=lambda g: (g["region"] is None, (g["region"] or {}).get("label", ""))),
                   last=last, page_url=lambda number: ctx["url"]("/zoeken", **_grouped(params + [("pagina", number)])))
    return render(request, "search.html", ctx)


def _grouped(pairs: list[tuple[str, object]]) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(quote_plus(str(value)))
    return grouped


@router.get("/sparql-editor", response_class=HTMLResponse)
def sparql_editor(request: Request, library: LibraryDep, lang: Lang = DEFAULT_LANGUAGE):
    saved = [{"name": q.name, "summary": q.summary, "query": q.text} for q in library if q.form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")]
    ctx = context(request, lang, "sparql_editor", translate("sparql_editor", lang), saved=saved,
                  saved_json=json.dumps(saved, ensure_ascii=False).replace("</", "<\\/"))
    return render(request, "sparql.html", ctx)


def static_files():
    """The app's CSS, scripts and vendored YASGUI, mounted at /static by app.main."""
    from fastapi.staticfiles import StaticFiles

    return StaticFiles(directory=str(STATIC))
