"""DCAT-AP-NL conformance, VoID counts equal to SPARQL counts, deterministic `iza-kg export --all`."""

from __future__ import annotations

import gzip
import hashlib
import os
import subprocess
import sys

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from app.loader import ROOT
from app.namespaces import BASE
from app.namespaces import SPDX, VOID
from app.publication import DUMPS, build_publication
from app.sources import DCAT_AP_NL_DIR as DCAT_AP_NL

SH = "http://www.w3.org/ns/shacl#"
# Recommended properties that do not apply: a file needs no access service, an endpoint has no download URL.
ACCEPTED_WARNINGS = {(str(DCAT.accessService), f"dist-{d.name}") for d in DUMPS} | {(str(DCAT.downloadURL), "dist-sparql")}


@pytest.fixture(scope="module")
def publication(project, backend):
    return build_publication(project, backend=backend)


def test_the_catalogue_conforms_to_dcat_ap_nl_3(publication):
    from pyshacl import validate

    shapes = Graph()
    for path in sorted(DCAT_AP_NL.glob("*.ttl")):
        shapes.parse(path)
    assert len(list(DCAT_AP_NL.glob("*.ttl"))) == 4
    _, report, text = validate(publication.catalog, shacl_graph=shapes, inference="rdfs")
    results = list(report.subjects(RDF.type, URIRef(SH + "ValidationResult")))
    violations = [r for r in results if report.value(r, URIRef(SH + "resultSeverity")) == URIRef(SH + "Violation")]
    assert violations == [], text
    warnings = {(str(report.value(r, URIRef(SH + "resultPath"))), str(report.value(r, URIRef(SH + "focusNode"))).split("#")[-1])
                for r in results}
    assert warnings <= ACCEPTED_WARNINGS, text


def test_distributions_carry_size_and_checksum_of_the_dumps(publication):
    catalog = publication.catalog
    for dump in DUMPS:
        dist = URIRef(f"{BASE}catalog#dist-{dump.name}")
        data = publication.files[dump.name]
        assert catalog.value(dist, DCAT.byteSize) == Literal(len(data), datatype=XSD.nonNegativeInteger)
        checksum = catalog.value(dist, SPDX.checksum)
        assert str(catalog.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        assert catalog.value(dist, DCAT.mediaType) is not None and catalog.value(dist, DCAT.downloadURL) is not None
    assert (None, RDF.type, DCAT.DataService) in catalog


def test_void_counts_equal_sparql_counts(publication, backend, project):
    void = publication.void
    dataset = URIRef(f"{BASE}catalog#iza-kg")
    union = project.union_graph()

    def count(query):
        return int(backend.select(query).rows[0]["n"])

    assert int(void.value(dataset, VOID.triples)) == len(union) == count(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
    assert int(void.value(dataset, VOID.distinctSubjects)) == len(set(union.subjects()))
    assert int(void.value(dataset, VOID.distinctObjects)) == len(set(union.objects()))
    assert int(void.value(dataset, VOID.properties)) == len(set(union.predicates()))
    assert int(void.value(dataset, VOID.classes)) == len(set(union.objects(None, RDF.type)))
    for part in void.objects(dataset, VOID.classPartition):
        cls = void.value(part, VOID["class"])
        assert int(void.value(part, VOID.entities)) == len(set(union.subjects(RDF.type, cls)))
    for part in void.objects(dataset, VOID.propertyPartition):
        prop = void.value(part, VOID.property)
        assert int(void.value(part, VOID.triples)) == len(list(union.triples((None, prop, None))))
    assert len(list(void.objects(dataset, VOID.propertyPartition))) == len(set(union.predicates()))
    assert str(void.value(dataset, VOID.uriSpace)) == BASE
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef(BASE + "sparql")
    assert len(list(void.objects(dataset, VOID.dataDump))) == len(DUMPS)
    assert len(list(void.objects(dataset, VOID.exampleResource))) >= 1


def test_the_dumps_hold_the_graph(publication, project):
    union = project.union_graph()
    nt = Graph().parse(data=gzip.decompress(publication.files["iza-kg.nt.gz"]), format="nt")
    assert len(nt) == len(union)
    trig = Dataset().parse(data=publication.files["iza-kg.trig"], format="trig")
    names = {str(g.identifier) for g in trig.graphs() if len(g)}
    assert names == {f.graph.value for f in project.files}
    assert len(Graph().parse(data=publication.files["iza-kg.jsonld"], format="json-ld")) == len(union)
    assert len(Graph().parse(data=publication.files["iza-kg.ttl"], format="turtle")) == len(union)


def test_the_dumps_keep_the_entailments_apart_and_say_which_iri_replaces_which(publication):
    trig = Dataset().parse(data=publication.files["iza-kg.trig"], format="trig")
    inferred = trig.graph(URIRef("https://w3id.org/iza-kg/graph/inferred"))
    assert (URIRef(BASE + "id/plan/regioplan-midden-nederland"), URIRef(BASE + "def/hasPart"),
            URIRef(BASE + "id/transformatie/mn-netwerkorganisatie")) in inferred
    changes = trig.graph(URIRef(BASE + "graph/data/iri-changes"))
    assert (URIRef(BASE + "id/plan-thema/gv-ggz"), DCTERMS.replaces, URIRef(BASE + "id/thema/gv-ggz")) in changes


def test_export_all_twice_gives_identical_files_with_the_catalogued_checksums(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("IZA_SOURCES", "IZA_BASE_IRI")}
    outputs = []
    for run in ("a", "b"):
        target = tmp_path / run
        result = subprocess.run([sys.executable, "-m", "app.cli", "export", "--all", str(target)],
                                capture_output=True, text=True, cwd=ROOT, env=env)
        assert result.returncode == 0, result.stderr
        outputs.append({p.relative_to(target).as_posix(): p.read_bytes() for p in sorted(target.rglob("*")) if p.is_file()})
    assert outputs[0].keys() == outputs[1].keys()
    assert {"iza-kg.ttl", "iza-kg.nt.gz", "iza-kg.trig", "iza-kg.jsonld", "catalog.ttl", "void.ttl", "def/index.html"} <= set(outputs[0])
    different = [name for name in outputs[0] if outputs[0][name] != outputs[1][name]]
    assert different == []
    catalog = Graph().parse(data=outputs[0]["catalog.ttl"], format="turtle")
    for dump in DUMPS:
        checksum = catalog.value(URIRef(f"{BASE}catalog#dist-{dump.name}"), SPDX.checksum)
        assert str(catalog.value(checksum, SPDX.checksumValue)) == hashlib.sha256(outputs[0][dump.name]).hexdigest()
