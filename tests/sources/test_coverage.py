"""Coverage of the source documents by the graph's quotes: the rule (furniture, sentences, counted, cited)
and `iza-kg coverage`, computed from whatever the graph quotes."""

from __future__ import annotations

import csv
import io
import json

from app.coverage import furniture_lines, measure
from app.quotes import Quote
from app.sources import SourceDocument
from tests.test_cli import iza_kg

TWO_QUOTES = "data/sources.ttl:tests/fixtures/coverage/two-quotes.ttl"
PAGE = """Inleiding
Dit is de eerste zin van het document, lang genoeg om te tellen. Kort.
A. Introductie
Zorg
Een zin die over twee regels loopt en door het
citaat wordt geraakt, ook al breekt de regel.
A. Introductie
• Een opsomming met een eigen zin van meer dan veertig tekens
Inhoud ........ 3
A. Introductie
12
"""


def document(tmp_path, text=PAGE) -> SourceDocument:
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    return SourceDocument("https://w3id.org/iza-kg/id/brondocument/test", "doc.txt", {"nl": "Test"}, tmp_path)


def quote(text: str, resource="https://w3id.org/iza-kg/id/test/a") -> Quote:
    return Quote(resource, "https://w3id.org/iza-kg/def/sourceQuote", text, (), "A")


def test_furniture_is_repeated_short_lines_contents_entries_and_lone_numbers(tmp_path):
    doc = document(tmp_path)
    lines = [doc.text.text[a:b] for a, b in furniture_lines(doc.text.text)]
    assert lines == ["A. Introductie", "A. Introductie", "Inhoud ........ 3", "A. Introductie", "12"]


def test_sentences_of_40_characters_are_counted_and_cited_where_a_quote_touches_them(tmp_path):
    doc = document(tmp_path)
    coverage = measure(doc, [quote("loopt en door het citaat wordt geraakt")])
    texts = [s.text for s in coverage.sentences]
    assert texts == ["Inleiding", "Dit is de eerste zin van het document, lang genoeg om te tellen.", "Kort.", "Zorg",
                     "Een zin die over twee regels loopt en door het citaat wordt geraakt, ook al breekt de regel.",
                     "• Een opsomming met een eigen zin van meer dan veertig tekens"]
    assert [s.text for s in coverage.counted] == texts[1:2] + texts[4:]
    assert [s.anchor for s in coverage.cited] == ["s-5"] and coverage.cited[0].line == 5
    assert round(coverage.share, 4) == round(1 / 3, 4)
    (cited,) = coverage.cited
    pieces = coverage.pieces(cited.start, cited.end)
    assert [(text, list(citing)) for text, citing in pieces] == [
        ("Een zin die over twee regels ", []),
        ("loopt en door het\ncitaat wordt geraakt", ["https://w3id.org/iza-kg/id/test/a"]),
        (", ook al breekt de regel.", []),
    ]
    summary = coverage.summary("/sources/test")
    assert summary["counted"] == 3 and summary["cited"] == 1
    assert [u["anchor"] for u in summary["uncited"]] == ["s-2", "s-6"]
    assert summary["uncited"][0]["url"] == "/sources/test#s-2"


def test_every_occurrence_of_a_repeated_passage_is_cited(tmp_path):
    doc = document(tmp_path, "Een zin die de tekst twee keer herhaalt, woord voor woord.\n\n"
                             "Een zin die de tekst twee keer herhaalt, woord voor woord.\n")
    coverage = measure(doc, [quote("twee keer herhaalt")])
    assert [s.cited for s in coverage.counted] == [True, True]


def test_coverage_follows_the_graph_not_a_list(tmp_path):
    """With only the two fixture quotes in the graph, exactly their sentences are cited."""
    result = iza_kg("coverage", "002", "--format", "json", sources=TWO_QUOTES)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["cited"] == 1 and summary["counted"] > 1000
    on_line_3 = [u["text"][:20] for u in summary["uncited"] if u["line"] == 3]
    assert on_line_3 == ["Met trots en tevrede"]  # not "We hebben heel hard samengewerkt ...", which is cited
    result = iza_kg("coverage", "hilversum-voorstel-regioplan-gooi-en-vechtstreek", "--format", "csv", sources=TWO_QUOTES)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["citing"] for r in rows if r["cited"] == "yes"] == ["https://w3id.org/iza-kg/id/test/spuk"]
    assert all(r["anchor"].startswith("s-") and int(r["line"]) > 0 for r in rows)


def test_coverage_of_the_real_graph_is_consistent():
    result = iza_kg("coverage", "--format", "json")
    assert result.returncode == 0, result.stderr
    summaries = json.loads(result.stdout)
    assert [s["file"].rsplit("/", 1)[-1][:3] for s in summaries] == ["000", "001", "002", "003", "004"]
    for s in summaries:
        assert 0 < s["cited"] <= s["counted"] and len(s["uncited"]) == s["counted"] - s["cited"]
        assert s["share"] == round(s["cited"] / s["counted"], 4)
    text = iza_kg("coverage", "001").stdout
    assert "uncited passages (sources/documents/001_1a0cc8c58bcb50dd.txt:line)" in text


def test_an_unknown_document_is_named_in_the_error():
    result = iza_kg("coverage", "999")
    assert result.returncode == 1
    assert "no source document '999'" in result.stderr and "regioplan-midden-nederland" in result.stderr
    assert iza_kg("coverage", "--format", "csv").returncode == 1
