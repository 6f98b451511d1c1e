"""Schemathesis against the JSON API's OpenAPI schema, in process: never a 5xx.

The server is read-only here, so generated POSTs to /api/ingest are refused (403)
instead of starting ingest subprocesses.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
pytest.importorskip("fastapi")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error, response_schema_conformance  # noqa: E402
from tests.webdata import build_store  # noqa: E402

from newstrace.web import WebConfig, create_app  # noqa: E402


def _app(db: str) -> object:
    return create_app(WebConfig(db=build_store(db), read_only=True))


# The schema (and so the generated cases) does not depend on the store; each case is then
# sent to the app over the store of each backend.
schema = schemathesis.openapi.from_asgi(
    "/api/openapi.json", _app(str(Path(tempfile.mkdtemp(prefix="newstrace-schema-")) / "s.db"))
)


@pytest.fixture(scope="module")
def api_app(module_store_url: str) -> object:
    """A read-only app over a small store, on each backend."""
    return _app(module_store_url)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails_with_a_server_error(case: schemathesis.Case, api_app: object) -> None:
    response = case.call(app=api_app)
    case.validate_response(response, checks=[not_a_server_error])
    assert response.status_code < 500, (case.path, response.text[:300])


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_responses_match_the_schema(case: schemathesis.Case, api_app: object) -> None:
    """Bodies of documented statuses (200, 422) are what the schema says (ST108)."""
    response = case.call(app=api_app)
    case.validate_response(response, checks=[response_schema_conformance])
