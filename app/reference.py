"""Build data/reference/*.ttl from the checked identifier lists in sources/reference/.

Run `python -m app.reference [REFERENCE_DIR]` after the reference lists change. Only identifiers and
names are taken from them: which municipality lies in which zorgkantoorregio comes from the source
documents, never from here.
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from app.namespaces import IZA, PREFIX_MAP, id_iri
from app.paths import ROOT

DEFAULT_REFERENCE_DIR = ROOT / "sources" / "reference"
OUT_DIR = ROOT / "data" / "reference"

# The regions whose plans are modelled are named as their plans name them (docs/modelling.md, "Names and
# labels"): label and IRI. The documents' wording is quoted in data/<region>/regio.ttl.
REGION_NAMES = {"ZK21": "Gooi en Vechtstreek", "ZK23": "Midden-Nederland", "ZK17": "Noord- en Midden-Limburg"}
# Another region keeps its CBS name, unless a municipality has that name ("Amsterdam"): then the label says
# what it is, as the documents do ("zorgkantoorregio Utrecht"). Labels are Dutch only: no document gives
# the regions an English name.
CLASH_PREFIX = "zorgkantoorregio "
ZK_SOURCE = URIRef(id_iri("referentie", "cbs-zorgkantoorregios-2024"))
TOOI_SOURCE = URIRef(id_iri("referentie", "tooi-gemeenten"))
MODELLED = URIRef(id_iri("modelleerstatus", "gemodelleerd"))
NOT_MODELLED = URIRef(id_iri("modelleerstatus", "niet-gemodelleerd"))


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def _new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIX_MAP.items():
        graph.bind(prefix, namespace)
    return graph


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _record(row: dict[str, str]) -> Literal:
    return Literal(",".join(row.values()))


def municipality_names(reference_dir: Path) -> set[str]:
    """Every name of an active municipality (voorkeursnaam and naam), lower-cased."""
    return {row[key].lower() for row in _rows(reference_dir / "tooi_gemeenten.csv")
            if row["actief_op_2023_01_01"] == "ja" for key in ("voorkeursnaam", "naam")}


def region_label(code: str, cbs_name: str, taken: set[str]) -> str:
    """The region's rdfs:label and skos:prefLabel: its plans' name, else the CBS name made distinct from every
    municipality name."""
    if code in REGION_NAMES:
        return REGION_NAMES[code]
    return CLASH_PREFIX + cbs_name if cbs_name.lower() in taken else cbs_name


def zorgkantoorregios(reference_dir: Path) -> Graph:
    graph = _new_graph()
    taken = municipality_names(reference_dir)
    for row in _rows(reference_dir / "cbs_zorgkantoorregios_2024.csv"):
        code, cbs_name = row["statcode"], row["statnaam"]
        label = region_label(code, cbs_name, taken)
        slug = slugify(label if code in REGION_NAMES else cbs_name)
        region = URIRef(id_iri("regio", slug))
        graph.add((region, RDF.type, IZA.ZorgkantoorRegion))
        graph.add((region, RDFS.label, Literal(label, lang="nl")))
        graph.add((region, SKOS.prefLabel, Literal(label, lang="nl")))
        if cbs_name != label:  # SKOS: a preferred label is never also an alternative one
            graph.add((region, SKOS.altLabel, Literal(cbs_name, lang="nl")))
        graph.add((region, IZA.cbsName, Literal(cbs_name)))
        graph.add((region, IZA.cbsCode, Literal(code)))
        graph.add((region, IZA.slug, Literal(slug)))
        graph.add((region, IZA.planStatus, MODELLED if code in REGION_NAMES else NOT_MODELLED))
        graph.add((region, PROV.wasDerivedFrom, ZK_SOURCE))
        graph.add((region, IZA.sourceRecord, _record(row)))
    return graph


def gemeenten(reference_dir: Path) -> Graph:
    graph = _new_graph()
    for row in _rows(reference_dir / "tooi_gemeenten.csv"):
        if row["actief_op_2023_01_01"] != "ja":
            continue
        slug = slugify(row["voorkeursnaam"])
        municipality = URIRef(id_iri("gemeente", slug))
        graph.add((municipality, RDF.type, IZA.Municipality))
        graph.add((municipality, RDFS.label, Literal(row["voorkeursnaam"], lang="nl")))
        if row["naam"] != row["voorkeursnaam"]:
            graph.add((municipality, SKOS.altLabel, Literal(row["naam"], lang="nl")))
        graph.add((municipality, IZA.cbsCode, Literal(row["cbs_gm_code"])))
        graph.add((municipality, IZA.slug, Literal(slug)))
        graph.add((municipality, SKOS.exactMatch, URIRef(row["tooi_uri"])))
        graph.add((municipality, DCTERMS.spatial, URIRef(row["provincie_tooi_uri"])))
        graph.add((municipality, PROV.wasDerivedFrom, TOOI_SOURCE))
        graph.add((municipality, IZA.sourceRecord, _record(row)))
    return graph


def main(argv: list[str]) -> int:
    reference_dir = Path(argv[0]) if argv else DEFAULT_REFERENCE_DIR
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    header = "# Generated by `python -m app.reference` from {}; do not edit by hand.\n"
    for name, build, source in (
        ("zorgkantoorregios.ttl", zorgkantoorregios, "cbs_zorgkantoorregios_2024.csv"),
        ("gemeenten.ttl", gemeenten, "tooi_gemeenten.csv"),
    ):
        graph = build(reference_dir)
        text = graph.serialize(format="turtle")
        (OUT_DIR / name).write_text(header.format(source) + text, encoding="utf-8")
        print(f"{OUT_DIR / name}: {len(graph)} triples")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
