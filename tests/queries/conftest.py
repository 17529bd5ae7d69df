from tests.api.conftest import embedded_backend, oxigraph_endpoint, remote_backend  # noqa: F401  (shared server fixtures)
