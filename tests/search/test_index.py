"""Searches with answers from the documents: the project graph, read through the backend, indexed.

The facts checked come from sources/documents/: the graph's verbatim quotes are checked against those
texts by tests/data/test_graph_integrity.py, and these tests check against them again where they can."""

import re
from pathlib import Path

import pytest

from app.search.analysis import QuerySyntaxError, fold
from tests.search.conftest import marked

SEEDS = Path(__file__).resolve().parents[2] / "sources" / "documents"


@pytest.fixture(scope="session")
def seed_file_of(backend):
    rows = backend.select("SELECT ?d ?f WHERE { ?d <https://w3id.org/iza-kg/def/seedFile> ?f }").rows
    files = {str(r["d"]): str(r["f"]) for r in rows}
    assert files, "the source documents name their seed files"
    return lambda document: (SEEDS / files[document]).read_text(encoding="utf-8")


def test_valpreventie_is_found_in_at_least_two_regions_whose_documents_say_it(everything, seed_file_of):
    hits = everything("valpreventie")
    regions = {region for hit in hits for region in hit.regions}
    assert len(regions) >= 2, regions
    for hit in hits:
        if hit.regions:
            assert any("valpreventie" in seed_file_of(d).lower() for d in hit.documents), hit.resource


def test_wachtlijsten_finds_every_sentence_that_says_wachtlijst(everything, backend):
    quoted = backend.select("""SELECT DISTINCT ?r WHERE {
        ?r <https://w3id.org/iza-kg/def/sourceQuote> ?q FILTER(CONTAINS(LCASE(STR(?q)), "wachtlijst")) }""").rows
    sentences = {str(row["r"]) for row in quoted}
    assert sentences, "the graph quotes sentences about waiting lists (document 004)"
    hits = everything("wachtlijsten")
    assert sentences <= {hit.resource for hit in hits}
    for hit in hits:
        assert any(word.startswith("wachtlijst") for word in marked(hit.snippet)), hit.snippet


def test_a_phrase_finds_only_the_exact_phrase(everything):
    words = {hit.resource for hit in everything("regionale samenwerking")}
    phrase = everything('"regionale samenwerking"')
    assert phrase and {hit.resource for hit in phrase} < words  # some texts have both words, apart
    for hit in phrase:
        assert "regionale samenwerking" in marked(hit.snippet), hit.snippet
    assert everything('"samenwerking regionale"') == []


def test_diacritics_are_folded(everything):
    plain = everything("coordinatie")
    assert any("coördinatie" in hit.text.lower() for hit in plain)
    assert [h.resource for h in plain] == [h.resource for h in everything("coördinatie")]


def test_a_prefix_finds_the_words_that_start_so(everything):
    hits = everything("mantelzorg*")
    found = {word for hit in hits for word in marked(hit.snippet)}
    assert {"mantelzorgers", "mantelzorgpotentieel"} <= found
    assert all(fold(word).startswith("mantelzorg") for word in found)


def test_hits_are_ranked_best_first_and_a_label_counts_more_than_a_quote(index):
    hits = index.search("valpreventie", page_size=100).hits
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].score > hits[-1].score


def test_or_and_exclusion(everything):
    either = {h.resource for h in everything("wachtlijsten OR valpreventie")}
    assert either == {h.resource for h in everything("wachtlijsten")} | {h.resource for h in everything("valpreventie")}
    care, labour = ({h.resource for h in everything(q)} for q in ("zorg", "arbeidsmarkt"))
    without = {h.resource for h in everything("zorg -arbeidsmarkt")}
    assert care & labour and without == care - labour


def test_facets_count_the_hits_and_filters_narrow_them(index, everything):
    answer = index.search("zorg", page_size=5)
    regions = dict(answer.facets["region"])
    assert len(regions) >= 2
    for slug, count in regions.items():
        narrowed = everything("zorg", regions=[slug])
        assert len(narrowed) == count and all(slug in h.regions for h in narrowed)
    document, count = answer.facets["document"][0]
    assert len(everything("zorg", documents=[document])) == count
    kind, count = answer.facets["type"][0]
    assert all(h.type == kind for h in everything("zorg", types=[kind])) and len(everything("zorg", types=[kind])) == count
    # a facet counts under the other filters only, so choosing one region still shows the others
    one = next(iter(regions))
    assert dict(index.search("zorg", regions=[one]).facets["region"]) == regions


def test_pages_follow_each_other(index):
    total = index.search("zorg", page_size=7).total
    seen = [h.resource for page in range(1, -(-total // 7) + 1) for h in index.search("zorg", page=page, page_size=7).hits]
    assert len(seen) == total == len(set(seen))


def test_every_hit_carries_what_a_reader_needs(index):
    for hit in index.search("wachtlijsten").hits:
        assert hit.resource.startswith("https://w3id.org/iza-kg/id/")
        assert hit.label and hit.type and hit.regions == ["noord-en-midden-limburg"]
        assert hit.documents and "<mark>" in hit.snippet and not re.search(r"<(?!/?mark>)", hit.snippet)


def test_markup_in_a_text_is_escaped_in_the_snippet(index):
    hits = index.search("IG&H").hits  # an organisation's name with an ampersand
    assert hits and any("&amp;" in h.snippet for h in hits)


def test_the_index_reports_its_size(built):
    assert built.index.entries > 1000 and built.index.memory_bytes > 0 and built.build_seconds >= 0


def test_a_bad_query_raises_before_touching_the_index(index):
    with pytest.raises(QuerySyntaxError):
        index.search('"open')
