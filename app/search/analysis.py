"""Words for the search index: split, diacritics folded, Dutch Snowball stems; and the user's query syntax.

Tokens are runs of letters and digits, which is how SQLite's `unicode61` tokenizer splits text, so the
stemmed copy of a text has exactly as many tokens as the text itself. The index keeps both (see
app.search.index), and FTS5 finds the highlighted words of a snippet by position in the original.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import Stemmer

TOKEN = re.compile(r"[^\W_]+")
MAX_QUERY_LENGTH = 200
MAX_TERMS = 16
MIN_PREFIX = 2

# The classic Snowball Dutch stemmer; Snowball 3's new "dutch" (Kraaij-Pohlmann) cuts too deep for search:
# "gemeenten" -> "meen", "gezondheid" -> "zon".
_stemmer = Stemmer.Stemmer("dutch_porter")


def fold(word: str) -> str:
    """Lower case without diacritics: "Coördinatie" -> "coordinatie"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(token: str) -> str:
    """The Dutch stem of one token, itself one token (else the token folded, or as it is)."""
    if token.isdigit():
        return token
    folded = fold(token)
    for candidate in (_stemmer.stemWord(folded), folded):
        if TOKEN.fullmatch(candidate):
            return candidate
    return token.lower()


def words(text: str) -> list[str]:
    return TOKEN.findall(text)


class Stems:
    """Stems texts for the index, each distinct token stemmed once (one Stems per build)."""

    def __init__(self):
        self.known: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        """The text as its stems, one per token, for the stemmed columns of the index."""
        known = self.known
        tokens = TOKEN.findall(text)
        for token in tokens:
            if token not in known:
                known[token] = stem(token)
        return " ".join([known[token] for token in tokens])


class QuerySyntaxError(ValueError):
    """A search text that is not a query; `problem` is a short code, the message says what to change."""

    def __init__(self, problem: str, message: str):
        self.problem = problem
        super().__init__(message)


@dataclass(frozen=True)
class Term:
    """One clause of a query: a word, a "phrase" or a prefix*; `excluded` for -word."""

    kind: str  # word | phrase | prefix
    text: str
    excluded: bool = False

    def fts(self, stemmed_columns: str, exact_columns: str) -> str:
        """This clause in FTS5 syntax, every token quoted (so no user text is ever FTS5 syntax)."""
        tokens = words(self.text)
        if self.kind == "word":
            return f'{{{stemmed_columns}}} : "{" ".join(stem(t) for t in tokens)}"'
        quoted = '"' + " ".join(fold(t) for t in tokens) + '"'
        return f"{{{exact_columns}}} : {quoted}{' *' if self.kind == 'prefix' else ''}"


QUERY_PARTS = re.compile(r'\s*(?:(-?)"([^"]*)("?)|(\S+))')


def parse(q: str) -> list[list[Term]]:
    """The query as alternatives (separated by OR), each a list of terms that must all match.

    Syntax: words (all must occur, any word form), "a phrase" (these words in this order), prefix*
    (words starting so), -word or -"phrase" (must not occur), OR between alternatives."""
    if len(q) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError("too-long", f"the query is {len(q)} characters long; at most {MAX_QUERY_LENGTH} are allowed")
    alternatives: list[list[Term]] = [[]]
    count = 0
    position = 0
    q = q.strip()
    while position < len(q):
        match = QUERY_PARTS.match(q, position)
        position = match.end()
        minus, phrase, closing, bare = match.groups()
        if bare == "OR":
            if not alternatives[-1]:
                raise QuerySyntaxError("misplaced-or", "OR must stand between two search terms")
            alternatives.append([])
            continue
        if phrase is not None:
            if not closing:
                raise QuerySyntaxError("unclosed-quote", 'a phrase opened with " is not closed: add the closing "')
            if not words(phrase):
                raise QuerySyntaxError("empty-phrase", 'a phrase between quotes ("...") holds no words')
            term = Term("phrase", phrase, bool(minus))
        else:
            excluded = bare.startswith("-") and len(bare) > 1
            text = bare[1:] if excluded else bare
            if "*" in text.rstrip("*") or text.count("*") > 1:
                raise QuerySyntaxError("misplaced-star", f"{bare!r}: * may only end a word, as in mantelzorg*")
            if text.endswith("*"):
                stem_text = text[:-1]
                tokens = words(stem_text)
                if len(tokens) != 1 or tokens[0] != stem_text.strip("'’"):
                    raise QuerySyntaxError("bad-prefix", f"{bare!r}: a prefix is one word followed by *, as in mantelzorg*")
                if len(tokens[0]) < MIN_PREFIX:
                    raise QuerySyntaxError("short-prefix", f"{bare!r}: a prefix needs at least {MIN_PREFIX} letters before the *")
                term = Term("prefix", tokens[0], excluded)
            elif words(text):
                term = Term("word", text, excluded)
            else:
                continue  # punctuation only, like a lone "-" or "&": nothing to search for
        count += 1
        if count > MAX_TERMS:
            raise QuerySyntaxError("too-many-terms", f"the query has more than {MAX_TERMS} terms")
        alternatives[-1].append(term)
    if len(alternatives) > 1 and not alternatives[-1]:
        raise QuerySyntaxError("misplaced-or", "OR must stand between two search terms")
    if count == 0:
        raise QuerySyntaxError("no-words", "the query holds no word to search for")
    for terms in alternatives:
        if all(t.excluded for t in terms):
            raise QuerySyntaxError("only-excluded", "each part of the query needs a word that must occur, not only -excluded ones")
    return alternatives


def match_expression(alternatives: list[list[Term]], stemmed_columns: str, exact_columns: str) -> str:
    """The parsed query as one FTS5 MATCH expression."""
    parts = []
    for terms in alternatives:
        included = " AND ".join(t.fts(stemmed_columns, exact_columns) for t in terms if not t.excluded)
        excluded = "".join(f" NOT {t.fts(stemmed_columns, exact_columns)}" for t in terms if t.excluded)
        parts.append(f"(({included}){excluded})")
    return " OR ".join(parts)
