"""Search hits point at the passage of the source document their quotes stand in: the sentence the
coverage view (/sources/{doc}#s-<n>) marks as cited by the same resource."""

from rdflib import URIRef

from app.coverage import measure_all
from app.quotes import Citations
from app.search.analysis import fold
from app.web.pagedata import Runner


def coverage_by_document(backend, library):
    run = Runner(backend, library, memoise=False)
    citations = Citations.from_rows(run("source-documents"), run("source-quotes"), run("source-words"))
    return {coverage.document.iri: coverage for coverage in measure_all(citations)}


def test_every_wachtlijst_hit_points_at_a_sentence_that_says_it(built, backend, library, everything):
    coverage = coverage_by_document(backend, library)
    quoting = [hit for hit in everything("wachtlijsten") if any("wachtlijst" in fold(q) for q in quotes_of(backend, hit.resource))]
    assert quoting, "the graph quotes sentences about waiting lists (document 004)"
    for hit in quoting:
        sentences = [coverage[p.document].sentences[p.number - 1].text for p in built.passages[hit.resource]]
        assert any("wachtlijst" in fold(text) for text in sentences), (hit.resource, sentences)


def quotes_of(backend, resource: str) -> list[str]:
    rows = backend.select("SELECT ?q WHERE { ?r <https://w3id.org/iza-kg/def/sourceQuote> ?q }",
                          {"r": URIRef(resource)}).rows
    return [str(row["q"]) for row in rows]


def test_a_passage_is_a_sentence_the_coverage_view_says_the_resource_cites(built, backend, library):
    coverage = coverage_by_document(backend, library)
    assert built.passages
    for resource, passages in built.passages.items():
        for passage in passages:
            sentence = coverage[passage.document].sentences[passage.number - 1]
            assert sentence.anchor == passage.anchor and sentence.line == passage.line
            assert resource in sentence.citing, (resource, passage)


def test_every_quoted_resource_of_a_held_document_has_a_passage(built, backend, library):
    coverage = coverage_by_document(backend, library)
    citing = {iri for c in coverage.values() for s in c.sentences for iri in s.citing}
    assert citing - set(built.passages) == set()
