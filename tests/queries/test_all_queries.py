"""Every .rq file in queries/ runs with its default parameters on the embedded store, an Oxigraph server and
Virtuoso, and gives the same rows in the same order (NamedQuery.rows: the order a query leaves open, and
the order inside its concatenations, are fixed the same way on every store)."""

from pathlib import Path

import pytest
from rdflib import BNode, Graph
from rdflib.compare import isomorphic

from app.queries import QUERY_DIR, parse_query_file

FILES = sorted(QUERY_DIR.glob("*.rq"))


def test_the_query_folder_is_collected():
    assert len(FILES) >= 20  # guard: a glob or filter slip must not shrink this test to nothing


def answer(backend, query, bindings):
    if query.form == "ASK":
        return backend.ask(query.text, bindings)
    if query.form in ("CONSTRUCT", "DESCRIBE"):  # as the routes write it (N-Triples), read back
        return Graph().parse(data=backend.construct(query.text, bindings).serialize(format="nt"), format="nt")
    result = backend.select(query.text, bindings)
    for row in result.rows:  # blank node labels are each store's own
        row.update({k: BNode("b") for k, v in row.items() if isinstance(v, BNode)})
    return query.rows(result)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_query_gives_the_same_answer_on_every_backend(path: Path, embedded_backend, remote_backend, virtuoso_backend):
    query = parse_query_file(path)
    missing = [p.name for p in query.parameters.values() if p.default is None]
    if missing:
        pytest.fail(f"{path.name}: parameter(s) {missing} need a default in the #+ defaults header")
    bindings = query.bind({})
    embedded = answer(embedded_backend, query, bindings)
    for other in (remote_backend, virtuoso_backend):
        found = answer(other, query, bindings)
        if query.form in ("CONSTRUCT", "DESCRIBE"):
            assert len(found) == len(embedded) and isomorphic(found, embedded)
        else:
            assert found == embedded


def test_no_query_picks_a_sample():
    """SAMPLE picks any value, and stores pick differently: a one-of-many pick is MIN over a stated order."""
    assert [p.name for p in FILES if "SAMPLE(" in p.read_text(encoding="utf-8").upper()] == []
