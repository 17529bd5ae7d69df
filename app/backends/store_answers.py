"""Answering a query on a pyoxigraph store: the one place both embedded backends run queries.

The in-process EmbeddedBackend, the served app's own named queries (app.core.isolation, in threads) and
its /sparql worker processes all call `answer`, which returns a reply tuple: ("ok", value) or (error kind,
message). Replies are plain values (bytes, Python values, term tuples), so a worker sends them down a
socket as they are.

Serialised answers are written by the store (QuerySolutions.serialize, pyoxigraph.serialize) straight
into a `Sink` that enforces the byte limit and counts rows on the way, so an answer is never held as
terms first.
"""

from __future__ import annotations

from itertools import chain

import pyoxigraph as ox

from app.backends.sparql_text import oxigraph_dataset
from app.namespaces import PREFIX_MAP
from app.results import oxigraph_value

RESULT_FORMATS = {f.media_type.split(";")[0]: f for f in (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML,
                                                           ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV)}
RDF_FORMATS = {f.media_type: f for f in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.JSON_LD,
                                         ox.RdfFormat.RDF_XML)}
PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIX_MAP.items()}
TSV = ox.QueryResultsFormat.TSV
# Largest answer (IZA_MAX_RESULT_BYTES): Oxigraph's CONSTRUCT keeps every triple it has produced until the
# answer is done (about 6 bytes of memory per byte of Turtle written), so this bounds what a whole-graph
# CONSTRUCT holds before it is refused (bench/README.md, memory at 1M).
MAX_RESULT_BYTES = 20_000_000
# Bytes that pyoxigraph's writers put once per solution, and how many more (or fewer) there are than
# solutions: between two JSON solutions, before each XML one, after the header line and each row of CSV
# and TSV. They may also occur inside values, so the count is an upper bound of the rows written (TSV
# escapes line breaks, so there it is exact).
ROW_SEPARATORS = {ox.QueryResultsFormat.JSON: (b"},{", -1), ox.QueryResultsFormat.XML: (b"<result>", 0),
                  ox.QueryResultsFormat.CSV: (b"\n", 1), TSV: (b"\n", 1)}


class TooLarge(Exception):
    """More bytes than the limit."""


class TooManyRows(Exception):
    """More rows than asked for (perhaps: the count is an upper bound)."""


class Sink:
    """A binary file for the store's writers: keeps what they write, up to `max_bytes`, and stops them (by
    raising from write) past the byte limit or once `max_separators` row separators have gone by."""

    def __init__(self, max_bytes: int, separator: bytes | None = None, max_separators: int | None = None):
        self.chunks: list[bytes] = []
        self.size = 0
        self.max_bytes = max_bytes
        self.separator, self.max_separators = separator, max_separators
        self.separators = 0
        self._tail = b""  # a separator may straddle two writes

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.max_bytes:
            raise TooLarge()
        self.chunks.append(bytes(data))
        if self.separator is not None:
            window = self._tail + data
            self.separators += window.count(self.separator)
            self._tail = bytes(window[-(len(self.separator) - 1):]) if len(self.separator) > 1 else b""
            if self.separators > self.max_separators:
                raise TooManyRows()
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.chunks)


def first_rows_as_tsv(tsv: bytes, max_rows: int) -> bytes:
    """The header and the first `max_rows` solutions of a TSV answer (one line each)."""
    end = -1
    for _ in range(max_rows + 1):
        end = tsv.find(b"\n", end + 1)
        if end < 0:
            return tsv
    return tsv[: end + 1]


def serialized_solutions(solutions, run, results_format, max_rows: int, max_bytes: int) -> tuple[bytes, bool]:
    """SELECT answer bytes in `results_format`, at most `max_rows` solutions, and whether there were more.

    Usually one pass: the store writes the answer and the row separators stay within `max_rows`. When
    they do not (a long answer, or separators inside values), the query runs again, written as TSV (one
    line per solution, so the cut is exact), and the kept lines are parsed and written in the format
    asked for: still the store's writers, never a hand-made serialisation."""
    if results_format is not TSV:
        separator, more = ROW_SEPARATORS[results_format]
        sink = Sink(max_bytes, separator, max_rows + more)
        try:
            solutions.serialize(sink, format=results_format)
            return sink.getvalue(), False
        except TooManyRows:
            solutions = run()
    lines = Sink(max_bytes, b"\n", max_rows + 1)  # the header line and max_rows solutions, one line more
    try:
        solutions.serialize(lines, format=TSV)
        capped = False
    except TooManyRows:
        capped = True
    return first_rows(lines.getvalue(), max_rows, results_format), capped


def first_rows(tsv: bytes, max_rows: int, results_format) -> bytes:
    """The first `max_rows` solutions of a TSV answer, written in `results_format` by the store's writer."""
    kept = first_rows_as_tsv(tsv, max_rows)
    if results_format is TSV:
        return kept
    return ox.parse_query_results(kept, format=TSV).serialize(format=results_format)


def count_solutions(body: bytes, media_type: str) -> int | None:
    """How many solutions a SELECT answer holds (None for an ASK answer, or one that does not parse)."""
    try:
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.from_media_type(media_type))
        return sum(1 for _ in parsed) if isinstance(parsed, ox.QuerySolutions) else None
    except (SyntaxError, ValueError, OSError):
        return None


def encode(term) -> tuple:
    """A term as a plain tuple (app.backends.embedded.decode makes the rdflib term of it)."""
    if isinstance(term, ox.NamedNode):
        return ("u", term.value)
    if isinstance(term, ox.BlankNode):
        return ("b", term.value)
    if isinstance(term, ox.Literal):
        return ("l", term.value, term.language, term.datatype.value)
    raise TypeError(f"unsupported term {term!r}")


def answer(store: ox.Store, kind: str, text: str, default_graphs=None, named_graphs=None, media_type: str | None = None,
           max_rows: int = 10_000, max_bytes: int = MAX_RESULT_BYTES) -> tuple:
    """Run `text` on the dataset of `default_graphs` and `named_graphs` (both None: the union of the named
    graphs; see sparql_text.oxigraph_dataset) and answer as `kind` asks:

    - "serialize": (body, media type, capped) in `media_type`, by the store's writers;
    - "values": (variables, rows of Python values), at most `max_rows` + 1 rows (the caller sees there were more);
    - "select": (variables, rows of term tuples), likewise; "construct": triples as term tuples; "ask": bool.
    """
    dataset = oxigraph_dataset(default_graphs, named_graphs)

    def run():
        return store.query(text, **dataset)

    try:
        result = run()
        if kind == "serialize":
            return ("ok", serialize(result, run, media_type, max_rows, max_bytes))
        if kind == "ask":
            if not isinstance(result, ox.QueryBoolean):
                return ("backend", "not an ASK query")
            return ("ok", bool(result))
        if kind == "construct":
            if not isinstance(result, ox.QueryTriples):
                return ("backend", "not a CONSTRUCT or DESCRIBE query")
            return ("ok", bounded([(encode(t.subject), encode(t.predicate), encode(t.object)) for t in result],
                                  max_bytes, lambda triple: sum(len(term[1]) for term in triple) + 8))
        if not isinstance(result, ox.QuerySolutions):
            return ("backend", "not a SELECT query")
        variables = [v.value for v in result.variables]
        convert = oxigraph_value if kind == "values" else (lambda term: None if term is None else encode(term))
        rows = []
        for solution in result:  # a solution iterates over its values in the order of the variables
            rows.append(dict(zip(variables, map(convert, solution))))  # (by name: 3x slower)
            if len(rows) > max_rows:
                break  # the callers cut at max_rows; one row more tells them there were more
        if kind == "select":
            rows = [{name: term for name, term in row.items() if term is not None} for row in rows]
        # each value's text and 8 bytes of overhead, counted with builtins: a 50,000-row read is in the hot path
        size = sum(map(len, map(str, chain.from_iterable(map(dict.values, rows))))) + 8 * len(variables) * len(rows)
        if size > max_bytes:
            raise TooLarge()
        return ("ok", (variables, rows))
    except TooLarge:
        return ("too-large", max_bytes)
    except SyntaxError as error:
        return ("syntax", str(error))
    except (OSError, ValueError, TypeError) as error:
        return ("backend", str(error))


def bounded(items: list, max_bytes: int, size_of) -> list:
    if sum(size_of(item) for item in items) > max_bytes:
        raise TooLarge()
    return items


def serialize(result, run, media_type: str, max_rows: int, max_bytes: int) -> tuple[bytes, str, bool]:
    if isinstance(result, ox.QueryTriples):
        rdf_format = RDF_FORMATS.get(media_type)
        if rdf_format is None:
            raise ValueError(f"a CONSTRUCT or DESCRIBE answer cannot be written as {media_type}")
        sink = Sink(max_bytes)
        ox.serialize(result, sink, format=rdf_format, prefixes=PREFIXES)
        return sink.getvalue(), rdf_format.media_type, False
    results_format = RESULT_FORMATS.get(media_type)
    if results_format is None:
        raise ValueError(f"a SELECT or ASK answer cannot be written as {media_type}")
    if isinstance(result, ox.QueryBoolean):
        return result.serialize(format=results_format), results_format.media_type, False
    body, capped = serialized_solutions(result, run, results_format, max_rows, max_bytes)
    return body, results_format.media_type, capped
