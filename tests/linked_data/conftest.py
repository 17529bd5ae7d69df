"""A small FastAPI app with only the linked-data router and the Link-header middleware, on the project graph.

Tests build their own app (not app.main.create_app) so they depend on nothing but the linked-data code;
tests/linked_data/test_wiring.py checks the real app separately.
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.api.routes.linked_data import DatasetLinkHeader, router
from app.core.config import Settings
from app.queries import QueryLibrary


def make_app(backend, base: str | None = None) -> FastAPI:
    app = FastAPI()
    app.include_router(router)
    app.add_middleware(DatasetLinkHeader)
    app.state.backend = backend
    app.state.library = QueryLibrary.load()
    app.state.settings = Settings(base_iri=base) if base else Settings()
    return app


@pytest.fixture(scope="session")
def ld_app(backend):
    return make_app(backend)


@pytest.fixture(scope="session")
def client(ld_app):
    return TestClient(ld_app)
