"""IRIs that changed, and how to carry a change through the project's files.

`data/iri-changes.ttl` is the single table of renamed IRIs: one `<new> dcterms:replaces <old>` per change.
It is loaded like every data file, so the dumps state it, and the linked-data routes answer the old IRI
with 301 to the new one (app.api.routes.linked_data). A rename is made by adding its line there and
running

    python -m app.iri_changes [FILE ...]     # default: data/ ontology/ queries/ shapes/ tests/ docs/ app/

which rewrites every occurrence of an old IRI into the new one: in Turtle files also the prefixed form
(`thema:gv-ggz`), written with the file's prefix for the new namespace, or one it declares (PREFERRED_PREFIXES).
Running it twice changes nothing the second time, so files other branches add can be rewritten later.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import DCTERMS

ROOT = Path(__file__).resolve().parent.parent
CHANGES_FILE = ROOT / "data" / "iri-changes.ttl"
DEFAULT_TARGETS = ("data", "ontology", "queries", "shapes", "tests", "docs", "app")
TEXT_SUFFIXES = {".ttl", ".rq", ".py", ".md", ".html", ".js", ".json", ".trig", ".nt"}
# The prefix a Turtle file gets for a new namespace it has no prefix for yet.
PREFERRED_PREFIXES = {
    "https://w3id.org/iza-kg/id/plan-thema/": "planthema",
    "https://w3id.org/iza-kg/id/opgave-transformatie/": "otr",
    "https://w3id.org/iza-kg/id/werkagendapunt/": "punt",
}
PREFIX_LINE = re.compile(r"^@prefix[ \t]+([\w-]*):[ \t]*<([^>]*)>[ \t]*\.[ \t]*$", re.MULTILINE)
LOCAL_END = r"(?![\w-])"  # a prefixed name or IRI string goes on no further


def load_changes(path: Path = CHANGES_FILE) -> dict[str, str]:
    """old IRI -> new IRI, from the `dcterms:replaces` statements of the changes file."""
    graph = Graph().parse(path, format="turtle")
    return {str(old): str(new) for new, old in graph.subject_objects(DCTERMS.replaces)}


def _namespace(iri: str) -> tuple[str, str]:
    namespace, _, local = iri.rpartition("/")
    return namespace + "/", local


def rewrite_turtle(text: str, changes: dict[str, str]) -> str:
    prefixes = {prefix: namespace for prefix, namespace in PREFIX_LINE.findall(text)}
    added: dict[str, str] = {}
    for old, new in changes.items():
        new_namespace, new_local = _namespace(new)
        known = {namespace: prefix for prefix, namespace in (prefixes | added).items()}
        uses = [prefix for prefix, namespace in prefixes.items() if old.startswith(namespace)]
        if not (f"<{old}>" in text or any(re.search(rf"(?<![\w:/<-]){re.escape(p)}:{re.escape(old[len(prefixes[p]):])}{LOCAL_END}", text)
                                            for p in uses)):
            continue
        prefix = known.get(new_namespace)
        if prefix is None and new_namespace in PREFERRED_PREFIXES and PREFERRED_PREFIXES[new_namespace] not in prefixes:
            prefix = PREFERRED_PREFIXES[new_namespace]
            added[prefix] = new_namespace
        replacement = f"{prefix}:{new_local}" if prefix is not None else f"<{new}>"
        text = text.replace(f"<{old}>", replacement)
        for p in uses:
            local = old[len(prefixes[p]):]
            text = re.sub(rf"(?<![\w:/<-]){re.escape(p)}:{re.escape(local)}{LOCAL_END}", replacement, text)
    if added:
        declarations = "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in added.items())
        last = list(PREFIX_LINE.finditer(text))[-1]
        text = text[: last.end() + 1] + declarations + text[last.end() + 1:]
    return text


def rewrite_text(text: str, changes: dict[str, str]) -> str:
    for old, new in changes.items():
        text = re.sub(re.escape(old) + LOCAL_END, new, text)
    return text


def rewrite_file(path: Path, changes: dict[str, str]) -> bool:
    """Rewrite one file in place; True if it changed."""
    text = path.read_text(encoding="utf-8")
    new = rewrite_turtle(text, changes) if path.suffix == ".ttl" else rewrite_text(text, changes)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def files_under(paths) -> list[Path]:
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES))
        elif path.is_file():
            found.append(path)
    return [p for p in found if p.resolve() != CHANGES_FILE.resolve() and p.resolve() != Path(__file__).resolve()]


def main(argv: list[str]) -> int:
    changes = load_changes()
    for path in files_under(argv or [ROOT / target for target in DEFAULT_TARGETS]):
        if rewrite_file(path, changes):
            print(f"rewrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
