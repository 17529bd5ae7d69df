"""What the endpoint needs to know about a query's text before it runs, without parsing it.

Parsing with rdflib took 76-129 ms per query at the endpoint (bench/README.md), more than most queries
take to answer, and the store parses the text again anyway. The questions asked here (which query
form, does it call SERVICE, does it name its own dataset with FROM) are about keywords, so the text is
masked first: comments, string literals and IRIs become spaces (same length, so positions still
match), and a keyword is a word that is not part of a variable, prefixed name, blank node label or
language tag. Whether the rest is valid SPARQL is for the store's parser to say.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Comments, the four kinds of string literal, and IRIs. re.sub takes the leftmost match, so a `#` inside
# an IRI or a string, or a quote inside a comment, is consumed by the token that starts first.
OPAQUE = re.compile(
    r"#[^\n]*"
    r'|"""(?:\\[\s\S]|[^\\])*?"""'
    r"|'''(?:\\[\s\S]|[^\\])*?'''"
    r'|"(?:\\.|[^"\\\n])*"'
    r"|'(?:\\.|[^'\\\n])*'"
    r'|<[^\s<>"{}|^`\\]*>'
)
NOT_NEWLINE = re.compile(r"[^\n]")


def mask(text: str) -> str:
    """The text with comments, string literals and IRIs blanked out (same length, newlines kept)."""
    return OPAQUE.sub(lambda match: NOT_NEWLINE.sub(" ", match.group()), text)


def without_comments(text: str) -> str:
    """The text with its comments taken out (a `#` inside an IRI or a string stays), lines kept, so a parser's
    line numbers still point into the text as written."""
    return OPAQUE.sub(lambda match: "" if match.group().startswith("#") else match.group(), text)


def keyword(word: str) -> re.Pattern:
    # Not after ? $ : _ @ or a letter (variables, prefixed names, bnode labels, language tags),
    # not followed by : or a name character (a prefix such as `service:`).
    return re.compile(rf"(?<![\w?$:@\-]){word}(?![\w:\-])", re.IGNORECASE)


# Every repetition of the prologue consumes a keyword, so the pattern cannot backtrack exponentially
# (an earlier `(?:PREFIX ...\s*)\s*)*` took seconds on a query with twenty prefixes and no match).
PROLOGUE = r"\s*(?:(?:BASE|PREFIX\s+[\w\-.]*:)\s*)*"
PROLOGUE_AND_FORM = re.compile(PROLOGUE + r"(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:\-])", re.IGNORECASE)
PROLOGUE_AND_UPDATE = re.compile(
    PROLOGUE + r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)(?![\w:\-])", re.IGNORECASE
)
SERVICE = keyword("SERVICE")
FROM = keyword("FROM")


def query_form(masked: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first keyword after the prologue (None if there is none)."""
    match = PROLOGUE_AND_FORM.match(masked)
    return match.group(1).upper() if match else None


def looks_like_update(masked: str) -> bool:
    return PROLOGUE_AND_UPDATE.match(masked) is not None


def calls_service(masked: str) -> bool:
    return SERVICE.search(masked) is not None


def names_dataset(masked: str) -> bool:
    """True when the query has FROM or FROM NAMED clauses of its own."""
    return FROM.search(masked) is not None


def braces(text: str, start: int = 0):
    """Yield (index, '{' or '}') for the braces of a query, skipping IRIs, strings and comments."""
    masked = mask(text)
    for i in range(start, len(masked)):
        if masked[i] in "{}":
            yield i, masked[i]


def oxigraph_dataset(default_graphs=None, named_graphs=None) -> dict:
    """Keyword arguments for pyoxigraph's Store.query that give a query its dataset.

    Without graphs (both None) the default graph is the union of the named graphs. Given (either list,
    even empty), they are the default graph and the named graphs: default-graph-uri / named-graph-uri of
    the protocol, or else the query's own FROM / FROM NAMED (dataset_clauses), which are passed the same
    way because use_default_graph_as_union would override them.
    """
    import pyoxigraph as ox

    if default_graphs is None and named_graphs is None:
        return {"use_default_graph_as_union": True}
    return {"default_graph": [ox.NamedNode(iri) for iri in default_graphs or ()],
            "named_graphs": [ox.NamedNode(iri) for iri in named_graphs or ()]}


IRI_AT = re.compile(r'<[^\s<>"{}|^`\\]*>')
PREFIX_DECLARATION = re.compile(r"PREFIX\s+([\w\-.]*):", re.IGNORECASE)
NAMED = re.compile(r"\s*(NAMED(?![\w:\-])\s*)?", re.IGNORECASE)
PREFIXED_NAME = re.compile(r"([\w\-.]*):([\w\-.:%]*)")
ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


@lru_cache(maxsize=512)  # masking takes about 1 ms; the named queries ask again and again
def dataset_clauses(text: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The IRIs of the query's FROM and FROM NAMED clauses, or None if it has none (or one that is not an
    absolute IRI after prefix expansion: the union default graph then applies, on every backend)."""
    if "from" not in text.lower():  # most queries (every named query): no need to mask the text
        return None
    masked = mask(text)
    if not names_dataset(masked):
        return None
    clauses = [NAMED.match(text, keyword.end()) for keyword in FROM.finditer(masked)]
    prefixes = {}
    for declaration in PREFIX_DECLARATION.finditer(masked):
        iri = IRI_AT.match(text, NAMED.match(text, declaration.end()).end())
        if iri:
            prefixes[declaration.group(1)] = iri.group()[1:-1]
    default_graphs, named_graphs = [], []
    for clause in clauses:
        if iri := IRI_AT.match(text, clause.end()):
            value = iri.group()[1:-1]
        elif (name := PREFIXED_NAME.match(text, clause.end())) and name.group(1) in prefixes:
            value = prefixes[name.group(1)] + name.group(2)
        else:
            return None
        if not ABSOLUTE.match(value):
            return None
        (named_graphs if clause.group(1) else default_graphs).append(value)
    return tuple(default_graphs), tuple(named_graphs)


OPENING, CLOSING = "({[", ")}]"


def nesting_depth(masked: str) -> int:
    """How deep groups, brackets and parentheses nest (the store's parser recurses once per level)."""
    depth = deepest = 0
    for char in masked:
        if char in OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif char in CLOSING:
            depth -= 1
    return deepest
