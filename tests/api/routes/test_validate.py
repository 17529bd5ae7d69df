"""GET /validate and /regions/{slug}/compliance (pySHACL takes seconds: embedded only, one run reused)."""

import pytest

from tests.api.conftest import make_client


@pytest.fixture(scope="module")
def embedded(embedded_backend):
    return make_client(embedded_backend)


def test_validate_gives_the_compliance_matrix(embedded):
    body = embedded.get("/validate").json()
    assert {"matrix", "regions", "summary"} <= set(body)


def test_region_compliance_and_unknown_region(embedded):
    assert embedded.get("/regions/midden-nederland/compliance").status_code == 200
    missing = embedded.get("/regions/atlantis/compliance")
    assert missing.status_code == 404
