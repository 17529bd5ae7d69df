"""`iza-kg check`: quotes found verbatim in their documents (check_quotes.py's folding), the integrity gate,
the vendored checksums and the coverage summary, with file and line of each finding and exit status 1."""

from __future__ import annotations

import re

from app.sources import FoldedText, fold, is_quote_property
from tests.test_cli import iza_kg

BAD_QUOTES = "ontology:data:tests/fixtures/check/bad-quote.ttl"


def test_the_project_data_passes_the_check():
    result = iza_kg("check")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert re.search(r"[1-9]\d* quotes checked in 5 documents", result.stdout)
    assert "integrity gate: 0 violations" in result.stdout
    for number in ("000", "001", "002", "003", "004"):
        assert re.search(rf"{number}_\w+\.txt\s+\d+\s+\d+\s+\d+%", result.stdout)  # the coverage summary
    assert "no findings" in result.stdout


def test_a_misquote_is_reported_with_file_and_line_and_exit_status_1():
    result = iza_kg("check", sources=BAD_QUOTES)
    assert result.returncode == 1
    out = result.stdout
    assert "tests/fixtures/check/bad-quote.ttl:11: quote not found in 002_6715002c13a8185c.txt\n" in out
    assert "Met trots en grote tevredenheid" in out
    assert ("tests/fixtures/check/bad-quote.ttl:15: quote not found in 002_6715002c13a8185c.txt "
            "(it occurs in 000_90d0dc09ff7a8cc8.txt instead)") in out
    assert "across-a-line-break\n" not in out.split("quotes checked")[0]  # found across the line break
    # the integrity gate ran too: the fixture's resources have no type
    assert "integrity: https://w3id.org/iza-kg/id/test/misquoted" in out
    assert "integrity gate: 3 violations" in out
    assert "finding(s)" in result.stderr


def test_folding_is_check_quotes_folding():
    assert fold("  De \u201cregio\u201d\u00a0\u2013 Midden-\nNederland\u00ad  ") == 'de "regio" - midden- nederland'
    text = FoldedText.of("Eerste regel\u00a0met  een \u2018citaat\u2019\nover twee re-\ngels.")
    assert text.folded == fold(text.text)
    (span,) = text.find_all("MET EEN 'citaat' over twee")
    assert text.text[span[0]:span[1]] == "met  een \u2018citaat\u2019\nover twee"
    assert text.find_all("over twee regels") == []  # hyphenation is not undone, as in check_quotes.py
    assert is_quote_property("https://w3id.org/iza-kg/def/sourceQuote") and is_quote_property("http://x/ns#citaat")
    assert not is_quote_property("https://w3id.org/iza-kg/def/quoteCount")
