"""GET /: where to go from here."""

from fastapi import APIRouter, Request

router = APIRouter(tags=["index"])


@router.get("/", summary="Index of the API")
def index(request: Request) -> dict:
    backend = getattr(request.app.state, "backend", None)
    return {
        "name": "iza-kg",
        "description": "Dutch regional IZA health-care plans as a knowledge graph",
        "backend": getattr(backend, "name", None),
        "links": {
            "docs": "/docs",
            "openapi": "/openapi.json",
            "regions": "/regions",
            "compare": "/compare?regions=gooi-en-vechtstreek,midden-nederland,noord-en-midden-limburg",
            "themes": "/themes",
            "frameworks": "/frameworks",
            "search": "/search?q=arbeidsmarkt",
            "queries": "/queries",
            "sparql": "/sparql",
            "validate": "/validate",
            "catalog": "/catalog",
            "void": "/.well-known/void",
            "downloads": "/download/",
            "ontology": "/def/",
        },
        "note": "The default graph of /sparql is the union of the named graphs (one per source file).",
    }
