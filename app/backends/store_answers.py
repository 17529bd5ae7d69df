"""Answering a query on a pyoxigraph store as plain tuples: the one place both embedded backends run queries.

The in-process EmbeddedBackend calls `answer` directly; the served app's query workers
(app.core.query_worker) call it in their own process and send the reply down a socket, which is why
terms are plain tuples. Only pyoxigraph is imported here, so the workers start fast.
"""

from __future__ import annotations

import pyoxigraph as ox

from app.backends.sparql_text import oxigraph_dataset


def encode(term) -> tuple:
    if isinstance(term, ox.NamedNode):
        return ("u", term.value)
    if isinstance(term, ox.BlankNode):
        return ("b", term.value)
    if isinstance(term, ox.Literal):
        return ("l", term.value, term.language, term.datatype.value)
    raise TypeError(f"unsupported term {term!r}")


def answer(store: ox.Store, form: str, text: str, default_graphs, named_graphs, max_rows: int, max_bytes: int) -> tuple:
    try:
        result = store.query(text, **oxigraph_dataset(text, default_graphs, named_graphs))
        size = 0
        if form == "select":
            if not isinstance(result, ox.QuerySolutions):
                return ("backend", "not a SELECT query")
            variables = [v.value for v in result.variables]
            rows = []
            for solution in result:
                row = {}
                for name in variables:
                    value = solution[name]
                    if value is not None:
                        row[name] = encoded = encode(value)
                        size += len(encoded[1]) + 8
                rows.append(row)
                if size > max_bytes:
                    return ("too-large", max_bytes)
                if len(rows) > max_rows:
                    break  # the callers cut at max_rows; one row more tells them there were more
            return ("ok", (variables, rows))
        if form == "ask":
            if not isinstance(result, ox.QueryBoolean):
                return ("backend", "not an ASK query")
            return ("ok", bool(result))
        if not isinstance(result, ox.QueryTriples):
            return ("backend", "not a CONSTRUCT or DESCRIBE query")
        triples = []
        for triple in result:
            encoded = (encode(triple.subject), encode(triple.predicate), encode(triple.object))
            size += sum(len(t[1]) for t in encoded) + 8
            if size > max_bytes:
                return ("too-large", max_bytes)
            triples.append(encoded)
        return ("ok", triples)
    except SyntaxError as error:
        return ("syntax", str(error))
    except (OSError, ValueError, TypeError) as error:
        return ("backend", str(error))
