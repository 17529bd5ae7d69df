"""HTML documentation of the ontology, generated with pyLODE, and where each term is in it.

    python -m app.ontology_docs [OUT_DIR]      # writes OUT_DIR/index.html (default: build/def/)

`iza-kg export --all DIR` also writes it, to DIR/def/index.html. The server serves it under /def/ and
sends a browser asking for a term (/def/Regioplan) to the term's anchor there. Every file of ontology/
(all its .ttl files) goes into one graph, so every class and property is documented
with its labels, definition, domain and range. The page is generated, never edited by hand.

pyLODE is pinned to 3.2.1: the 3.4.1 wheel reads a pyproject.toml it does not ship.
"""

from __future__ import annotations

import html
import json
import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from app.loader import ROOT, load_project

log = logging.getLogger(__name__)

ONTOLOGY_DIR = ROOT / "ontology"
DEFAULT_OUT = ROOT / "build" / "def"
# <div class="property entity" id="ZorgkantoorRegion"> ... <th>IRI</th> <td> <code>https://...</code>
ENTITY = re.compile(r'<div class="[^"]*\bentity\b[^"]*" id="([^"]+)">.*?<th>IRI</th>\s*<td>\s*<code>([^<]+)</code>',
                    re.DOTALL)


def ontology_graph(directory: Path = ONTOLOGY_DIR) -> Graph:
    """All ontology files in one rdflib Graph (parsed by the project's loader, so errors read the same)."""
    return load_project([directory]).union_graph()


SCHEMA_ORG_BLOCK = re.compile(r'(<script id="schema.org" type="application/ld\+json">)(.*?)(</script>)', re.DOTALL)


def _stable_schema_org(page: str) -> str:
    """pyLODE writes its schema.org JSON-LD block in set order; sort it so the page is the same every run."""
    from app.publication import _normalise_jsonld

    def sort_block(match: re.Match) -> str:
        try:
            data = json.loads(match.group(2))
        except ValueError:
            return match.group(0)
        text = json.dumps(_normalise_jsonld(data), sort_keys=True, ensure_ascii=False, indent=2)
        return match.group(1) + text.replace("</", "<\\/") + match.group(3)

    return SCHEMA_ORG_BLOCK.sub(sort_block, page)


def generate_html(graph: Graph | None = None) -> str:
    from pylode import OntPub  # imported here: pyLODE is slow to import and only needed to build

    logging.getLogger("root").setLevel(max(logging.getLogger("root").level, logging.WARNING))
    return _stable_schema_org(OntPub(ontology=graph if graph is not None else ontology_graph()).make_html())


def anchors(page: str) -> dict[str, str]:
    """Term IRI -> id of its section in a pyLODE page."""
    found: dict[str, str] = {}
    for anchor, iri in ENTITY.findall(page):
        found.setdefault(html.unescape(iri.strip()), html.unescape(anchor))
    return found


@dataclass
class OntologyDocs:
    html: str
    anchors: dict[str, str]

    @classmethod
    def build(cls, graph: Graph | None = None) -> "OntologyDocs":
        page = generate_html(graph)
        return cls(page, anchors(page))

    @classmethod
    def load_or_build(cls, directory: Path = DEFAULT_OUT) -> "OntologyDocs":
        """The page from `directory` when it is newer than every ontology file, else freshly generated."""
        page_path = directory / "index.html"
        sources = [p for p in ONTOLOGY_DIR.rglob("*.ttl")]
        if page_path.is_file() and all(page_path.stat().st_mtime >= p.stat().st_mtime for p in sources):
            page = page_path.read_text(encoding="utf-8")
            return cls(page, anchors(page))
        return cls.build()

    def write(self, directory: Path = DEFAULT_OUT) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "index.html"
        path.write_text(self.html, encoding="utf-8")
        return path


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    docs = OntologyDocs.build()
    path = docs.write(out)
    print(f"wrote {path} ({len(docs.anchors)} terms)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
