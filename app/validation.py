"""SHACL validation of the project graph and the IZA compliance matrix built from it.

Shapes live in ../shapes/: `integrity*.ttl` (the gate: the project's data must conform) and `iza-*.ttl`
(findings on plans against the IZA criteria, the VNG work agenda and the transformation-plan rules).
Validation runs pySHACL with SHACL Core and SHACL-SPARQL, plus SPARQL-based targets (SHACL-AF
sh:SPARQLTarget, so pySHACL's advanced=True) where the integrity shapes need them for speed, and no inference,
on the union of ontology/ and data/, so the ontology's rdfs:subClassOf statements drive sh:targetClass as the
SHACL spec says.

Use from the API:

    run = validate(project, shapes="all")          # one pySHACL run, reusable
    run.compliance(region_slug=None)                # JSON-able matrix (GET /validate)
    run.compliance(region_slug="midden-nederland")  # one column (GET /regions/{slug}/compliance)
    run.report_turtle()                             # the sh:ValidationReport as Turtle

or the one-call helpers `compliance_report(...)` and `report_turtle(...)`. An unknown region slug raises
UnknownRegion (a KeyError), which a route turns into a 404.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox
from pyshacl import validate as pyshacl_validate
from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from app.loader import ROOT, ProjectGraph, to_rdflib_term
from app.namespaces import IZA, IZASH, PREFIX_MAP, SH, id_iri

SHAPES_DIR = ROOT / "shapes"
SHAPE_SETS = {
    "integrity": ("integrity*.ttl",),
    "iza": ("iza-*.ttl",),
    "all": ("integrity*.ttl", "iza-*.ttl"),
}
SEVERITY_ORDER = {"conforms": 0, "info": 1, "warning": 2, "violation": 3}
SEVERITY_NAME = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
NOT_YET_DEFINED = URIRef(id_iri("status", "nog-niet-vastgesteld"))
MODELLED = URIRef(id_iri("modelleerstatus", "gemodelleerd"))
PART_PROPERTIES_QUERY = """
SELECT DISTINCT ?plan ?part WHERE {
    ?plan iza:forRegion ?region .
    { ?plan ?p ?part . } UNION { ?plan ?p ?mid . ?mid ?q ?part . ?q rdfs:subPropertyOf* dcterms:hasPart . }
    ?p rdfs:subPropertyOf* dcterms:hasPart .
}"""


class UnknownRegion(KeyError):
    """No modelled zorgkantoorregio has this slug."""


# --------------------------------------------------------------------------------------------------
# Shapes
# --------------------------------------------------------------------------------------------------


def shape_files(shapes: str = "all", directory: Path = SHAPES_DIR) -> list[Path]:
    if shapes not in SHAPE_SETS:
        raise ValueError(f"unknown shape set {shapes!r}; choose one of {', '.join(SHAPE_SETS)}")
    files: list[Path] = []
    for pattern in SHAPE_SETS[shapes]:
        files.extend(sorted(directory.glob(pattern)))
    return files


@lru_cache(maxsize=8)
def _load_shapes(files: tuple[Path, ...]) -> Graph:
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    for prefix, namespace in PREFIX_MAP.items():
        graph.bind(prefix, namespace)
    graph.bind("izash", IZASH)
    return graph


def load_shapes(shapes: str = "all", directory: Path = SHAPES_DIR) -> Graph:
    """The shapes graph of a set ('integrity', 'iza' or 'all'); parsed once and cached, do not modify."""
    return _load_shapes(tuple(shape_files(shapes, directory)))


# --------------------------------------------------------------------------------------------------
# Running pySHACL
# --------------------------------------------------------------------------------------------------


def sparql_targets(shapes: Graph) -> tuple[str, ...]:
    """The sh:select texts of the shapes' SPARQL-based targets (SHACL-AF `sh:target [ sh:select ... ]`)."""
    return tuple(sorted({str(select) for target in shapes.objects(None, SH.target)
                         for select in shapes.objects(target, SH.select)}))


class PreparingGraph(Graph):
    """The data graph as pySHACL queries it, sharing the triples of `graph`.

    pySHACL hands rdflib the text of each SHACL-SPARQL constraint once per focus node, and rdflib parses
    the text every time (about 0.2 s a parse, half of the validation time); this prepares each text once.

    The queries of the SPARQL-based targets (`targets`: their sh:select texts) are answered by Oxigraph, on a
    copy of the same triples made at the first such query (from the ProjectGraph's quads when `project` is
    given). Each selects, out of all instances of some classes, the few that lack something (FILTER NOT
    EXISTS over ~10,000 resources at 100k triples): about 2 s in rdflib, 30 ms in Oxigraph. Everything
    else (SHACL Core, the SPARQL constraints with their messages) stays on rdflib. pySHACL cannot run on
    Oxigraph as a whole: Core looks up triples one pattern at a time, which is far slower there.
    """

    def __init__(self, graph: Graph, targets: Iterable[str] = (), project: ProjectGraph | None = None):
        super().__init__(store=graph.store, identifier=graph.identifier, namespace_manager=graph.namespace_manager)
        self._prepared: dict[str, Query] = {}
        self._targets = tuple(targets)
        self._project = project
        self._oxigraph: ox.Store | None = None
        self._to_ox_blank: dict[BNode, ox.BlankNode] = {}
        self._from_ox_blank: dict[str, BNode] = {}

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str) and self._targets and query_object.endswith(self._targets):
            return self._query_oxigraph(query_object)
        if isinstance(query_object, str):
            if query_object not in self._prepared:
                self._prepared[query_object] = prepareQuery(query_object, initNs=dict(self.namespaces()))
            query_object = self._prepared[query_object]
        return super().query(query_object, *args, **kwargs)

    def _query_oxigraph(self, text: str) -> Result:
        if self._oxigraph is None:
            self._oxigraph = ox.Store()
            if self._project is not None:
                self._oxigraph.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in self._project.quads())
            else:
                self._oxigraph.bulk_extend(ox.Quad(*map(self._to_ox, triple)) for triple in self)
        solutions = self._oxigraph.query(text)
        result = Result("SELECT")
        result.vars = [Variable(v.value) for v in solutions.variables]
        result.bindings = [{var: self._to_rdflib(term) for var, term in zip(result.vars, solution) if term is not None}
                           for solution in solutions]
        return result

    def _to_ox(self, term: Node):
        if isinstance(term, BNode):  # a fresh Oxigraph blank node per rdflib one, whatever its id
            if term not in self._to_ox_blank:
                self._to_ox_blank[term] = ox.BlankNode()
                self._from_ox_blank[self._to_ox_blank[term].value] = term
            return self._to_ox_blank[term]
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)

    def _to_rdflib(self, term) -> Node:
        if isinstance(term, ox.BlankNode) and term.value in self._from_ox_blank:
            return self._from_ox_blank[term.value]
        return to_rdflib_term(term)


def as_graph(source) -> Graph:
    """One rdflib Graph (the union) from a ProjectGraph, an rdflib Dataset or Graph."""
    if isinstance(source, ProjectGraph):
        return source.union_graph()
    if isinstance(source, Dataset):
        union = Graph()
        for s, p, o, _ in source.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    if isinstance(source, Graph):
        return source
    raise TypeError(f"cannot validate a {type(source).__name__}")


@dataclass
class Evidence:
    node: str
    label: str | None
    quotes: list[str]
    kind: str  # "not-yet-defined", "recorded-absence", "value"
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"node": self.node, "label": self.label, "kind": self.kind, "quotes": self.quotes,
                "notes": self.notes, "sources": self.sources}


@dataclass
class Finding:
    shape: URIRef
    severity: str
    focus_node: Node
    focus_label: str | None
    value: Node | None
    path: str | None
    messages: dict[str, list[str]]
    evidence: list[Evidence]
    region: str | None  # slug of the zorgkantoorregio the focus node belongs to, if any

    @property
    def reason(self) -> str:
        kinds = {e.kind for e in self.evidence}
        for kind in ("not-yet-defined", "recorded-absence"):
            if kind in kinds:
                return kind
        return "missing-or-invalid"

    def to_dict(self) -> dict:
        return {
            "shape": str(self.shape),
            "severity": self.severity,
            "focusNode": str(self.focus_node),
            "focusLabel": self.focus_label,
            "value": None if self.value is None else str(self.value),
            "path": self.path,
            "message": {lang: " ".join(texts) for lang, texts in self.messages.items()},
            "reason": self.reason,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass
class ValidationRun:
    data: Graph
    shapes: Graph
    shape_set: str
    conforms: bool
    report: Graph
    findings: list[Finding]
    seconds: float

    # ---- the matrix ------------------------------------------------------------------------------

    def regions(self) -> dict[str, URIRef]:
        """slug -> IRI of the zorgkantoorregio's whose plans the graph models."""
        found = {}
        for region in self.data.subjects(IZA.planStatus, MODELLED):
            slug = self.data.value(region, IZA.slug)
            found[str(slug) if slug else str(region).rsplit("/", 1)[-1]] = region
        return dict(sorted(found.items()))

    def rows(self) -> list[dict]:
        """One row per criterion (iza shapes) or per shape (integrity), in document order."""
        rows: dict[str, dict] = {}
        for shape in sorted(set(self.shapes.subjects(SH.name, None)), key=str):
            if not isinstance(shape, URIRef) or not _is_checking_shape(self.shapes, shape):
                continue
            criterion = self.shapes.value(shape, DCTERMS.subject)
            key = str(criterion) if criterion is not None else str(shape)
            row = rows.setdefault(key, {"id": key, "group": _group(self.shapes, shape), "criterion": None, "shapes": []})
            if criterion is not None and row["criterion"] is None:
                row["criterion"] = self.describe_criterion(criterion)
            row["shapes"].append(self.describe_shape(shape))
        ordered = sorted(rows.values(), key=lambda r: (r["group"], _order(r), r["id"]))
        return ordered

    def compliance(self, region_slug: str | None = None) -> dict:
        """The criteria x regions matrix as plain JSON-able data."""
        regions = self.regions()
        if region_slug is not None:
            if region_slug not in regions:
                raise UnknownRegion(region_slug)
            regions = {region_slug: regions[region_slug]}
        applicable = {slug: self._target_instances(region) for slug, region in regions.items()}
        known_only_from = dict(self.data.subject_objects(IZA.knownOnlyFrom))
        matrix = []
        for row in self.rows():
            shape_iris = {s["id"] for s in row["shapes"]}
            cells = {}
            for slug, region in regions.items():
                findings = [f for f in self.findings if str(f.shape) in shape_iris and f.region == slug]
                unseen = {f.focus_node for f in findings} & known_only_from.keys()
                if findings and len(unseen) == len({f.focus_node for f in findings}):
                    # every finding is about a plan whose own text is not a source: it cannot be assessed
                    status = "not-assessable"
                elif findings:
                    status = max((f.severity for f in findings), key=SEVERITY_ORDER.__getitem__)
                elif row["group"].startswith("integrity") or any(
                        _targets_overlap(self.shapes, URIRef(s), applicable[slug], self.data) for s in shape_iris):
                    status = "conforms"
                else:
                    status = "not-applicable"
                cells[slug] = {"status": status, "findings": [f.to_dict() for f in findings]}
                if status == "not-assessable":
                    cells[slug]["knownOnlyFrom"] = sorted({str(known_only_from[node]) for node in unseen})
            matrix.append({**row, "cells": cells})
        other = [f.to_dict() for f in self.findings if f.region is None or f.region not in regions]
        return {
            "shapes": self.shape_set,
            "conforms": self.conforms,
            "seconds": round(self.seconds, 3),
            "regions": [{"slug": slug, "iri": str(iri), "label": _label(self.data, iri)} for slug, iri in regions.items()],
            "summary": {slug: _summary(matrix, slug) for slug in regions},
            "matrix": matrix,
            "otherFindings": other if region_slug is None else [],
        }

    def report_turtle(self) -> str:
        for prefix, namespace in PREFIX_MAP.items():
            self.report.bind(prefix, namespace)
        self.report.bind("izash", IZASH)
        return self.report.serialize(format="turtle")

    def violations(self, group: str | None = None) -> list[Finding]:
        return [f for f in self.findings if f.severity == "violation"
                and (group is None or _group(self.shapes, f.shape).startswith(group))]

    # ---- descriptions ------------------------------------------------------------------------------

    def describe_shape(self, shape: URIRef) -> dict:
        return {
            "id": str(shape),
            "severity": SEVERITY_NAME.get(self.shapes.value(shape, SH.severity), "violation"),
            "name": _texts(self.shapes, shape, SH.name),
            "description": _texts(self.shapes, shape, SH.description),
        }

    def describe_criterion(self, criterion: URIRef) -> dict:
        graph = self.data
        return {
            "iri": str(criterion),
            "notation": _str(graph.value(criterion, SKOS.notation)),
            "label": _texts(graph, criterion, SKOS.prefLabel) or _texts(graph, criterion, RDFS.label),
            "order": _int(graph.value(criterion, IZA.order)),
            "obligationLevel": _str(graph.value(criterion, IZA.obligationLevel)),
            "quotes": sorted(str(q) for q in graph.objects(criterion, IZA.sourceQuote)),
            "sources": sorted(str(s) for s in graph.objects(criterion, _PROV_DERIVED)),
        }

    def _target_instances(self, region: URIRef) -> set[Node]:
        return set(self.data.subjects(IZA.forRegion, region))


# --------------------------------------------------------------------------------------------------


_PROV_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")


def validate(source, shapes: str = "all") -> ValidationRun:
    """Validate a ProjectGraph (or rdflib Graph/Dataset holding ontology and data) against a shape set."""
    data = as_graph(source)
    shapes_graph = load_shapes(shapes)
    started = time.perf_counter()
    queried = PreparingGraph(data, sparql_targets(shapes_graph), source if isinstance(source, ProjectGraph) else None)
    conforms, report, _ = pyshacl_validate(
        queried, shacl_graph=shapes_graph, inference="none", advanced=True, js=False,
        abort_on_first=False, allow_infos=True, allow_warnings=True, inplace=True,
    )
    seconds = time.perf_counter() - started
    if not isinstance(report, Graph):  # pySHACL returns a ValidationFailure for a broken shapes graph
        raise ValueError(f"the {shapes} shapes could not be applied: {report}")
    findings = list(_findings(report, data, shapes_graph, source))
    return ValidationRun(data, shapes_graph, shapes, bool(conforms), report, findings, seconds)


def compliance_report(source, region_slug: str | None = None, shapes: str = "iza") -> dict:
    """The compliance matrix (criteria x regions) for GET /validate and GET /regions/{slug}/compliance."""
    return validate(source, shapes).compliance(region_slug)


def report_turtle(source, shapes: str = "all") -> str:
    """The sh:ValidationReport graph as Turtle."""
    return validate(source, shapes).report_turtle()


# --------------------------------------------------------------------------------------------------
# Reading the report
# --------------------------------------------------------------------------------------------------


def _findings(report: Graph, data: Graph, shapes: Graph, source) -> Iterable[Finding]:
    region_of = None  # built at the first result: a conforming run does not need it (1.3 s at 100k triples)
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if region_of is None:
            region_of = _RegionIndex(data, source)
        shape = report.value(result, SH.sourceShape)
        shape = _named_shape(shapes, shape)
        focus = report.value(result, SH.focusNode)
        value = report.value(result, SH.value)
        if value == focus:
            value = None
        path = report.value(result, SH.resultPath)
        messages: dict[str, list[str]] = {}
        templates = _message_templates(shapes, report.value(result, SH.sourceConstraint) or shape)
        for message in report.objects(result, SH.resultMessage):
            lang = message.language if isinstance(message, Literal) and message.language else None
            lang = lang or next((l for l, pattern in templates if pattern.fullmatch(str(message))), "und")
            messages.setdefault(lang, []).append(str(message))
        yield Finding(
            shape=shape,
            severity=SEVERITY_NAME.get(report.value(result, SH.resultSeverity), "violation"),
            focus_node=focus,
            focus_label=_label(data, focus),
            value=value,
            path=None if path is None or isinstance(path, BNode) else str(path),
            messages={k: sorted(v) for k, v in messages.items()},
            evidence=_evidence(data, value),
            region=region_of(focus),
        )


def _message_templates(shapes: Graph, constraint: Node) -> list:
    """pySHACL drops the language tag of a message whose {?var} it filled in; match it to its template."""
    import re

    templates = []
    for message in shapes.objects(constraint, SH.message):
        if isinstance(message, Literal) and message.language:
            parts = re.split(r"\{[?$]\w+\}", str(message))
            templates.append((message.language, re.compile(".*?".join(re.escape(p) for p in parts), re.S)))
    return templates


def _named_shape(shapes: Graph, shape: Node) -> Node:
    """Anonymous property shapes report under the named node shape that holds them."""
    seen = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        parent = next(shapes.subjects(SH.property, shape), None) or next(shapes.subjects(SH.sparql, shape), None)
        if parent is None:
            break
        shape = parent
    return shape


def _evidence(data: Graph, value: Node | None) -> list[Evidence]:
    if value is None or isinstance(value, Literal):
        return []
    quotes = sorted(str(q) for q in data.objects(value, IZA.sourceQuote))
    notes = sorted(str(n) for n in data.objects(value, IZA.editorialNote))
    sources = sorted(str(s) for s in data.objects(value, _PROV_DERIVED))
    if (value, RDF.type, IZA.Absence) in data:
        kind = "recorded-absence"
        sources = sorted(str(s) for s in data.objects(value, IZA.documentsChecked)) or sources
    elif (value, IZA.status, NOT_YET_DEFINED) in data:
        kind = "not-yet-defined"
    else:
        kind = "value"
    return [Evidence(str(value), _label(data, value), quotes, kind, notes, sources)]


class _RegionIndex:
    """Which modelled region a focus node belongs to: its own iza:forRegion, the plan it is part of,
    or the data/<region>/ folder of the file that describes it."""

    def __init__(self, data: Graph, source):
        self.data = data
        self.slugs = {}
        for region in data.subjects(IZA.planStatus, MODELLED):
            slug = data.value(region, IZA.slug)
            self.slugs[region] = str(slug) if slug else str(region).rsplit("/", 1)[-1]
        self.part_of: dict[Node, set[Node]] = {}
        for row in data.query(PART_PROPERTIES_QUERY, initNs={"iza": IZA, "rdfs": RDFS, "dcterms": DCTERMS}):
            self.part_of.setdefault(row.part, set()).add(row.plan)
        self.by_file: dict[Node, str] = {}
        if isinstance(source, ProjectGraph):
            for file in source.files:
                parts = Path(source.relative(file.path)).parts
                if len(parts) >= 3 and parts[0] == "data" and parts[1] in self.slugs.values():
                    for triple in file.triples:
                        if triple.subject.__class__.__name__ == "NamedNode":
                            self.by_file.setdefault(URIRef(triple.subject.value), parts[1])

    def __call__(self, node: Node) -> str | None:
        if node in self.slugs:
            return self.slugs[node]
        for candidate in [node, *sorted(self.part_of.get(node, ()), key=str)]:
            for region in self.data.objects(candidate, IZA.forRegion):
                if region in self.slugs:
                    return self.slugs[region]
        return self.by_file.get(node)


# --------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------


def _is_checking_shape(shapes: Graph, shape: URIRef) -> bool:
    """A named shape that reports results itself (not a grouping node shape without constraints)."""
    if (shape, SH.path, None) in shapes or (shape, SH.sparql, None) in shapes:
        return True
    return False


def _group(shapes: Graph, shape: Node) -> str:
    """The stem of the shape file that declares the shape ('integrity', 'iza-regioplan', ...)."""
    return _shape_groups().get(shape, "integrity")


@lru_cache(maxsize=1)
def _shape_groups() -> dict:
    groups = {}
    for path in shape_files("all"):
        for subject in _load_shapes((path,)).subjects():
            groups.setdefault(subject, path.stem)
    return groups


def _order(row: dict) -> tuple:
    criterion = row.get("criterion") or {}
    return (0 if criterion else 1, criterion.get("order") or 0, criterion.get("notation") or "")


def _targets_overlap(shapes: Graph, shape: URIRef, instances: set[Node], data: Graph) -> bool:
    """Whether any of the region's plans is a target of the shape (via sh:targetClass and subclasses)."""
    classes = set(shapes.objects(shape, SH.targetClass))
    if not classes:
        return bool(instances)
    for instance in instances:
        for cls in data.objects(instance, RDF.type):
            if cls in classes or any(c in classes for c in data.transitive_objects(cls, RDFS.subClassOf)):
                return True
    return False


def _summary(matrix: list[dict], slug: str) -> dict:
    counts = {"conforms": 0, "info": 0, "warning": 0, "violation": 0, "not-assessable": 0, "not-applicable": 0}
    for row in matrix:
        counts[row["cells"][slug]["status"]] += 1
    return counts


def _texts(graph: Graph, subject: Node, predicate: URIRef) -> dict[str, str]:
    texts = {}
    for literal in graph.objects(subject, predicate):
        if isinstance(literal, Literal):
            texts.setdefault(literal.language or "und", str(literal))
    return dict(sorted(texts.items()))


def _label(graph: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    for predicate in (RDFS.label, SKOS.prefLabel):
        labels = _texts(graph, node, predicate)
        if labels:
            return labels.get("nl") or labels.get("en") or next(iter(labels.values()))
    return None


def _int(node: Node | None) -> int | None:
    try:
        return None if node is None else int(str(node))
    except ValueError:
        return None


def _str(node: Node | None) -> str | None:
    return None if node is None else str(node)


# --------------------------------------------------------------------------------------------------
# Text rendering (the CLI)
# --------------------------------------------------------------------------------------------------

STATUS_MARK = {"conforms": "ok", "info": "info", "warning": "WARN", "violation": "VIOL", "not-assessable": "?",
               "not-applicable": "-"}


def render_text(report: dict, lang: str = "nl") -> str:
    """The matrix as a fixed-width table, then each finding with message, focus node and evidence."""
    slugs = [r["slug"] for r in report["regions"]]
    header = ["criterium / check"] + slugs
    lines = []
    table = []
    for row in report["matrix"]:
        criterion = row.get("criterion") or {}
        if criterion:
            name = f"{criterion.get('notation') or ''} {criterion['label'].get(lang) or criterion['label'].get('en', '')}".strip()
        else:
            shape = row["shapes"][0]
            name = shape["name"].get(lang) or shape["id"].rsplit("/", 1)[-1]
        table.append([f"[{row['group']}] {name}"[:70]] + [STATUS_MARK[row["cells"][s]["status"]] for s in slugs])
    widths = [max(len(r[i]) for r in [header] + table) for i in range(len(header))]
    lines.append("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in table]
    lines.append("")
    lines.append(f"shapes: {report['shapes']}   conforms: {report['conforms']}   pySHACL: {report['seconds']} s")
    for slug in slugs:
        counts = report["summary"][slug]
        lines.append(f"{slug}: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v))
    for slug in slugs:
        findings = [(row, f) for row in report["matrix"] for f in row["cells"][slug]["findings"]]
        if not findings:
            continue
        lines += ["", f"== {slug} =="]
        for row, finding in findings:
            message = finding["message"].get(lang) or finding["message"].get("en") or finding["message"].get("und", "")
            lines.append(f"[{finding['severity']}] {finding['shape'].rsplit('/', 1)[-1]}: {message}")
            lines.append(f"    focus: {finding['focusNode']}" + (f" ({finding['focusLabel']})" if finding["focusLabel"] else ""))
            for evidence in finding["evidence"]:
                lines.append(f"    evidence ({evidence['kind']}): {evidence['node']}")
                for quote in evidence["quotes"][:3]:
                    lines.append(f"      \u201c{quote}\u201d")
                for note in evidence["notes"][:1]:
                    lines.append(f"      note: {note[:300]}")
    other = report.get("otherFindings") or []
    if other:
        lines += ["", "== outside the modelled regions =="]
        for finding in other:
            message = finding["message"].get(lang) or finding["message"].get("en") or finding["message"].get("und", "")
            lines.append(f"[{finding['severity']}] {finding['shape'].rsplit('/', 1)[-1]}: {finding['focusNode']}: {message}")
    return "\n".join(lines)
