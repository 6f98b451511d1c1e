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
    """Bodies of documented statuses (200, 400) are what the schema says (ST108)."""
    response = case.call(app=api_app)
    case.validate_response(response, checks=[response_schema_conformance])


def test_an_invalid_request_is_the_400_the_schema_declares(api_app: object) -> None:
    """A bad date, a reversed range or a parameter out of bounds is a 400 whose body is
    the schema's ErrorOut; no operation declares FastAPI's 422 instead."""
    from fastapi.testclient import TestClient

    client = TestClient(api_app)  # type: ignore[arg-type]
    spec = client.get("/api/openapi.json").json()
    operations = [op for ops in spec["paths"].values() for op in ops.values()]
    assert not [op for op in operations if "422" in op["responses"]]
    with_params = [op for op in operations if op.get("parameters")]
    assert with_params and all(
        op["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
        == "#/components/schemas/ErrorOut"
        for op in with_params
    )
    required = set(spec["components"]["schemas"]["ErrorOut"]["required"])
    for path in (
        "/api/articles?since=2016-13-01",
        "/api/claims?since=2025-04&until=2025-03",
        "/api/events?since=2025-13",
        "/api/articles?limit=9999",
    ):
        response = client.get(path)
        assert response.status_code == 400, path
        body = response.json()
        assert required <= set(body) and body["status"] == 400 and body["error"], path
        assert all({"loc", "msg", "type"} <= set(d) for d in body["detail"]), path
