"""The project's copies of what the graph is derived from (sources/), and how quotes are matched in them.

    sources/documents/   the plain-text source documents (named by iza:seedFile in data/sources.ttl)
    sources/reference/   the identifier lists data/reference/ is generated from (python -m app.reference)
    sources/dcat-ap-nl-3.0/  the official DCAT-AP-NL 3.0 shapes the catalogue is checked against
    sources/SHA256SUMS   the SHA-256 of every vendored file (`sha256sum -c SHA256SUMS` in sources/)

A quote is any literal whose predicate's local name ends in "quote" (or "citaat"/"excerpt"). It must
occur verbatim in its document, after folding: Unicode NFC, typographic quotes and dashes to ASCII, soft
hyphens removed, no-break spaces to spaces, runs of white space to one space, lower case. Nothing else
(a word hyphenated across a line break stays "regio- opgaven"). These are the rules of the shared
`check_quotes.py`, which this module replaces inside the project.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from app.paths import ROOT

SOURCES_DIR = ROOT / "sources"
DOCUMENTS_DIR = SOURCES_DIR / "documents"
REFERENCE_DIR = SOURCES_DIR / "reference"
DCAT_AP_NL_DIR = SOURCES_DIR / "dcat-ap-nl-3.0"
CHECKSUMS = SOURCES_DIR / "SHA256SUMS"

QUOTE_PROPERTY = re.compile(r"(quote|citaat|excerpt)$", re.IGNORECASE)
FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                      "\u2014": "-", "\u00ad": None, "\u00a0": " "})
WHITE_SPACE = re.compile(r"\s")


def local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def is_quote_property(iri: str) -> bool:
    return bool(QUOTE_PROPERTY.search(local_name(iri)))


def fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(FOLD)
    return re.sub(r"\s+", " ", text).strip().lower()


@dataclass(frozen=True)
class FoldedText:
    """A text folded for matching, with the position in the (NFC) text of every folded character."""

    text: str
    folded: str
    origin: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> "FoldedText":
        text = unicodedata.normalize("NFC", text)
        out: list[str] = []
        origin: list[int] = []
        for position, char in enumerate(text):
            char = char.translate(FOLD)
            if not char:
                continue
            if WHITE_SPACE.match(char):
                if out and out[-1] == " ":
                    continue
                char = " "
            for lowered in char.lower():
                out.append(lowered)
                origin.append(position)
        return cls(text, "".join(out), tuple(origin))

    def find_all(self, quote: str) -> list[tuple[int, int]]:
        """Every (start, end) in the text where `quote` occurs after folding (overlaps included)."""
        wanted = fold(quote)
        spans: list[tuple[int, int]] = []
        if not wanted:
            return spans
        start = self.folded.find(wanted)
        while start >= 0:
            end = start + len(wanted) - 1
            spans.append((self.origin[start], self.origin[end] + 1))
            start = self.folded.find(wanted, start + 1)
        return spans


@dataclass(frozen=True)
class SourceDocument:
    """A source document of the graph and its text in sources/documents/."""

    iri: str
    file: str  # iza:seedFile, e.g. 002_6715002c13a8185c.txt
    labels: dict = field(default_factory=dict, compare=False, hash=False)  # language -> label
    directory: Path = DOCUMENTS_DIR

    @property
    def slug(self) -> str:
        return self.iri.rstrip("/").rsplit("/", 1)[-1]

    @property
    def stem(self) -> str:
        return self.file.rsplit(".", 1)[0]

    @property
    def path(self) -> Path:
        return self.directory / self.file

    def label(self, lang: str = "nl") -> str:
        return self.labels.get(lang) or next(iter(self.labels.values()), self.slug)

    def names(self) -> set[str]:
        """What a user may call it: slug, file name, stem and the number in front (002)."""
        return {self.slug, self.file, self.stem, self.stem.split("_")[0]}

    @cached_property
    def text(self) -> FoldedText:
        stat = self.path.stat()
        return _folded_file(self.path, stat.st_size, stat.st_mtime_ns)

    @cached_property
    def line_starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.text.text)]

    def line_of(self, position: int) -> int:
        return bisect_right(self.line_starts, position)


@lru_cache(maxsize=32)
def _folded_file(path: Path, size: int, mtime_ns: int) -> FoldedText:
    """Folded once per version of the file (size and mtime are the key), not per request."""
    return FoldedText.of(path.read_text(encoding="utf-8"))


def documents_mentioned(words: list[str], documents: list[SourceDocument]) -> list[SourceDocument]:
    """The documents a source resource names, by seed file stem or its hash, in its IRI or any value."""
    return [d for d in documents if any(d.stem in w or d.stem.split("_")[-1] in w for w in words)]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def recorded_checksums(path: Path = CHECKSUMS) -> dict[str, str]:
    """sources/SHA256SUMS as {relative path: hex digest}."""
    sums = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if digest and name:
            sums[name] = digest
    return sums


def checksum_mismatches(directory: Path = SOURCES_DIR) -> list[str]:
    """One message per vendored file that is missing or differs from its recorded SHA-256."""
    problems = []
    for name, digest in sorted(recorded_checksums(directory / "SHA256SUMS").items()):
        path = directory / name
        if not path.is_file():
            problems.append(f"{path}: missing (listed in SHA256SUMS)")
        elif sha256(path) != digest:
            problems.append(f"{path}: SHA-256 {sha256(path)} differs from {digest} in SHA256SUMS")
    return problems
