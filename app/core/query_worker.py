"""The graph's store and the worker processes that answer /sparql on it (app.core.isolation drives them).

`load` fills one pyoxigraph store with Oxigraph's bulk loader, straight from the source files, each file
its own named graph. The API process holds that store and answers its own named queries on it in
threads. Arbitrary /sparql text runs in a worker that `fork_worker` forks from the API process: it
shares the store's memory pages copy-on-write and can be killed at the time limit (pyoxigraph cannot
cancel a running query).

Forking a process that runs threads is safe here because the child does little: it keeps only its own
socket (every other inherited file descriptor is closed, so it holds no client connection open), takes
no lock another thread may have held (it does not log; the store is only read, and its readers do not
exclude each other), answers queries with app.backends.store_answers and leaves with os._exit when its
socket closes (the API process closed it, or ended).

Worker socket, parent -> worker: (kind, text, default_graphs, named_graphs, media_type, max_rows),
answered with a store_answers reply, pickled by multiprocessing.connection.
"""

from __future__ import annotations

import gc
import os
import resource
import signal
import socket
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
    memory_mb, max_bytes = limits
    if nice:
        os.nice(nice)
    if memory_mb:  # what a query may use beyond the graph the worker shares with the API process
        limit = address_space() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            kind, text, default_graphs, named_graphs, media_type, max_rows = requests.recv()
        except (EOFError, OSError):
            return
        try:
            reply = answer(store, kind, text, default_graphs, named_graphs, media_type, max_rows, max_bytes)
        except MemoryError:
            reply = ("memory", f"the query needed more than {memory_mb} MB (IZA_QUERY_MEMORY_MB)")
        requests.send(reply)


def fork_worker(store: ox.Store, nice: int, limits: tuple) -> tuple[int, socket.socket]:
    """Fork a worker process on `store`; returns its pid and the parent's end of its socket.
    `limits` is (memory_mb, max_bytes)."""
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:  # the child: only this thread exists now
        try:
            fd = theirs.detach()
            os.closerange(3, fd)
            os.closerange(fd + 1, os.sysconf("SC_OPEN_MAX"))
            for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(number, signal.SIG_DFL)
            gc.freeze()  # a collection would write to every inherited object, copying the parent's pages
            serve(store, Connection(fd), nice, limits)
        finally:
            os._exit(0)
    theirs.close()
    return pid, ours
