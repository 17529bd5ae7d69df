"""Every namespace the project uses, in one place; queries and tests reuse PREFIXES."""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, VANN, XSD

BASE = "https://w3id.org/iza-kg/"
IZA = Namespace(BASE + "def/")
ID = Namespace(BASE + "id/")
SCHEMA = Namespace("https://schema.org/")
SOSA = Namespace("http://www.w3.org/ns/sosa/")
QB = Namespace("http://purl.org/linked-data/cube#")
UNIT = Namespace("http://qudt.org/vocab/unit/")
SH = Namespace("http://www.w3.org/ns/shacl#")
TOOI_GEMEENTE = Namespace("https://identifier.overheid.nl/tooi/id/gemeente/")
IZASH = Namespace(BASE + "shapes/")  # the SHACL shapes of shapes/ (prefix izash:)

# Dataset description (DCAT-AP-NL, VoID) and the EU controlled vocabularies it uses.
VOID = Namespace("http://rdfs.org/ns/void#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
EU_COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
EU_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
EU_ACCESS = Namespace("http://publications.europa.eu/resource/authority/access-right/")

PREFIX_MAP = {
    "dcat": DCAT,
    "dcterms": DCTERMS,
    "foaf": FOAF,
    "iza": IZA,
    "org": ORG,
    "owl": OWL,
    "prov": PROV,
    "qb": QB,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "sh": SH,
    "skos": SKOS,
    "sosa": SOSA,
    "time": TIME,
    "unit": UNIT,
    "vann": VANN,
    "xsd": XSD,
}

PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(PREFIX_MAP.items()))


def id_iri(kind: str, slug: str) -> str:
    """The IRI of a thing under /id/{kind}/{slug}, the project's URI pattern."""
    return f"{ID}{kind}/{slug}"
