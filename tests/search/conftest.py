import re

import pytest

from app.search.service import SearchIndexes


@pytest.fixture(scope="session")
def built(backend, library):
    """The search index of the project graph, read through the embedded backend in pages of 500 rows."""
    return SearchIndexes(library, 500).for_backend(backend)


@pytest.fixture(scope="session")
def index(built):
    return built.index


@pytest.fixture(scope="session")
def everything(index):
    """search(q) -> every hit of the query, all pages."""

    def run(q: str, **filters):
        first = index.search(q, page_size=100, **filters)
        hits = list(first.hits)
        page = 2
        while len(hits) < first.total:
            hits += index.search(q, page=page, page_size=100, **filters).hits
            page += 1
        return hits

    return run


def marked(snippet: str) -> list[str]:
    """The highlighted words of a snippet, lower case."""
    return [m.lower() for m in re.findall(r"<mark>(.*?)</mark>", snippet)]
