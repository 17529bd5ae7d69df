"""The RDFS entailments of the graph's own hierarchy statements, materialised into one named graph.

A query by super-property (`iza:hasPart`, `dcterms:hasPart`) or super-class (`iza:PlanComponent`,
`prov:Agent`) must answer the same on every store, and a remote SPARQL server does no reasoning. So the
loader adds, in the named graph `INFERRED_GRAPH`, every triple that follows from the loaded
`rdfs:subPropertyOf` / `rdfs:subClassOf` statements and is not asserted already:

- rdfs5 / rdfs11: the transitive closure of `rdfs:subPropertyOf` and `rdfs:subClassOf`;
- rdfs7: `?s ?super ?o` for every `?s ?p ?o` with `?p rdfs:subPropertyOf+ ?super`;
- rdfs9: `?x a ?super` for every `?x a ?c` with `?c rdfs:subClassOf+ ?super` (named classes only).

Nothing else (no domain/range typing, no OWL): those would type resources by guesswork. Nor anything said
of a blank node: it belongs to the file that holds it, and a server that loads graph by graph (Graph Store
Protocol, `iza-kg publish`) would give the inferred graph blank nodes of its own, a different graph. The three
queries run on an Oxigraph store with the union of its graphs as default graph; only pyoxigraph is
imported, because the query template process (app.core.query_worker) uses this too.
"""

from __future__ import annotations

import pyoxigraph as ox

# app.loader.GRAPH_BASE + "inferred"; written out so that the query template does not import rdflib.
INFERRED_GRAPH = ox.NamedNode("https://w3id.org/iza-kg/graph/inferred")

_PREFIXES = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}

ENTAILMENT_QUERIES = tuple(
    # rdfs5 and rdfs11: transitive sub-property and sub-class statements
    f"""CONSTRUCT {{ ?sub {hierarchy} ?super }} WHERE {{
        ?sub {hierarchy}/{hierarchy}+ ?super .
        FILTER (isIRI(?super) && ?sub != ?super)
        FILTER NOT EXISTS {{ ?sub {hierarchy} ?super }}
    }}""" for hierarchy in ("rdfs:subPropertyOf", "rdfs:subClassOf")
) + (
    # rdfs7: a statement with a sub-property holds with each of its super-properties
    """CONSTRUCT { ?s ?super ?o } WHERE {
        { SELECT DISTINCT ?p ?super WHERE { ?p rdfs:subPropertyOf+ ?super FILTER (isIRI(?super) && ?p != ?super) } }
        ?s ?p ?o .
        FILTER (!isBlank(?s) && !isBlank(?o))
        FILTER NOT EXISTS { ?s ?super ?o }
    }""",
    # rdfs9: an instance of a sub-class is an instance of each of its (named) super-classes
    """CONSTRUCT { ?x rdf:type ?super } WHERE {
        { SELECT DISTINCT ?class ?super WHERE { ?class rdfs:subClassOf+ ?super FILTER (isIRI(?super) && ?class != ?super) } }
        ?x rdf:type ?class .
        FILTER (!isBlank(?x))
        FILTER NOT EXISTS { ?x rdf:type ?super }
    }""",
)


def entailed_triples(store: ox.Store) -> list[ox.Triple]:
    """The triples the hierarchy statements of `store` (all its graphs) entail and no graph asserts."""
    found: dict[ox.Triple, None] = {}  # ordered and without repeats
    for query in ENTAILMENT_QUERIES:
        for triple in store.query(query, use_default_graph_as_union=True, prefixes=_PREFIXES):
            found.setdefault(triple)
    return list(found)


def materialise(store: ox.Store) -> int:
    """Add the entailed triples to `store` in INFERRED_GRAPH; returns how many were added.

    The same queries as `entailed_triples`, as SPARQL updates over the merge of the store's graphs, so the
    triples go from the query into the store inside Oxigraph: at 1M, building them as Python objects first
    took 130 MB more at the peak of the load (848 MiB against 719) and 7.7 s against 5.3."""
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{INFERRED_GRAPH.value}> {{ ?s ?p ?o }} }}"
    before = int(next(iter(store.query(count)))["n"].value)
    using = " ".join(f"USING <{graph.value}>" for graph in store.named_graphs() if isinstance(graph, ox.NamedNode))
    for query in ENTAILMENT_QUERIES:
        template, where = query.removeprefix("CONSTRUCT").split("WHERE", 1)
        store.update(f"INSERT {{ GRAPH <{INFERRED_GRAPH.value}> {template.strip()} }} {using} WHERE {where}",
                     prefixes=_PREFIXES)
    return int(next(iter(store.query(count)))["n"].value) - before
