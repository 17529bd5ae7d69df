"""Checks on the data as a whole: sources, closed-world vocabulary, namespaces, reference identifiers."""

import re

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from app.loader import ROOT, load_project
from app.namespaces import ID, IZA, PREFIX_MAP
from app.quotes import Citations, unsourced

TERM_TYPES = {"Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty", "SymmetricProperty"}


def test_every_source_quote_occurs_in_its_source_document(project):
    citations = Citations.from_project(project)
    assert len(citations.quotes) > 1000 and len(citations.documents) == 5
    assert [(q.where, q.text) for q, _, _ in citations.not_found()] == []
    assert unsourced(project) == []


def test_every_project_term_used_in_data_is_declared_in_the_ontology():
    ontology = load_project([ROOT / "ontology"]).union_graph()
    declared = {s for s, _, t in ontology.triples((None, RDF.type, None)) if t.split("#")[-1] in TERM_TYPES}
    data = load_project([ROOT / "data"]).union_graph()
    used = set()
    for s, p, o in data:
        used.add(p)
        if p == RDF.type:
            used.add(o)
    undeclared = sorted(str(t) for t in used if str(t).startswith(str(IZA)) and t not in declared)
    assert undeclared == []


def test_no_namespace_is_used_with_the_wrong_scheme(project):
    """http:// versus https:// slips (e.g. http://schema.org/ for https://schema.org/) are errors."""
    wrong = {}
    for namespace in PREFIX_MAP.values():
        namespace = str(namespace)
        scheme, rest = namespace.split("://", 1)
        wrong["https://" + rest if scheme == "http" else "http://" + rest] = namespace
    slips = sorted({str(t) for t in project.union_graph().all_nodes() if isinstance(t, URIRef)
                    and any(str(t).startswith(w) for w in wrong)})
    assert slips == []


def test_all_31_zorgkantoorregios_with_their_cbs_codes(run_query):
    regions = run_query("regions-reference")
    assert len(regions) == 31
    codes = {r["cbsCode"] for r in regions}
    assert {"ZK21", "ZK23", "ZK17", "ZK01", "ZK33"} <= codes and not {"ZK05", "ZK15"} & codes
    by_code = {r["cbsCode"]: r for r in regions}
    assert by_code["ZK21"]["region"].endswith("/id/regio/gooi-en-vechtstreek")
    assert by_code["ZK17"]["label"] == "Noord- en Midden-Limburg"


def test_a_region_whose_plan_is_not_modelled_says_so_and_claims_no_plan(run_query):
    regions = {r["cbsCode"]: r for r in run_query("regions-reference")}
    modelled = {code for code, r in regions.items() if r["status"].endswith("/gemodelleerd")}
    assert modelled == {"ZK17", "ZK21", "ZK23"}
    assert all(r["status"].endswith("/niet-gemodelleerd") and r["plans"] == 0
               for code, r in regions.items() if code not in modelled)


def test_municipalities_carry_cbs_codes_and_matching_tooi_iris(project):
    graph = project.union_graph()
    municipalities = set(graph.subjects(RDF.type, IZA.Municipality))
    assert len(municipalities) == 342
    for municipality in municipalities:
        code = str(graph.value(municipality, IZA.cbsCode))
        tooi = str(graph.value(municipality, SKOS.exactMatch))
        assert re.fullmatch(r"GM\d{4}", code)
        assert tooi == f"https://identifier.overheid.nl/tooi/id/gemeente/{code.lower()}"


PREFIX_DECLARATION = re.compile(r"^\s*@?prefix\s+([\w-]*):\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)


def test_a_prefix_names_the_same_namespace_in_every_file():
    """`opgave:` must not be /id/opgave/ in one file and /id/prioritaire-opgave/ in another."""
    seen: dict[str, dict[str, list[str]]] = {}
    for folder, pattern in (("data", "*.ttl"), ("ontology", "*.ttl"), ("shapes", "*.ttl"), ("queries", "*.rq")):
        for path in sorted((ROOT / folder).rglob(pattern)):
            for prefix, namespace in PREFIX_DECLARATION.findall(path.read_text(encoding="utf-8")):
                seen.setdefault(prefix, {}).setdefault(namespace, []).append(str(path.relative_to(ROOT)))
    assert {prefix: namespaces for prefix, namespaces in seen.items() if len(namespaces) > 1} == {}


def test_comparison_themes_and_plan_themes_live_in_namespaces_of_their_own(project):
    graph = project.union_graph()
    comparison = str(ID) + "thema/"
    in_comparison = {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(comparison)}
    assert in_comparison and all((s, RDF.type, SKOS.Concept) in graph and (s, RDF.type, IZA.Theme) not in graph
                                 for s in in_comparison)
    plan_themes = set(graph.subjects(RDF.type, IZA.Theme))
    assert plan_themes and {str(s).rsplit("/", 2)[-2] for s in plan_themes} <= {"plan-thema", "ambitie"}


def test_every_changed_iri_is_replaced_by_one_that_exists_and_is_used_nowhere_else(project):
    """data/iri-changes.ttl: each old IRI occurs only as the object of dcterms:replaces."""
    graph = project.union_graph()
    changes = list(graph.subject_objects(DCTERMS.replaces))
    assert len(changes) >= 50
    for new, old in changes:
        assert (new, RDF.type, None) in graph, new
        assert set(graph.triples((old, None, None))) == set()
        assert {(s, p) for s, p, _ in graph.triples((None, None, old))} == {(new, DCTERMS.replaces)}
