"""Every subject IRI resolves: /id/ answers 303, the /doc/ answer parses in each RDF format and holds the
resource's triples, the HTML is well-formed and links only to IRIs that resolve.

Covered: every subject of the region folders (data/<region>/) and of data/sources.ttl, and for every other
/id/{type} and /def/ group the first, middle and last subject (sorted), so each /id/{type} present is walked.
Every walked subject: 303, Turtle (parsed, holds its triples) and HTML (well-formed, links checked). All
seven RDF formats: the first, middle and last subject of every group and every 8th regional subject, to
keep the suite fast. A guard test counts what is walked.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from app.linked_data import RDF_FORMATS
from app.loader import ROOT
from app.namespaces import BASE

NOT_REGIONS = {"national", "reference"}
MAIN_APP_PATHS = {"/", "/sparql"}  # served by app.main, not by the linked-data router alone
MAIN_APP_PREFIXES = ("/sources/",)  # the source pages (rdfs:seeAlso of each document), tested in tests/web and tests/api
HREF = re.compile(r'\shref="([^"]+)"')


def region_file(project, source) -> bool:
    relative = source.path.resolve().relative_to(ROOT)
    parts = relative.parts
    return parts[0] == "data" and (len(parts) == 2 or parts[1] not in NOT_REGIONS)


def iri_subjects(triples) -> set[str]:
    return {t.subject.value for t in triples if type(t.subject).__name__ == "NamedNode" and t.subject.value.startswith(BASE)}


def group_of(iri: str) -> str:
    parts = iri[len(BASE):].split("/")
    return "/".join(parts[:2]) if parts[0] == "id" else parts[0]


@pytest.fixture(scope="module")
def every_format(walk, project) -> set[str]:
    """The subjects checked in all seven RDF formats."""
    regional = sorted(set().union(*(iri_subjects(s.triples) for s in project.files if region_file(project, s))))
    chosen = set(regional[::8])
    for members in walk.values():
        chosen |= {members[0], members[len(members) // 2], members[-1]}
    return chosen


@pytest.fixture(scope="module")
def walk(project) -> dict[str, list[str]]:
    """Group -> subjects to walk."""
    everything, regional = set(), set()
    for source in project.files:
        subjects = iri_subjects(source.triples)
        everything |= subjects
        if region_file(project, source):
            regional |= subjects
    groups: dict[str, list[str]] = defaultdict(list)
    for iri in sorted(everything):
        groups[group_of(iri)].append(iri)
    chosen: dict[str, list[str]] = {}
    for group, members in groups.items():
        sample = {members[0], members[len(members) // 2], members[-1]}
        chosen[group] = sorted(sample | {m for m in members if m in regional})
    return chosen


def path_of(iri: str) -> str:
    return "/" + iri[len(BASE):]


def key(triple) -> tuple:
    """Compare literals by value, so "20"^^xsd:decimal equals "20.0"^^xsd:decimal."""
    s, p, o = triple
    if isinstance(o, Literal):
        return s, p, (o.value if o.value is not None else str(o)), o.datatype, o.language
    return s, p, o


def own_triples(union: Graph, iri: str):
    return [key(t) for t in union.triples((URIRef(iri), None, None)) if not isinstance(t[2], BNode)]


def test_the_walk_covers_every_id_type_and_every_regional_subject(walk, project):
    id_types = {group_of(iri) for source in project.files for iri in iri_subjects(source.triples)
                if iri.startswith(BASE + "id/")}
    assert id_types <= set(walk)
    regional = set().union(*(iri_subjects(s.triples) for s in project.files if region_file(project, s)))
    walked = set().union(*walk.values())
    assert regional <= walked
    assert len(regional) > 300, "the region folders should hold hundreds of subjects"


def test_every_walked_subject_dereferences_in_every_format(client, walk, every_format, project):
    union = project.union_graph()
    failures = []
    for group, members in sorted(walk.items()):
        for iri in members:
            path = path_of(iri)
            if group.startswith("id/"):
                answer = client.get(path, follow_redirects=False)
                if answer.status_code != 303 or answer.headers["location"] != "/doc/" + path[len("/id/"):]:
                    failures.append(f"{path}: {answer.status_code} {answer.headers.get('location')}")
                    continue
                path = answer.headers["location"]
            expected = own_triples(union, iri)
            for fmt in RDF_FORMATS if iri in every_format else RDF_FORMATS[:1]:
                answer = client.get(path, headers={"Accept": fmt.media_type}, follow_redirects=False)
                if answer.status_code != 200 or not answer.headers["content-type"].startswith(fmt.media_type):
                    failures.append(f"{path} {fmt.media_type}: {answer.status_code}")
                    continue
                parsed = (Dataset() if fmt.dataset else Graph()).parse(data=answer.content, format=fmt.rdflib)
                triples = {key(q[:3]) for q in parsed.quads((None, None, None, None))} if fmt.dataset else {
                    key(t) for t in parsed.triples((None, None, None))}
                missing = [t for t in expected if t not in triples]
                if missing:
                    failures.append(f"{path} {fmt.media_type}: {len(missing)} of its triples missing, e.g. {missing[0]}")
    assert failures == []


def test_html_documents_are_well_formed_and_every_internal_link_resolves(client, walk, every_format, ld_app):
    """The links to a page's other formats (`/doc/x.ttl` ...) are fetched for the pages of `every_format`;
    on the other pages they are checked to be the page's own path plus a served extension (the same
    template writes them), which saves six thousand requests."""
    links: set[str] = set()
    failures = []
    pages = [path_of(iri) for members in walk.values() for iri in members]
    for path in pages:
        if path.startswith("/id/"):
            path = "/doc/" + path[len("/id/"):]
        answer = client.get(path, headers={"Accept": "text/html"})
        assert answer.status_code == 200, path
        if not answer.headers["content-type"].startswith("text/html"):
            failures.append(f"{path}: {answer.headers['content-type']}")
            continue
        if path.startswith("/def/"):
            continue  # the pyLODE page (see test_ontology_docs)
        try:
            ET.fromstring(answer.text.replace("<!DOCTYPE html>", "", 1))
        except ET.ParseError as error:
            failures.append(f"{path}: not well-formed: {error}")
        assert "<script" not in answer.text
        assert 'rel="alternate" type="text/turtle"' in answer.text
        links |= {href.split("#")[0] for href in HREF.findall(answer.text) if href.startswith("/")}
    anchors = None
    fetched = {("/doc/" + p[len("/id/"):]) if p.startswith("/id/") else p for p in pages}
    full = {"/doc/" + path_of(i)[len("/id/"):] if path_of(i).startswith("/id/") else path_of(i) for i in every_format}
    alternates = {f"{page}.{fmt.extension}" for page in fetched for fmt in RDF_FORMATS}
    sampled = {f"{page}.{fmt.extension}" for page in full for fmt in RDF_FORMATS}
    for link in sorted(links - MAIN_APP_PATHS - fetched - (alternates - sampled)):  # walked pages answered 200
        if link.startswith(MAIN_APP_PREFIXES):
            continue
        answer = client.get(link, headers={"Accept": "text/html"}, follow_redirects=False)
        if link.startswith("/def/") and answer.status_code == 303:
            # a term: its anchor must exist in the ontology page (not fetched once per term, it is big)
            anchors = anchors or set(ld_app.state.linked_data.docs.anchors.values())
            target = answer.headers["location"]
            if not (target == "/def/" or target.startswith("/def/#") and target[len("/def/#"):] in anchors):
                failures.append(f"link {link}: 303 to {target}")
            continue
        if answer.status_code in (301, 303):  # 301: a changed IRI (data/iri-changes.ttl) moved to its successor
            answer = client.get(answer.headers["location"], headers={"Accept": "text/html"})
        if answer.status_code != 200:
            failures.append(f"link {link}: {answer.status_code}")
    assert failures == []
    assert len(links) > 100
