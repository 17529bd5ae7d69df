"""A fuzz run of the OpenAPI spec with schemathesis: every operation, a small budget, a fixed seed.

It fails on any 5xx and on any answer that does not match the schema the spec declares for it.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.reliability.conftest import build

MAX_EXAMPLES = 5  # per operation (schemathesis adds a few fixed cases), so the run stays short
APP = build()


async def without_lifespan(scope, receive, send):
    """APP for schemathesis, which opens a client per call: its lifespan runs once, in `running` below."""
    if scope["type"] == "lifespan":
        message = await receive()
        await send({"type": message["type"] + ".complete"})
        return
    await APP(scope, receive, send)


schema = schemathesis.openapi.from_asgi("/openapi.json", without_lifespan)  # the app's own spec, in-process


@pytest.fixture(scope="module", autouse=True)
def running():
    """The lifespan of APP: the graph loaded into its query workers."""
    with TestClient(APP):
        yield


@schema.parametrize()
@seed(20261126)
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_server_error_and_answers_match_the_schema(case):
    # a generous read timeout: the first /download/ builds the publication (dumps, DCAT, VoID), slow on a busy machine
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance], timeout=60)
