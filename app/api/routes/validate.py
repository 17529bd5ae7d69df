"""GET /validate (the IZA compliance matrix), and the handler of GET /regions/{slug}/compliance, from app.validation.

The graph to validate is read through the backend with the `graph-all` CONSTRUCT query, so both backends
validate what they serve. pySHACL takes seconds, so one run is kept per app and reused.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from app.api.deps import BackendDep, LibraryDep
from app.api.service import UnknownSlug

router = APIRouter(tags=["validation"])
_lock = threading.Lock()


def validation_run(request: Request, backend, library):
    from app.validation import validate

    with _lock:
        cached = getattr(request.app.state, "validation_run", None)
        if cached is None or cached[0] is not backend:
            graph = backend.construct(library.get("graph-all").text)
            cached = (backend, validate(graph, "iza"))
            request.app.state.validation_run = cached
    return cached[1]


@router.get("/validate", summary="IZA compliance matrix (criteria x regions)")
def compliance_matrix(request: Request, backend: BackendDep, library: LibraryDep) -> dict[str, Any]:
    """Which IZA criteria each modelled region's plans meet, miss or leave open, with the evidence; from the
    SHACL shapes in `shapes/` (see shapes/README.md)."""
    return validation_run(request, backend, library).compliance(None)


def region_compliance(request: Request, backend: BackendDep, library: LibraryDep,
                      slug: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=100)]) -> dict[str, Any]:
    from app.validation import UnknownRegion

    run = validation_run(request, backend, library)
    try:
        return run.compliance(slug)
    except UnknownRegion:
        known = sorted(r["slug"] for r in run.compliance(None).get("regions", []) if isinstance(r, dict) and "slug" in r)
        raise UnknownSlug("region", slug, known) from None
