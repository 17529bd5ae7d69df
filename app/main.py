"""The FastAPI application: create_app() builds it, its lifespan opens the backend once.

    uvicorn app.main:create_app --factory      # or: iza-kg serve [--endpoint URL]
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from app.api.limits import LimitedBackend, QueryTimeout
from app.api.routes import compare, frameworks, health, queries, regions, root, search, sparql, themes, validate
from app.api.routes import linked_data
from app.api.service import UnknownSlug
from app.backends import Backend, BackendError, BackendUnavailable, QuerySyntaxError
from app.core import graph_state, reliability
from app.core.config import Settings, get_settings
from app.queries import QUERY_DIR, ParameterError, QueryFileError, QueryLibrary, parse_query_file
from app.search import service as search_service
from app.web import routes as web
from app.web import source_pages

log = logging.getLogger("iza_kg.api")


def load_library(directory: Path = QUERY_DIR) -> tuple[QueryLibrary, dict[str, str]]:
    """Every readable .rq file; a file with a broken header is reported (GET /queries), not fatal."""
    found, unreadable = {}, {}
    for path in sorted(directory.glob("*.rq")):
        try:
            found[path.stem] = parse_query_file(path)
        except QueryFileError as error:
            log.warning("skipping %s", error)
            unreadable[path.stem] = str(error).replace(str(directory) + "/", "")
    return QueryLibrary(found), unreadable


def limited(backend: Backend, settings: Settings) -> LimitedBackend:
    return LimitedBackend(backend, settings.query_timeout_s, settings.query_workers, endpoint=settings.sparql_endpoint)


@asynccontextmanager
async def lifespan(app: FastAPI):
    if getattr(app.state, "backend", None) is None:
        graph_state.open_graph(app)  # embedded: killable query workers, reload on change; remote: retries
    search_service.follow_the_graph(app)  # the search index: built now in the background, and after each reload
    log.info("iza-kg API on the %s backend", app.state.backend.name)
    try:
        yield
    finally:
        graph_state.close_graph(app)
        app.state.backend.close()


def error(status: int, detail: str, **extra) -> JSONResponse:
    return JSONResponse({"detail": detail, **extra}, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(UnknownSlug)
    async def unknown_slug(request: Request, exc: UnknownSlug):
        return error(404, f"Onbekende {_NL_KIND.get(exc.kind, exc.kind)} / unknown {exc.kind}: {exc.slug!r}", known=exc.known)

    @app.exception_handler(ParameterError)
    async def bad_parameter(request: Request, exc: ParameterError):
        return error(422, str(exc))

    @app.exception_handler(QuerySyntaxError)
    async def syntax(request: Request, exc: QuerySyntaxError):
        return error(400, f"SPARQL syntax error: {exc}")

    @app.exception_handler(QueryTimeout)
    async def timeout(request: Request, exc: QueryTimeout):
        return error(504, str(exc), limit_s=exc.timeout_s)

    @app.exception_handler(BackendUnavailable)
    async def unavailable(request: Request, exc: BackendUnavailable):
        endpoint = getattr(request.app.state.settings, "sparql_endpoint", None)
        backend = getattr(request.app.state, "backend", None)
        endpoint = getattr(backend, "endpoint", None) or endpoint
        log.warning("backend unavailable: %s", exc)
        return error(503, f"The SPARQL endpoint {endpoint} is not reachable; try again later.", endpoint=endpoint)

    @app.exception_handler(BackendError)
    async def backend_error(request: Request, exc: BackendError):
        log.warning("query failed: %s", exc)
        return error(502, f"The query failed in the store: {exc}")


_NL_KIND = {"region": "regio", "theme": "thema", "framework": "kader"}


def create_app(settings: Settings | None = None, backend: Backend | None = None) -> FastAPI:
    """The app. Without `backend`, the lifespan opens the one the settings name (embedded unless an endpoint is set)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="iza-kg API",
        summary="Dutch regional IZA health-care plans as a knowledge graph: lookups, comparisons, named queries, SPARQL.",
        description="Every answer comes from a named SPARQL query in `queries/` (see `GET /queries`). The default graph "
        "of `/sparql` is the union of the named graphs (one per source file), on the embedded and the remote backend.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.backend = limited(backend, settings) if backend is not None else None
    app.state.library, app.state.unreadable_queries = load_library()
    install_error_handlers(app)
    reliability.install(app)  # request caps, CORS, security headers, access log (app/core/reliability.py)
    app.include_router(web.router)  # the web pages; first, so browsers (Accept: text/html) get the home page at /
    app.include_router(source_pages.router)
    app.mount("/static", web.static_files(), name="static")
    for module in (root, health, regions, compare, themes, frameworks, search, queries, sparql, validate, linked_data):
        app.include_router(module.router)
    app.add_middleware(linked_data.DatasetLinkHeader)  # Link: </catalog>; rel="describedby" on every response
    return app
