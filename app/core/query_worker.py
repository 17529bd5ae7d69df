"""The query worker process of app.core.isolation: `python -m app.core.query_worker NICE MEMORY_MB MAX_ROWS MAX_BYTES`.

It reads framed pickled messages on stdin and answers on stdout (multiprocessing.connection framing):
first the graph as N-Quads bytes, answered with ("ready", triples); then (form, query text) requests,
each answered with ("ok", result) or (error kind, message). Terms travel as plain tuples, so the
parent builds rdflib terms without pickling them. Only pyoxigraph is imported here, to start fast.
"""

from __future__ import annotations

import os
import resource
import sys
from multiprocessing.connection import Connection

import pyoxigraph as ox


def encode(term) -> tuple:
    if isinstance(term, ox.NamedNode):
        return ("u", term.value)
    if isinstance(term, ox.BlankNode):
        return ("b", term.value)
    if isinstance(term, ox.Literal):
        return ("l", term.value, term.language, term.datatype.value)
    raise TypeError(f"unsupported term {term!r}")


def answer(store: ox.Store, form: str, text: str, max_rows: int, max_bytes: int) -> tuple:
    try:
        result = store.query(text, use_default_graph_as_union=True)
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


def main(argv: list[str]) -> None:
    nice, memory_mb, max_rows, max_bytes = (int(a) for a in argv)
    requests, replies = Connection(os.dup(0), writable=False), Connection(os.dup(1), readable=False)
    sys.stdout = sys.stderr  # nothing else may write on the reply pipe
    if nice:
        os.nice(nice)
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    store = ox.Store()
    store.bulk_extend(ox.parse(requests.recv_bytes(), format=ox.RdfFormat.N_QUADS))
    replies.send(("ready", len(store)))
    while True:
        try:
            form, text = requests.recv()
        except (EOFError, OSError):
            return
        try:
            reply = answer(store, form, text, max_rows, max_bytes)
        except MemoryError:
            reply = ("memory", f"the query needed more than {memory_mb} MB (IZA_QUERY_MEMORY_MB)")
        replies.send(reply)


if __name__ == "__main__":
    main(sys.argv[1:])
