"""Where each resource's quotes stand in its source documents: the passages a search hit links to.

A passage is a sentence of the coverage view (app.coverage numbers them; /sources/{doc}#s-<n> shows
one), found as the coverage finds it: the quote, folded, searched in the text of each document the
resource is derived from. Documents without a text in sources/documents/ (a remote graph may name
others) have no passages.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from app.backends import Backend
from app.coverage import Sentence, furniture_lines, sentences
from app.queries import QueryLibrary
from app.search.index import Entry
from app.sources import SourceDocument


@dataclass(frozen=True, order=True)
class Passage:
    document: str  # IRI
    number: int  # the sentence's number in the document (its anchor is s-<number>)
    line: int
    slug: str

    @property
    def anchor(self) -> str:
        return f"s-{self.number}"

    @property
    def path(self) -> str:
        return f"/sources/{self.slug}#{self.anchor}"


def read_documents(backend: Backend, library: QueryLibrary) -> list[SourceDocument]:
    """The source documents the graph names with a text file that the project holds."""
    rows = backend.values(library.get("source-documents").text).rows
    documents = [SourceDocument(str(row["document"]), str(row["file"])) for row in rows]
    return [document for document in documents if document.path.is_file()]


class SentenceFinder:
    """The first sentence of a document that a stretch of its text overlaps (as the coverage marks it)."""

    def __init__(self, document: SourceDocument):
        self.sentences: list[Sentence] = sentences(document, furniture_lines(document.text.text))
        self.ends = [sentence.end for sentence in self.sentences]

    def first_in(self, start: int, end: int) -> Sentence | None:
        index = bisect_right(self.ends, start)
        if index < len(self.sentences) and self.sentences[index].start < end:
            return self.sentences[index]
        return None  # the stretch lies in page furniture


def locate(entries: Iterable[Entry], documents: list[SourceDocument]) -> dict[str, list[Passage]]:
    """resource IRI -> the passages its quotes stand in, in document and text order."""
    by_iri = {document.iri: document for document in documents}
    finders: dict[str, SentenceFinder] = {}
    found: dict[str, set[Passage]] = defaultdict(set)
    for entry in entries:
        for iri in entry.documents:
            document = by_iri.get(iri)
            if document is None or not entry.quotes:
                continue
            finder = finders.get(iri) or finders.setdefault(iri, SentenceFinder(document))
            for quote in entry.quotes:
                for start, end in document.text.find_all(quote):
                    sentence = finder.first_in(start, end)
                    if sentence is not None:
                        found[entry.iri].add(Passage(iri, sentence.number, sentence.line, document.slug))
    return {iri: sorted(passages) for iri, passages in found.items()}
