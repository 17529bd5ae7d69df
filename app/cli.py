"""The `iza-kg` command line: serve, stats, query, export (validate and publish are added by their modules)."""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from app.backends import Backend, BackendError
from app.loader import LoadError, ProjectGraph, load_project
from app.queries import NamedQuery, ParameterError, QueryFileError, QueryLibrary, parse_query_file
from app.results import to_python

cli = typer.Typer(
    help="iza-kg: a linked-data knowledge graph of Dutch regional IZA health-care plans. "
    "The graph is read from ontology/ and data/, or from the files and folders in $IZA_SOURCES.",
    no_args_is_help=True,
    add_completion=False,
)

EndpointOption = Annotated[
    Optional[str],
    typer.Option("--endpoint", envvar="IZA_SPARQL_ENDPOINT",
                 help="Use this remote SPARQL 1.1 endpoint instead of the embedded graph."),
]


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(str, Enum):
    ttl = "ttl"
    nt = "nt"
    jsonld = "jsonld"
    trig = "trig"


EXPORT_RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt11", "jsonld": "json-ld", "trig": "trig"}


def fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def load_or_fail() -> ProjectGraph:
    try:
        project = load_project()
    except LoadError as error:
        fail(str(error))
    for conflict in project.label_conflicts():
        typer.echo(f"warning: {conflict}", err=True)
    return project


def open_backend(endpoint: str | None) -> Backend:
    if endpoint:
        from app.backends.remote import RemoteBackend

        return RemoteBackend(endpoint)
    from app.backends.embedded import EmbeddedBackend

    return EmbeddedBackend.from_project(load_or_fail())


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    endpoint: EndpointOption = None,
) -> None:
    """Serve the API, the SPARQL endpoint and the web pages (embedded graph unless --endpoint)."""
    import os

    import uvicorn

    if endpoint:
        os.environ["IZA_SPARQL_ENDPOINT"] = endpoint
    # iza_kg.access logs one line per request (with duration and query hash) instead of uvicorn's access log
    uvicorn.run("app.main:create_app", factory=True, host=host, port=port, access_log=False)


@cli.command()
def stats() -> None:
    """Triples per source file and instances per class of the loaded graph."""
    project = load_or_fail()
    typer.echo(f"{'triples':>8}  source file")
    for source in project.files:
        typer.echo(f"{len(source.triples):>8}  {project.describe(source)}")
    typer.echo(f"{len(project):>8}  total in {len(project.files)} files\n")
    from app.backends.embedded import EmbeddedBackend

    backend = EmbeddedBackend.from_project(project)
    result = backend.select(
        "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) ?class"
    )
    typer.echo(f"{'instances':>9}  class")
    for row in result.rows:
        typer.echo(f"{to_python(row['n']):>9}  {row['class']}")


def resolve_query(name_or_file: str, library: QueryLibrary) -> NamedQuery:
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.is_file():
        return parse_query_file(path)
    if name_or_file.removesuffix(".rq") in library:
        return library.get(name_or_file.removesuffix(".rq"))
    fail(f"no query named {name_or_file!r} and no such .rq file; known: {', '.join(sorted(library.queries))}")


def parse_params(params: list[str]) -> dict[str, str]:
    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            fail(f"--param must look like key=value, got {item!r}")
        values[key] = value
    return values


def render_table(header: list[str], data: list[dict]) -> str:
    cells = [[("" if row[h] is None else str(row[h])) for h in header] for row in data]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(cell, widths)) for cell in cells]
    return "\n".join(lines)


@cli.command()
def query(
    name_or_file: Annotated[str, typer.Argument(help="A query name from queries/ (see GET /queries) or a path to a .rq file.")],
    param: Annotated[list[str], typer.Option("--param", "-p", help="A parameter as key=value; repeat for more.")] = [],
    output: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    endpoint: EndpointOption = None,
) -> None:
    """Run a named query (or a .rq file) with bound parameters and print the results."""
    try:
        library = QueryLibrary.load()
        named = resolve_query(name_or_file, library)
        bindings = named.bind(parse_params(param))
    except (ParameterError, QueryFileError) as error:
        fail(str(error))
    backend = open_backend(endpoint)
    try:
        if named.form == "ASK":
            answer = backend.ask(named.text, bindings)
            typer.echo(json.dumps({"boolean": answer}) if output is OutputFormat.json else str(answer).lower())
            return
        if named.form in ("CONSTRUCT", "DESCRIBE"):
            typer.echo(backend.construct(named.text, bindings).serialize(format="turtle"))
            return
        result = backend.select(named.text, bindings)
    except BackendError as error:
        fail(f"{named.path}: {error}")
    data = named.rows(result)
    if output is OutputFormat.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    elif output is OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=result.variables, lineterminator="\n")
        writer.writeheader()
        writer.writerows(data)
        typer.echo(buffer.getvalue(), nl=False)
    else:
        typer.echo(render_table(result.variables, data))
        typer.echo(f"({len(data)} rows)")


@cli.command()
def export(
    output_format: Annotated[ExportFormat, typer.Option("--format", "-f", help="RDF serialisation.")] = ExportFormat.ttl,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: standard output).")] = None,
    all_dir: Annotated[Optional[Path], typer.Option(
        "--all", help="Write the whole publication into this folder instead: Turtle, N-Triples (gzip), TriG and "
        "JSON-LD dumps, catalog.ttl (DCAT-AP-NL) and void.ttl, and def/index.html (ontology docs). "
        "Deterministic: same input, same bytes.")] = None,
    base: Annotated[Optional[str], typer.Option(
        "--base", envvar="IZA_BASE_IRI", help="Base of the download and endpoint URLs in catalog.ttl and void.ttl "
        "(with --all; default https://w3id.org/iza-kg/).")] = None,
) -> None:
    """Write the whole graph as one file. TriG keeps one named graph per source file; the others merge them."""
    project = load_or_fail()
    if all_dir is not None:
        from app.namespaces import BASE
        from app.ontology_docs import OntologyDocs
        from app.publication import build_publication

        from app.core.atomic import WriteError

        publication = build_publication(project, base or BASE)
        try:
            for path in publication.write(all_dir):
                typer.echo(f"wrote {path} ({path.stat().st_size} bytes)", err=True)
            docs = OntologyDocs.build()
            typer.echo(f"wrote {docs.write(all_dir / 'def')} ({len(docs.anchors)} terms)", err=True)
        except (WriteError, OSError) as error:  # disk full, a folder that cannot be written
            fail(str(error) if isinstance(error, WriteError) else f"cannot write into {all_dir}: {error.strerror}")
        return
    source = project.to_rdflib() if output_format is ExportFormat.trig else project.union_graph()
    from app.namespaces import PREFIX_MAP

    for prefix, namespace in PREFIX_MAP.items():
        source.bind(prefix, namespace)
    text = source.serialize(format=EXPORT_RDFLIB_FORMAT[output_format.value])
    if output:
        from app.core.atomic import WriteError, write_atomically

        try:
            write_atomically(output, text.encode("utf-8"))  # whole or not at all (disk full, unwritable folder)
        except WriteError as error:
            fail(str(error))
        typer.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text)


@cli.command()
def publish(
    endpoint: Annotated[Optional[str], typer.Option("--endpoint", envvar="IZA_SPARQL_ENDPOINT",
                                                    help="The server's SPARQL query endpoint, e.g. http://127.0.0.1:7878/query.")] = None,
    store: Annotated[Optional[str], typer.Option(help="Its Graph Store Protocol endpoint (default: found from the query "
                                                 "endpoint and the server: Oxigraph /store, Virtuoso /sparql-graph-crud-auth, "
                                                 "Fuseki /ds/data, GraphDB /repositories/x/rdf-graphs/service).")] = None,
) -> None:
    """Load the graph into a SPARQL server: one named graph per source file (Graph Store Protocol PUT), replacing
    what was there. Credentials, if the server asks: IZA_STORE_USER and IZA_STORE_PASSWORD (basic or digest)."""
    from app.core.publish import PublishError
    from app.core.publish import publish as publish_project

    if not endpoint and not store:
        fail("give the server's query endpoint with --endpoint (or IZA_SPARQL_ENDPOINT), or its Graph Store endpoint with --store")
    project = load_or_fail()
    try:
        target, done = publish_project(project, store, endpoint)
    except PublishError as error:
        fail(str(error))
    for item in done:
        typer.echo(f"{item.triples:>8}  {item.graph}")
    typer.echo(f"{sum(i.triples for i in done):>8}  triples in {len(done)} named graphs at {target}")


@cli.command()
def validate(
    region: Annotated[Optional[str], typer.Option("--region", help="Only this region (slug), e.g. midden-nederland.")] = None,
    shapes: Annotated[str, typer.Option("--shapes", help="Shape set: integrity, iza or all.")] = "all",
    output: Annotated[str, typer.Option("--format", "-f", help="text (matrix and findings), json or ttl (the SHACL report).")] = "text",
    fail_on: Annotated[str, typer.Option("--fail-on", help="Exit non-zero on: integrity (integrity violations, the default), "
                                         "violation (any violation), warning (any warning or violation) or never.")] = "integrity",
) -> None:
    """Validate the graph with the SHACL shapes in shapes/ and print the IZA compliance matrix (criterion x region)."""
    from app.validation import SHAPE_SETS, UnknownRegion, render_text
    from app.validation import validate as run_validation

    if shapes not in SHAPE_SETS:
        fail(f"--shapes must be one of {', '.join(SHAPE_SETS)}")
    if output not in ("text", "json", "ttl"):
        fail("--format must be text, json or ttl")
    if fail_on not in ("integrity", "violation", "warning", "never"):
        fail("--fail-on must be integrity, violation, warning or never")
    run = run_validation(load_or_fail(), shapes)
    try:
        report = run.compliance(region)
    except UnknownRegion:
        fail(f"unknown region {region!r}; known: {', '.join(run.regions())}")
    if output == "json":
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    elif output == "ttl":
        sys.stdout.write(run.report_turtle())
    else:
        typer.echo(render_text(report))
    failing = {
        "integrity": run.violations("integrity"),
        "violation": run.violations(),
        "warning": [f for f in run.findings if f.severity in ("violation", "warning")],
        "never": [],
    }[fail_on]
    if failing:
        typer.echo(f"{len(failing)} finding(s) at or above --fail-on {fail_on}", err=True)
        raise typer.Exit(1)


class CoverageFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"


def coverage_table(coverages) -> str:
    header = ["document", "file", "counted", "cited", "share"]
    data = [{"document": c.document.slug, "file": c.document.file, "counted": len(c.counted), "cited": len(c.cited),
             "share": f"{c.share:.0%}"} for c in coverages]
    return render_table(header, data)


@cli.command()
def coverage(
    document: Annotated[Optional[str], typer.Argument(help="One document: its slug, file name or number (002). "
                                                      "Default: a summary of every document.")] = None,
    output: Annotated[CoverageFormat, typer.Option("--format", "-f", help="text, json or csv (csv: one document).")] = CoverageFormat.text,
) -> None:
    """How much of each source document the graph cites: the share of its sentences of 40+ characters that a
    quote touches, and the passages none does (rule: docs/pages.md#source-documents)."""
    from app.coverage import measure, measure_all
    from app.quotes import Citations

    citations = Citations.from_project(load_or_fail())
    if document is None:
        if output is CoverageFormat.csv:
            fail("--format csv needs a document; give its slug or number")
        coverages = measure_all(citations)
        if output is CoverageFormat.json:
            typer.echo(json.dumps([c.summary() for c in coverages], ensure_ascii=False, indent=2))
        else:
            typer.echo(coverage_table(coverages))
        return
    chosen = citations.document(document)
    if chosen is None:
        fail(f"no source document {document!r}; known: {', '.join(d.slug for d in citations.documents)}")
    result = measure(chosen, [q for q in citations.quotes if chosen in citations.documents_of(q)])
    if output is CoverageFormat.json:
        typer.echo(json.dumps(result.summary(), ensure_ascii=False, indent=2))
    elif output is CoverageFormat.csv:
        typer.echo(result.csv(), nl=False)
    else:
        typer.echo(coverage_table([result]))
        typer.echo(f"\n{len(result.uncited)} uncited passages (sources/documents/{chosen.file}:line):")
        for sentence in result.uncited:
            typer.echo(f"  {sentence.line:>5}  #{sentence.anchor:<7} {sentence.text}")


@cli.command()
def check() -> None:
    """After editing data: every quote must occur verbatim in its source document, every typed resource needs a
    source, the vendored sources must match their SHA-256, and the SHACL integrity gate must pass. Prints each
    finding with file and line, then the coverage summary; exit status 1 on any finding."""
    from app.coverage import measure_all
    from app.quotes import Citations, unsourced
    from app.sources import checksum_mismatches
    from app.validation import validate as run_validation

    project = load_or_fail()
    citations = Citations.from_project(project)
    findings = 0
    for quote, searched, elsewhere in citations.not_found():
        findings += 1
        hint = f" (it occurs in {', '.join(d.file for d in elsewhere)} instead)" if elsewhere else ""
        typer.echo(f"{project.relative(quote.file)}:{quote.line or '?'}: quote not found in "
                   f"{', '.join(d.file for d in searched)}{hint}\n    {quote.resource}\n    \"{quote.text}\"")
    for subject, path in unsourced(project):
        findings += 1
        typer.echo(f"{project.relative(path)}: {subject} has no prov:wasDerivedFrom or dcterms:source")
    for problem in checksum_mismatches():
        findings += 1
        typer.echo(problem)
    typer.echo(f"{len(citations.quotes)} quotes checked in {len(citations.documents)} documents")
    run = run_validation(project, "integrity")
    for finding in run.violations("integrity"):
        findings += 1
        message = finding.messages.get("en") or finding.messages.get("nl") or next(iter(finding.messages.values()), [""])
        typer.echo(f"integrity: {finding.focus_node} ({finding.path or '-'}): {' '.join(message)}")
    typer.echo(f"integrity gate: {len(run.violations('integrity'))} violations\n")
    typer.echo(coverage_table(measure_all(citations)))
    if findings:
        typer.echo(f"\n{findings} finding(s)", err=True)
        raise typer.Exit(1)
    typer.echo("\nno findings")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
