"""The source documents as pages: each document's text with every passage the graph cites highlighted.

    /sources                       the documents with their coverage
    /sources/{doc}                 the text; cited passages marked, each linking to the resources citing it;
                                   every sentence has an anchor #s-<n> for deep links
    /sources/{doc}/coverage.json   the share of substantive sentences cited and the uncited passages
    /sources/{doc}/coverage.csv    one row per substantive sentence (anchor, line, cited, citing, text)
    /sources/{doc}/text.txt        the document's text as the project holds it (sources/documents/)

{doc} is the document's slug (the last part of its /id/brondocument/ IRI), its file name or its number
(002). The coverage is computed from the named queries source-documents, source-quotes and
source-words on whichever backend serves the app; the rule is in app/coverage.py.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from app.coverage import Coverage, measure_all
from app.quotes import Citations
from app.web import pagedata
from app.web.i18n import DEFAULT_LANGUAGE, translate
from app.web.routes import Lang, RunnerDep, context, render

router = APIRouter(tags=["sources"])


def coverages(run: pagedata.Runner) -> dict[str, Coverage]:
    """Coverage per document slug; kept with the runner where its answers are (the embedded graph)."""
    cached = getattr(run, "source_coverage", None)
    if cached is not None:
        return cached
    citations = Citations.from_rows(run("source-documents"), run("source-quotes"), run("source-words"))
    result = {c.document.slug: c for c in measure_all(citations)}
    if run.memoise:
        run.source_coverage = result
    return result


def find(run: pagedata.Runner, name: str) -> Coverage | None:
    found = coverages(run)
    return found.get(name) or next((c for c in found.values() if name in c.document.names()), None)


def coverage_or_404(run: pagedata.Runner, name: str) -> Coverage:
    found = find(run, name)
    if found is None:
        raise HTTPException(404, f"Onbekend brondocument / unknown source document: {name!r}; "
                                 f"known: {', '.join(coverages(run))}")
    return found


def text_items(coverage: Coverage) -> tuple[list[dict], list[dict]]:
    """The document in order for the template: sentences, furniture lines and the text between them, each cut
    into pieces with the resources citing them; and those resources, numbered in order of appearance."""
    resources: dict[str, dict] = {}

    def pieces(start: int, end: int) -> list[dict]:
        out = []
        for text, citing in coverage.pieces(start, end):
            if not text.strip():  # the line break between two sentences a quote spans: nothing to mark
                citing = {}
            for iri, label in sorted(citing.items()):
                resources.setdefault(iri, {"number": len(resources) + 1, "iri": iri, "label": label,
                                           "path": pagedata.local_path(iri) or iri})
            out.append({"text": text, "refs": [resources[iri] for iri in sorted(citing)]})
        return out

    items: list[dict] = []
    for kind, value in coverage.blocks():
        if kind == "sentence":
            items.append({"kind": "sentence", "sentence": value, "pieces": pieces(value.start, value.end)})
        else:
            for part_kind, start, end in _plain_parts(*value, coverage.furniture):
                items.append({"kind": part_kind, "pieces": pieces(start, end)})
    return items, list(resources.values())


def _plain_parts(start: int, end: int, furniture: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """Text between sentences as ("plain" | "furniture", start, end)."""
    out, position = [], start
    for line_start, line_end in furniture:
        if line_end <= start or line_start >= end:
            continue
        if line_start > position:
            out.append(("plain", position, line_start))
        out.append(("furniture", line_start, line_end))
        position = line_end
    if position < end:
        out.append(("plain", position, end))
    return out


@router.get("/sources", response_class=HTMLResponse, include_in_schema=False)
def sources_index(request: Request, run: RunnerDep, lang: Lang = DEFAULT_LANGUAGE):
    ctx = context(request, lang, "sources", translate("sources", lang), coverages=list(coverages(run).values()))
    return render(request, "sources.html", ctx)


@router.get("/sources/{name}", response_class=HTMLResponse, include_in_schema=False)
def source_page(request: Request, name: str, run: RunnerDep, lang: Lang = DEFAULT_LANGUAGE):
    coverage = find(run, name)
    if coverage is None:
        ctx = context(request, lang, "sources", translate("unknown_source", lang),
                      message=f"{translate('unknown_source', lang)}: {name}")
        return render(request, "error.html", ctx, status_code=404)
    if name != coverage.document.slug:  # one address per document: the others redirect to the slug
        return RedirectResponse(request.url.path.rsplit("/", 1)[0] + "/" + coverage.document.slug
                                + (f"?{request.url.query}" if request.url.query else ""), status_code=301)
    items, resources = text_items(coverage)
    ctx = context(request, lang, "sources", coverage.document.label(lang), c=coverage, items=items, resources=resources)
    return render(request, "source.html", ctx)


@router.get("/sources/{name}/coverage.json")
def source_coverage_json(request: Request, name: str, run: RunnerDep) -> dict:
    """How much of a source document the graph cites: counted sentences (40+ characters, page furniture
    excluded), those a quote touches, their share, and every uncited passage with its anchor and line."""
    coverage = coverage_or_404(run, name)
    return coverage.summary(f"/sources/{coverage.document.slug}")


@router.get("/sources/{name}/coverage.csv", response_class=Response)
def source_coverage_csv(name: str, run: RunnerDep) -> Response:
    """One row per counted sentence of a source document: anchor, line, cited (yes/no), the citing resources, the text."""
    coverage = coverage_or_404(run, name)
    return Response(coverage.csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="coverage-{coverage.document.slug}.csv"'})


@router.get("/sources/{name}/text.txt", response_class=FileResponse)
def source_text(name: str, run: RunnerDep) -> FileResponse:
    """The document's plain text as the project holds it (sources/documents/; SHA-256 in data/sources.ttl)."""
    coverage = coverage_or_404(run, name)
    return FileResponse(coverage.document.path, media_type="text/plain; charset=utf-8")
