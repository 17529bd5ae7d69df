"""The default backend: the project graph in an in-process Oxigraph store.

The default graph is the union of the named graphs (one per source file), as on the remote backend.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from app.backends.base import BackendError, Bindings, QueryDataset, QuerySyntaxError, SelectResult
from app.backends.binding import bind_with_values
from app.backends.sparql_text import oxigraph_dataset
from app.loader import ProjectGraph, to_rdflib_term


class EmbeddedBackend:
    name = "embedded"

    def __init__(self, store: ox.Store):
        self.store = store

    @classmethod
    def from_project(cls, project: ProjectGraph) -> "EmbeddedBackend":
        return cls(project.to_store())

    def _run(self, query: str, bindings: Bindings | None, dataset: QueryDataset | None):
        text = bind_with_values(query, bindings)
        graphs = (dataset.default_graphs, dataset.named_graphs) if dataset else (None, None)
        try:
            return self.store.query(text, **oxigraph_dataset(text, *graphs))
        except SyntaxError as error:
            raise QuerySyntaxError(str(error)) from None
        except (OSError, ValueError) as error:
            raise BackendError(str(error)) from None

    def select(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> SelectResult:
        solutions = self._run(query, bindings, dataset)
        if not isinstance(solutions, ox.QuerySolutions):
            raise BackendError("not a SELECT query")
        variables = [v.value for v in solutions.variables]
        rows = []
        for solution in solutions:
            row = {}
            for name in variables:
                value = solution[name]
                if value is not None:
                    row[name] = to_rdflib_term(value)
            rows.append(row)
        return SelectResult(variables, rows)

    def ask(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> bool:
        result = self._run(query, bindings, dataset)
        if not isinstance(result, ox.QueryBoolean):
            raise BackendError("not an ASK query")
        return bool(result)

    def construct(self, query: str, bindings: Bindings | None = None, dataset: QueryDataset | None = None) -> Graph:
        result = self._run(query, bindings, dataset)
        if not isinstance(result, ox.QueryTriples):
            raise BackendError("not a CONSTRUCT or DESCRIBE query")
        graph = Graph()
        for triple in result:
            graph.add((to_rdflib_term(triple.subject), to_rdflib_term(triple.predicate), to_rdflib_term(triple.object)))
        return graph

    def close(self) -> None:
        pass
