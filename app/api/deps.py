"""Dependencies of the routes: the backend opened once at start-up, the query library, the settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.backends import Backend
from app.core.config import Settings, get_settings
from app.queries import QueryLibrary


def get_backend(request: Request) -> Backend:
    return request.app.state.backend


def get_library(request: Request) -> QueryLibrary:
    return request.app.state.library


def get_app_settings(request: Request) -> Settings:
    return getattr(request.app.state, "settings", None) or get_settings()


BackendDep = Annotated[Backend, Depends(get_backend)]
LibraryDep = Annotated[QueryLibrary, Depends(get_library)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
