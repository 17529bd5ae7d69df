"""GET /health: which backend, how many triples, which graph version since when, and whether it answers."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app.backends import BackendError
from app.core.graph_state import graph_status

log = logging.getLogger("iza_kg.health")
router = APIRouter(tags=["health"])
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


class ReloadErrorPublic(BaseModel):
    file: str = Field(description="The source file that does not parse, relative to the project")
    line: int | None = Field(description="Its line, where the parser names one")
    reason: str
    at: str = Field(description="When the reload was refused (UTC)")


class HealthPublic(BaseModel):
    status: str = Field(description="ok; degraded (a reload was refused, the last good graph is served); unavailable")
    backend: str = Field(description="embedded or remote")
    endpoint: str | None = Field(None, description="The remote SPARQL endpoint, if any")
    triples: int | None = Field(None, description="Triples in the graph served")
    graphVersion: str | None = Field(None, description="SHA-256 (first 12 hex digits) of the source files served")
    files: int | None = Field(None, description="Source files in the graph")
    loadedAt: str | None = Field(None, description="When the graph served was loaded (UTC)")
    loadSeconds: float | None = None
    reloadError: ReloadErrorPublic | None = Field(None, description="The last refused reload: file, line, reason")
    workers: dict | None = Field(None, description="Query worker processes per lane (embedded): size, idle, stopped queries")
    detail: str | None = None


@router.get("/health", response_model=HealthPublic, response_model_exclude_none=True, summary="Is the service up, on which graph",
            responses={503: {"model": HealthPublic, "description": "the backend does not answer"}})
def health(request: Request):
    """Backend, number of triples, graph version and load time; `degraded` while a broken data file is
    refused (with file, line and reason) and the last good graph is served; 503 if the store does not answer."""
    info, error = graph_status(request.app)
    backend = request.app.state.backend
    body = HealthPublic(status="degraded" if error else "ok", backend=info.backend or backend.name,
                        endpoint=getattr(backend, "endpoint", None), triples=info.triples, graphVersion=info.version,
                        files=info.files, loadedAt=info.loaded_at, loadSeconds=info.load_seconds,
                        reloadError=ReloadErrorPublic(**error.__dict__) if error else None)
    stats = getattr(backend, "stats", None)
    if callable(stats):
        body.workers = stats()
    if body.triples is None:
        try:
            body.triples = int(backend.select(COUNT).rows[0]["n"])
        except BackendError as exc:
            log.warning("health: the backend does not answer: %s", exc)
            body.status, body.detail = "unavailable", "the SPARQL store does not answer"
            return JSONResponse(body.model_dump(exclude_none=True), status_code=503)
    return body
