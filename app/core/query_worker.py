"""The query processes of app.core.isolation: `python -m app.core.query_worker CONTROL_FD`.

This process is the template: it loads the graph once (Oxigraph's own bulk loader, straight from the
source files) and then forks one worker per request of the parent. The workers share the template's
memory pages copy-on-write and only read them, so six workers cost about one graph, not six (1M
triples: 5.9 GiB of resident memory with a copy per worker, bench/README.md). The template runs a
single thread, which is what makes fork safe here; it never answers queries itself.

Messages are pickled and framed by multiprocessing.connection, over Unix sockets:

- control socket (CONTROL_FD), parent -> template:
  ("load", sources, limits) -> ("ready", triples) or ("load-error", path, line, reason);
  sources are (path, format media type, graph IRI) or (None, N-Quads bytes, None), limits is
  (memory_mb, max_rows, max_bytes);
  ("fork", nice) followed by one worker socket passed as SCM_RIGHTS -> ("forked", pid).
- worker socket, parent -> worker: (form, text, default_graphs, named_graphs), answered with
  ("ok", result) or (error kind, message). Terms travel as plain tuples, so the parent builds rdflib
  terms without pickling them. Only pyoxigraph is imported here, to start fast.
"""

from __future__ import annotations

import os
import resource
import signal
import socket
import sys
from multiprocessing.connection import Connection

import pyoxigraph as ox

from app.backends.store_answers import answer
from app.inference import materialise


def load(sources) -> ox.Store:
    """One store, each source in its own named graph, by Oxigraph's bulk loader (no Python objects per triple),
    plus the graph of RDFS entailments (app.inference; adds nothing when the sources already hold it)."""
    store = ox.Store()
    for path, data, graph in sources:
        if path is None:
            store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
            continue
        rdf_format, graph = ox.RdfFormat.from_media_type(data), ox.NamedNode(graph)
        if rdf_format.supports_datasets:  # TriG, JSON-LD: the file's graphs fold into its one graph, as app.loader does
            store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in ox.parse(path=path, format=rdf_format))
        else:
            store.bulk_load(path=path, format=rdf_format, to_graph=graph)
    materialise(store)
    return store


def address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def serve(store: ox.Store, requests: Connection, nice: int, limits: tuple) -> None:
    """A forked worker: answer queries on its own socket until the parent closes it."""
    memory_mb, max_rows, max_bytes = limits
    if nice:
        os.nice(nice)
    if memory_mb:  # what a query may use beyond the graph the worker shares with the template
        limit = address_space() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            form, text, default_graphs, named_graphs = requests.recv()
        except (EOFError, OSError):
            return
        try:
            reply = answer(store, form, text, default_graphs, named_graphs, max_rows, max_bytes)
        except MemoryError:
            reply = ("memory", f"the query needed more than {memory_mb} MB (IZA_QUERY_MEMORY_MB)")
        requests.send(reply)


def main(control_fd: int) -> None:
    sys.stdout = sys.stderr  # nothing may write where the parent does not expect it
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers; the parent kills them by pid
    control_socket = socket.socket(fileno=control_fd)
    control = Connection(control_fd)
    _, sources, limits = control.recv()
    try:
        store = load(sources)
    except SyntaxError as error:
        control.send(("load-error", error.filename, error.lineno, str(getattr(error, "msg", error))))
        return
    except (OSError, ValueError) as error:
        control.send(("load-error", getattr(error, "filename", None), None, str(error)))
        return
    control.send(("ready", len(store)))
    while True:
        try:
            _, nice = control.recv()
            _, fds, _, _ = socket.recv_fds(control_socket, 1, 1)
        except (EOFError, OSError):
            return  # the parent is gone; its workers see their sockets close and end too
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            control_socket.detach()
            os.close(control_fd)
            serve(store, Connection(fds[0]), nice, limits)
            os._exit(0)
        os.close(fds[0])
        control.send(("forked", pid))


if __name__ == "__main__":
    main(int(sys.argv[1]))
