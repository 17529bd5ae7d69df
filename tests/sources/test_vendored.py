"""sources/: the project's own copies of its documents, reference lists and DCAT-AP-NL shapes, unchanged."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF

from app import reference
from app.loader import ROOT
from app.namespaces import IZA, SPDX
from app.sources import (CHECKSUMS, DCAT_AP_NL_DIR, DOCUMENTS_DIR, REFERENCE_DIR, SOURCES_DIR, checksum_mismatches,
                         recorded_checksums, sha256)


def test_every_vendored_file_matches_its_recorded_sha256():
    recorded = recorded_checksums()
    on_disk = {p.relative_to(SOURCES_DIR).as_posix() for folder in (DOCUMENTS_DIR, REFERENCE_DIR, DCAT_AP_NL_DIR)
               for p in folder.iterdir() if p.suffix in (".txt", ".csv", ".ttl")}
    assert set(recorded) == on_disk and len(on_disk) == 11  # 5 documents, 2 lists, 4 shape files
    assert checksum_mismatches() == []


def test_a_changed_copy_is_reported(tmp_path):
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "a.txt").write_text("changed", encoding="utf-8")
    (tmp_path / "SHA256SUMS").write_text(f"{'0' * 64}  documents/a.txt\n{'0' * 64}  documents/gone.txt\n")
    problems = checksum_mismatches(tmp_path)
    assert len(problems) == 2
    assert "documents/a.txt: SHA-256" in problems[0] and "differs" in problems[0]
    assert "gone.txt: missing" in problems[1]


def test_sources_ttl_links_each_document_and_list_to_its_copy_by_checksum():
    graph = Graph().parse(ROOT / "data" / "sources.ttl")
    documents = set(graph.subjects(RDF.type, IZA.SourceDocument))
    datasets = set(graph.subjects(RDF.type, IZA.ReferenceDataset))
    assert len(documents) == 5 and len(datasets) == 2
    for resource in documents | datasets:
        name = graph.value(resource, IZA.seedFile) or graph.value(resource, DCTERMS.identifier)
        path = (DOCUMENTS_DIR if resource in documents else REFERENCE_DIR) / str(name)
        checksum = graph.value(resource, SPDX.checksum)
        assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(graph.value(checksum, SPDX.checksumValue)) == sha256(path), path
        assert recorded_checksums(CHECKSUMS)[path.relative_to(SOURCES_DIR).as_posix()] == sha256(path)
    for document in documents:
        assert graph.value(document, DCTERMS.rights) is not None
        assert str(graph.value(document, URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso"))).endswith(
            "/sources/" + str(document).rsplit("/", 1)[-1])


def test_data_reference_is_what_the_vendored_lists_generate():
    assert reference.DEFAULT_REFERENCE_DIR == REFERENCE_DIR
    for name, build in (("zorgkantoorregios.ttl", reference.zorgkantoorregios), ("gemeenten.ttl", reference.gemeenten)):
        committed = Graph().parse(ROOT / "data" / "reference" / name)
        assert isomorphic(build(REFERENCE_DIR), committed), name


def test_nothing_in_the_project_reads_the_shared_folder():
    offenders = []
    for folder in ("app", "tests", "Makefile", ".ci"):
        path = ROOT / folder
        for file in [path] if path.is_file() else path.rglob("*"):
            if file.is_file() and file.suffix in ("", ".py", ".toml") and file != Path(__file__):
                text = file.read_text(encoding="utf-8", errors="ignore")
                if '"shared"' in text or "../shared" in text or "SHARED" in text:
                    offenders.append(str(file.relative_to(ROOT)))
    assert offenders == []
