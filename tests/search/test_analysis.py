"""The words of the index and the query syntax (app.search.analysis)."""

import pytest

from app.search.analysis import (MAX_QUERY_LENGTH, QuerySyntaxError, Stems, fold, match_expression, parse, stem,
                                 words)


def test_dutch_word_forms_share_a_stem():
    assert stem("wachtlijsten") == stem("wachtlijst")
    assert stem("gemeenten") == stem("gemeente")
    assert stem("gezondheid") != stem("zon")  # the classic Snowball stemmer, not the over-eager Kraaij-Pohlmann one


def test_diacritics_are_folded_before_stemming():
    assert fold("Coördinatie") == "coordinatie"
    assert stem("coördinatie") == stem("coordinatie")
    assert stem("éénduidige") == stem("eenduidige")


def test_the_stemmed_text_keeps_one_token_per_word():
    text = "Mentale gezondheidscentra en regionale wachtlijsten (GGZ), ½ jaar; e-health_app"
    assert len(words(Stems()(text))) == len(words(text))


@pytest.mark.parametrize("q, problem", [
    ('zorg "wacht', "unclosed-quote"),
    ('""', "empty-phrase"),
    ("*", "bad-prefix"),
    ("mantel*zorg", "misplaced-star"),
    ("m*", "short-prefix"),
    ("e-health*", "bad-prefix"),
    ("OR zorg", "misplaced-or"),
    ("zorg OR", "misplaced-or"),
    ("zorg OR OR welzijn", "misplaced-or"),
    ("-zorg", "only-excluded"),
    ("zorg OR -welzijn", "only-excluded"),
    ("!!! ???", "no-words"),
    ("", "no-words"),
    ("zorg " * 17, "too-many-terms"),
    ("x" * (MAX_QUERY_LENGTH + 1), "too-long"),
])
def test_bad_queries_name_their_problem(q, problem):
    with pytest.raises(QuerySyntaxError) as raised:
        parse(q)
    assert raised.value.problem == problem


def test_fts5_syntax_in_the_query_is_only_words():
    """NEAR, column filters, ^ and parentheses are FTS5 syntax; in a search they are words and punctuation."""
    expression = match_expression(parse('NEAR(zorg welzijn) labels:zorg ^zorg AND NOT'), "s", "e")
    assert "NEAR(" not in expression and "labels:" not in expression
    assert expression.count('"') % 2 == 0


def test_the_query_forms():
    alternatives = parse('wachtlijsten "positieve gezondheid" mantelzorg* -arbeidsmarkt OR welzijn')
    assert [[(t.kind, t.excluded) for t in terms] for terms in alternatives] == [
        [("word", False), ("phrase", False), ("prefix", False), ("word", True)], [("word", False)]]
