"""The full-text index: SQLite FTS5 in memory, BM25-ranked, with facets and snippets.

One row per resource that has text. Each of its three fields (labels, descriptions, quotes) is indexed
twice: as written (for "phrases" and prefix*, diacritics folded by the `unicode61 remove_diacritics 2`
tokenizer) and as Dutch stems (for plain words, stemmed in Python by app.search.analysis, which FTS5
cannot do itself). Both copies read their content from the one original text (an external-content
view), and the stemmed copy has a token for every token of the original, so FTS5's own snippet()
highlights the original words wherever the match was found.
"""

from __future__ import annotations

import heapq
import html
import json
import os
import sqlite3
import threading
from collections import Counter
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from pathlib import Path

from app.search.analysis import Stems, match_expression, parse

FIELDS = ("labels", "texts", "quotes")
STEMMED = tuple(f"{name}_stem" for name in FIELDS)
WEIGHTS = (4.0, 2.0, 1.0, 4.0, 2.0, 1.0)  # a word in a label counts more than one in a description or quote
SNIPPET_TOKENS = 24
OPEN, CLOSE = "\x02", "\x03"
SEPARATOR = "\n"

SCHEMA = f"""
CREATE TABLE entry(id INTEGER PRIMARY KEY, iri TEXT NOT NULL, label TEXT, type TEXT,
                   {", ".join(f"{name} TEXT" for name in FIELDS)});
CREATE VIEW entry_content AS SELECT id, {", ".join(FIELDS)},
    {", ".join(f"{name} AS {stem}" for name, stem in zip(FIELDS, STEMMED))} FROM entry;
CREATE VIRTUAL TABLE search USING fts5({", ".join(FIELDS + STEMMED)}, content='entry_content', content_rowid='id',
                                       tokenize='unicode61 remove_diacritics 2');
"""


@dataclass
class Entry:
    """What the index knows of one resource: its texts per field and what a hit shows and is filtered by."""

    iri: str
    label: str | None
    type: str | None
    labels: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)  # slugs
    documents: list[str] = field(default_factory=list)  # IRIs


@dataclass
class Hit:
    resource: str
    label: str | None
    type: str | None
    regions: list[str]
    documents: list[str]
    snippet: str  # HTML: the text escaped, the matched words in <mark>
    text: str  # the same snippet as plain text
    score: float


@dataclass
class Answer:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]  # facet -> (value, count), most hits first


class SearchIndex:
    """Built once from entries (or opened from a saved copy); then only read, by any number of threads (one
    at a time)."""

    def __init__(self, entries: Sequence[Entry]):
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.lock = threading.Lock()
        # by rowid: what the filters and facets look at
        self._keep([list(e.regions) for e in entries], [[e.type] if e.type else [] for e in entries],
                   [list(e.documents) for e in entries])
        self.db.executescript(SCHEMA)
        stemmed = Stems()
        with self.db:
            self.db.executemany(
                f"INSERT INTO entry(id, iri, label, type, {', '.join(FIELDS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                ((n, e.iri, e.label, e.type, *(SEPARATOR.join(getattr(e, f)) for f in FIELDS)) for n, e in enumerate(entries)))
            self.db.executemany(
                f"INSERT INTO search(rowid, {', '.join(FIELDS + STEMMED)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                ((n, *texts, *(stemmed(t) for t in texts))
                 for n, e in enumerate(entries) for texts in [[SEPARATOR.join(getattr(e, f)) for f in FIELDS]]))
            self.db.execute("INSERT INTO search(search, rank) VALUES ('rank', ?)", (f"bm25({', '.join(map(str, WEIGHTS))})",))
            self.db.execute("INSERT INTO search(search) VALUES ('optimize')")

    def _keep(self, regions_of: list[list[str]], types_of: list[list[str]], documents_of: list[list[str]]) -> None:
        self.entries = len(regions_of)
        self.regions_of = [tuple(found) for found in regions_of]
        self.types_of = [tuple(found) for found in types_of]
        self.documents_of = [tuple(found) for found in documents_of]
        self.types = {t for found in self.types_of for t in found}
        self.documents = {d for found in self.documents_of for d in found}

    def save(self, path: Path, extra: dict) -> None:
        """The index and the lists beside it, with `extra` (JSON), in one SQLite file; written to a temporary
        file first, so a reader never opens half a file."""
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        partial.unlink(missing_ok=True)
        with self.lock, closing(sqlite3.connect(partial)) as file:
            self.db.backup(file)
            file.execute("CREATE TABLE saved(key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            lists = {"regions_of": self.regions_of, "types_of": self.types_of, "documents_of": self.documents_of}
            file.executemany("INSERT INTO saved VALUES (?, ?)",
                             [(key, json.dumps(value)) for key, value in {**lists, "extra": extra}.items()])
            file.commit()
        os.replace(partial, path)

    @classmethod
    def open(cls, path: Path) -> tuple["SearchIndex", dict]:
        """An index saved by `save`, read into memory, and its `extra`; raises sqlite3.Error, ValueError or
        KeyError for a file that is not one."""
        index = cls.__new__(cls)
        index.db = sqlite3.connect(":memory:", check_same_thread=False)
        index.lock = threading.Lock()
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as file:
            file.backup(index.db)
        saved = {key: json.loads(value) for key, value in index.db.execute("SELECT key, value FROM saved")}
        index.db.execute("DROP TABLE saved")
        index.db.execute("VACUUM")  # the pages of the saved lists are given back: memory as a fresh build's
        index._keep(saved["regions_of"], saved["types_of"], saved["documents_of"])
        return index, saved["extra"]

    @property
    def memory_bytes(self) -> int:
        """Bytes the index's database takes (its pages in memory)."""
        with self.lock:
            pages = self.db.execute("PRAGMA page_count").fetchone()[0]
            size = self.db.execute("PRAGMA page_size").fetchone()[0]
        return pages * size

    def search(self, q: str, regions: Sequence[str] = (), types: Sequence[str] = (), documents: Sequence[str] = (),
               page: int = 1, page_size: int = 20) -> Answer:
        """Hits for `q` (raises QuerySyntaxError) within the filters, best first; facets count every hit
        under the other filters, so each facet shows what choosing one of its values would give.

        The index is asked once, for every match and its score; filters and facets are counted here from
        lists held beside it (asking FTS5 to join them would look up each filtered resource's posting
        lists one by one)."""
        expression = match_expression(parse(q), " ".join(STEMMED), " ".join(FIELDS))
        with self.lock:
            matches = self.db.execute("SELECT rowid, rank FROM search WHERE search MATCH ?", [expression]).fetchall()
            wanted = {"region": set(regions), "type": set(types), "document": set(documents)}
            keys = {"region": self.regions_of, "type": self.types_of, "document": self.documents_of}
            ids = [rowid for rowid, _ in matches]

            def within(filters: list[str]) -> list[int]:
                return [rowid for rowid in ids if all(not wanted[f].isdisjoint(keys[f][rowid]) for f in filters)]

            active = [name for name, values in wanted.items() if values]
            facets: dict[str, list[tuple[str, int]]] = {}
            for name, of in keys.items():
                counted = Counter(chain.from_iterable(map(of.__getitem__, within([f for f in active if f != name]))))
                facets[name] = sorted(counted.items(), key=lambda item: (-item[1], item[0]))
            kept = set(within(active)) if active else None
            selected = matches if kept is None else [match for match in matches if match[0] in kept]
            ranked = heapq.nsmallest(page * page_size, selected, key=itemgetter(1, 0))
            hits = self._hits(expression, ranked[(page - 1) * page_size:])
        return Answer(len(selected), hits, facets)

    def _hits(self, expression: str, ranked: list[tuple[int, float]]) -> list[Hit]:
        if not ranked:
            return []
        ids = [rowid for rowid, _ in ranked]
        marks = ", ".join("?" * len(ids))
        snippets = dict(self.db.execute(
            f"SELECT rowid, snippet(search, -1, ?, ?, '…', ?) FROM search WHERE search MATCH ? AND rowid IN ({marks})",
            [OPEN, CLOSE, SNIPPET_TOKENS, expression, *ids]))
        rows = {row[0]: row for row in self.db.execute(f"SELECT id, iri, label, type FROM entry WHERE id IN ({marks})", ids)}
        hits = []
        for rowid, score in ranked:
            _, iri, label, type_ = rows[rowid]
            raw = snippets.get(rowid, "").replace(SEPARATOR, " … ")
            hits.append(Hit(iri, label, type_, list(self.regions_of[rowid]), list(self.documents_of[rowid]), highlighted(raw),
                            raw.replace(OPEN, "").replace(CLOSE, ""), round(-score, 4)))
        return hits


def highlighted(raw: str) -> str:
    """FTS5's snippet with its marks as <mark> and everything else escaped."""
    return html.escape(raw).replace(OPEN, "<mark>").replace(CLOSE, "</mark>")
