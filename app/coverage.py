"""How much of each source document the graph cites: the passages its quotes touch, per sentence.

The rule, applied the same way to every document (docs/pages.md#source-documents repeats it):

1. **Furniture.** A line is page furniture, not content, when it is
   - short and repeated: under 40 characters (folded) and occurring 3 or more times in the document
     (running headers and footers, navigation tabs on every page, labels such as "Stappen:"), or
   - a contents entry: text, a dot leader (4+ dots or 2+ ellipses) and a page number, or
   - a page or list number alone: one to three digits and nothing else.
   Furniture lines are shown but never counted, and they end the sentence before them.
2. **Sentences.** The rest is split into sentences: a blank line, a furniture line, a line that starts
   with a list marker (•, -, –, ▪, ●, ·, "1.", "1.1", "a)"), and a line that starts with a capital after a
   short line (under 40 characters) without closing punctuation (a heading) start a new one; within a
   paragraph a sentence ends after ".", "!", "?" or "…" followed by white space.
3. **Counted.** A sentence of 40 or more characters (folded) is substantive and counted; shorter ones
   (headings, table cells, stray words) are shown but not counted.
4. **Cited.** A sentence is cited when a quote of the graph, searched in this document as `iza-kg check`
   searches it, occurs (folded) anywhere inside or across it. Every occurrence counts, so a passage the
   document repeats is cited wherever it stands.

Coverage = cited counted sentences / counted sentences. Anchors `s-<n>` number every sentence, counted
or not, in document order; they are stable while the text and this rule are.
"""

from __future__ import annotations

import csv
import io
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from app.quotes import Citations, Quote
from app.sources import SourceDocument, fold

MIN_SENTENCE = 40
REPEATED = 3
LIST_MARKER = re.compile(r"^\s*(?:[•\-–▪●·]|\d+(?:\.\d+)*[.)]?\s|[a-z]\)\s)")
CONTENTS_LEADER = re.compile(r"(?:\.\s?){4,}\s*\d+\s*$|…{2,}\s*\d+\s*$")  # after some text: see _contents_entry
NUMBER_ONLY = re.compile(r"^\s*\d{1,3}\s*$")
SENTENCE_END = re.compile(r"[.!?…]['\")\]]?(?=\s)")


@dataclass
class Sentence:
    number: int
    start: int
    end: int
    line: int
    text: str
    counted: bool
    citing: dict[str, str] = field(default_factory=dict)  # resource IRI -> label

    @property
    def anchor(self) -> str:
        return f"s-{self.number}"

    @property
    def cited(self) -> bool:
        return bool(self.citing)


@dataclass
class Mark:
    """A stretch of the text that quotes cite, with the resources citing it."""

    start: int
    end: int
    citing: dict[str, str]


@dataclass
class Coverage:
    document: SourceDocument
    sentences: list[Sentence]
    marks: list[Mark]
    furniture: list[tuple[int, int]]  # (start, end) of furniture lines

    @property
    def counted(self) -> list[Sentence]:
        return [s for s in self.sentences if s.counted]

    @property
    def cited(self) -> list[Sentence]:
        return [s for s in self.counted if s.cited]

    @property
    def uncited(self) -> list[Sentence]:
        return [s for s in self.counted if not s.cited]

    @property
    def share(self) -> float:
        return len(self.cited) / len(self.counted) if self.counted else 0.0

    def summary(self, base_path: str = "") -> dict:
        doc = self.document
        return {
            "document": doc.iri, "slug": doc.slug, "file": f"sources/documents/{doc.file}", "label": doc.label("nl"),
            "sentences": len(self.sentences), "counted": len(self.counted), "cited": len(self.cited),
            "share": round(self.share, 4), "furnitureLines": len(self.furniture),
            "rule": "sentences of 40+ characters, page furniture excluded (docs/pages.md#source-documents)",
            "uncited": [{"anchor": s.anchor, "url": f"{base_path}#{s.anchor}" if base_path else None,
                         "line": s.line, "text": s.text} for s in self.uncited],
        }

    def csv(self) -> str:
        """One row per counted sentence: anchor, line, cited, the citing resources, the text."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(["anchor", "line", "cited", "citing", "text"])
        for s in self.counted:
            writer.writerow([s.anchor, s.line, "yes" if s.cited else "no", " ".join(sorted(s.citing)), s.text])
        return buffer.getvalue()

    def pieces(self, start: int, end: int) -> list[tuple[str, dict[str, str]]]:
        """The text from start to end cut where the citing set changes: (text, resources citing it)."""
        cuts = {start, end}
        for mark in self.marks:
            if mark.end > start and mark.start < end:
                cuts.update(p for p in (mark.start, mark.end) if start < p < end)
        bounds = sorted(cuts)
        text = self.document.text.text
        out: list[tuple[str, dict[str, str]]] = []
        for left, right in zip(bounds, bounds[1:]):
            citing: dict[str, str] = {}
            for mark in self.marks:
                if mark.start < right and mark.end > left:
                    citing.update(mark.citing)
            if out and out[-1][1] == citing:
                out[-1] = (out[-1][0] + text[left:right], citing)
            else:
                out.append((text[left:right], citing))
        return out

    def blocks(self) -> list[tuple[str, object]]:
        """The whole text in order: ("sentence", Sentence) and ("plain", (start, end)) for what lies between."""
        out: list[tuple[str, object]] = []
        position = 0
        for sentence in self.sentences:
            if sentence.start > position:
                out.append(("plain", (position, sentence.start)))
            out.append(("sentence", sentence))
            position = sentence.end
        if position < len(self.document.text.text):
            out.append(("plain", (position, len(self.document.text.text))))
        return out


def furniture_lines(text: str) -> list[tuple[int, int]]:
    lines = list(_lines(text))
    counts = Counter(fold(line) for _, _, line in lines)
    furniture = []
    for start, end, line in lines:
        folded = fold(line)
        if not folded:
            continue
        if (len(folded) < MIN_SENTENCE and counts[folded] >= REPEATED) or _contents_entry(line) or NUMBER_ONLY.match(line):
            furniture.append((start, end))
    return furniture


def _contents_entry(line: str) -> bool:
    leader = CONTENTS_LEADER.search(line)
    return bool(leader) and any(char.isalpha() for char in line[:leader.start()])


def sentences(document: SourceDocument, furniture: list[tuple[int, int]]) -> list[Sentence]:
    text = document.text.text
    skip = {start for start, _ in furniture}
    paragraphs: list[tuple[int, int]] = []
    current: list[int] | None = None
    previous = ""
    for start, end, line in _lines(text):
        if start in skip or not line.strip():
            current = None
            continue
        if current is None or LIST_MARKER.match(line) or _heading_before(previous, line):
            current = [start, end]
            paragraphs.append(current)  # type: ignore[arg-type]
        else:
            current[1] = end
        previous = line
    found: list[Sentence] = []
    for start, end in paragraphs:
        piece_start = start
        for match in SENTENCE_END.finditer(text, start, end):
            _add(found, document, piece_start, match.end())
            piece_start = match.end()
        _add(found, document, piece_start, end)
    return found


def _heading_before(previous: str, line: str) -> bool:
    """A short line without closing punctuation, followed by one that starts with a capital: a heading."""
    previous = previous.strip()
    return (0 < len(fold(previous)) < MIN_SENTENCE and previous[-1] not in ".,;:!?-–("
            and line.strip()[:1].isupper())


def _add(found: list[Sentence], document: SourceDocument, start: int, end: int) -> None:
    text = document.text.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return
    folded = fold(text[start:end])
    found.append(Sentence(len(found) + 1, start, end, document.line_of(start), " ".join(text[start:end].split()),
                          len(folded) >= MIN_SENTENCE))


def _lines(text: str):
    position = 0
    for line in text.split("\n"):
        yield position, position + len(line), line
        position += len(line) + 1


def measure(document: SourceDocument, quotes: list[Quote]) -> Coverage:
    """The coverage of one document by the given quotes (those whose search includes this document)."""
    furniture = furniture_lines(document.text.text)
    found = sentences(document, furniture)
    marks = []
    for quote in quotes:
        for start, end in document.text.find_all(quote.text):
            marks.append(Mark(start, end, {quote.resource: quote.label}))
    marks.sort(key=lambda m: (m.start, m.end))
    starts = [s.start for s in found]
    for mark in marks:
        index = max(bisect_right(starts, mark.start) - 1, 0)
        while index < len(found) and found[index].start < mark.end:
            if found[index].end > mark.start:
                found[index].citing.update(mark.citing)
            index += 1
    return Coverage(document, found, marks, furniture)


def measure_all(citations: Citations) -> list[Coverage]:
    per_document: dict[str, list[Quote]] = {d.iri: [] for d in citations.documents}
    for quote in citations.quotes:
        for document in citations.documents_of(quote):
            per_document[document.iri].append(quote)
    return [measure(d, per_document[d.iri]) for d in citations.documents]
