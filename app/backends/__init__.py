"""One backend interface, two implementations: the embedded Oxigraph store and a remote SPARQL server.

Only this package imports pyoxigraph's query API or SPARQLWrapper; everything else talks to a Backend.
"""

from app.backends.base import Backend, BackendError, BackendUnavailable, SelectResult, QuerySyntaxError

__all__ = ["Backend", "BackendError", "BackendUnavailable", "QuerySyntaxError", "SelectResult"]
