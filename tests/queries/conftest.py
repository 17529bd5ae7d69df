from tests.api.conftest import (  # noqa: F401  (shared server fixtures)
    embedded_backend, oxigraph_endpoint, remote_backend,
)
