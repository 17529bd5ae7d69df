"""Settings of the API, read from the environment (prefix IZA_) or passed to create_app()."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.namespaces import BASE


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IZA_", extra="ignore")

    base_iri: str = Field(BASE, description="Base of the project's IRIs (/def/, /id/, /graph/).")
    sparql_endpoint: str | None = Field(
        None,
        validation_alias=AliasChoices("IZA_SPARQL_ENDPOINT", "sparql_endpoint"),
        description="A remote SPARQL 1.1 query endpoint; when set the API answers from it instead of the embedded graph.",
    )
    max_rows: int = Field(10_000, ge=1, description="Most rows /sparql and /queries return; more are cut off with a notice.")
    query_timeout_s: float = Field(10.0, gt=0, description="Most seconds one query may run before the API answers 504.")
    query_workers: int = Field(4, ge=1, description="Queries that may run at the same time (worker threads).")
    search_cache: str = Field(
        default_factory=lambda: str(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "iza-kg"),
        validation_alias=AliasChoices("IZA_SEARCH_CACHE_DIR", "search_cache"),
        description="Folder where the embedded graph's search index is saved for the next start (an empty value: "
                    "never saved). Default: iza-kg in the user's cache folder ($XDG_CACHE_HOME or ~/.cache).",
    )
    default_page_size: int = Field(100, ge=1)
    max_page_size: int = Field(1_000, ge=1)

    @property
    def search_cache_dir(self) -> Path | None:
        return Path(self.search_cache).expanduser() if self.search_cache.strip() else None

    @property
    def backend(self) -> Literal["embedded", "remote"]:
        return "remote" if self.sparql_endpoint else "embedded"


@lru_cache
def get_settings() -> Settings:
    return Settings()
