"""Dependencies of the routes: the backend opened once at start-up, the query library, the settings.

They only read the app's state, so they are `async def`: FastAPI runs a plain `def` dependency in its
thread pool, one thread hop each (three for /sparql: 0.1-0.2 ms of its request, measured).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.backends import Backend
from app.core.config import Settings, get_settings
from app.queries import QueryLibrary


async def get_backend(request: Request) -> Backend:
    return request.app.state.backend


async def get_library(request: Request) -> QueryLibrary:
    return request.app.state.library


async def get_app_settings(request: Request) -> Settings:
    return getattr(request.app.state, "settings", None) or get_settings()


BackendDep = Annotated[Backend, Depends(get_backend)]
LibraryDep = Annotated[QueryLibrary, Depends(get_library)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
