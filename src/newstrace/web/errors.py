"""The one exception hook: errors become an HTML page or a JSON object.

JSON for `/api/...` paths and for clients that do not accept HTML; HTML otherwise. An
invalid request (a date that does not exist, a reversed range, an unknown event type or
entity, a parameter out of its bounds) is a 400 with a clear message, whichever check
refused it: FastAPI's own parameter checks (422 by default) answer the same way, and the
OpenAPI schema says so (`document_errors`).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from newstrace.errors import FilterError, NewstraceError, NotFoundError, SettingsError, StoreError

STATUS = {NotFoundError: 404, SettingsError: 400, StoreError: 503}
TITLES = {
    400: "Bad request",
    401: "Token required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    413: "Too large",
    503: "Store unavailable",
}


INVALID = 400  # an invalid request, whichever check found it


class ErrorDetail(BaseModel):
    """One invalid parameter: where it is, what is wrong with it."""

    loc: list[str]
    msg: str
    type: str


class ErrorOut(BaseModel):
    """An error: its message (one line naming the input and the reason), its status and,
    for an invalid request, each invalid parameter."""

    error: str
    status: int
    detail: list[ErrorDetail] | None = None


def wants_json(request: Request) -> bool:
    """API paths and clients that do not ask for HTML get JSON."""
    if request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_response(request: Request, status: int, message: str, detail: object = None) -> Response:
    """An error as JSON (`{"error", "status"}`) or as the error page."""
    if wants_json(request):
        body: dict[str, object] = {"error": message, "status": status}
        if detail is not None:
            body["detail"] = detail
        return JSONResponse(body, status_code=status)
    from newstrace.web.rendering import render

    title = TITLES.get(status, "Error")
    return render(
        request, "error.html", status_code=status, title=title, status=status, message=message
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the hook for newstrace errors, HTTP errors and invalid requests."""

    async def on_newstrace(request: Request, exc: Exception) -> Response:
        if isinstance(exc, FilterError):  # a query parameter's value
            detail = [{"loc": ["query"], "msg": str(exc), "type": "value_error"}]
            return error_response(request, INVALID, str(exc), detail)
        status = next((s for t, s in STATUS.items() if isinstance(exc, t)), 500)
        return error_response(request, status, str(exc))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error_response(request, exc.status_code, str(exc.detail))

    async def on_invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        # `detail`: loc, msg and type per error (`ErrorDetail`), beside the `error` and
        # `status` every error carries.
        errors = [
            {
                "loc": [str(p) for p in e.get("loc", ())],
                "msg": str(e.get("msg", "")),
                "type": str(e.get("type", "value_error")),
            }
            for e in exc.errors()
        ]
        message = "; ".join(f"{'.'.join(e['loc'][1:])}: {e['msg']}" for e in errors)
        return error_response(request, INVALID, message or "invalid request", errors)

    app.add_exception_handler(NewstraceError, on_newstrace)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_invalid)


def document_errors(app: FastAPI) -> None:
    """Make the OpenAPI schema say what the hook answers: an invalid request is a 400
    with an `ErrorOut` body on every operation that takes parameters (in place of the
    422 ``HTTPValidationError`` FastAPI declares)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, summary=app.summary, routes=app.routes
        )
        error_ref = {"$ref": "#/components/schemas/ErrorOut"}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.get("responses", {})
                if responses.pop("422", None) is not None:
                    responses[str(INVALID)] = {
                        "description": "Invalid request: the reason, and each invalid parameter",
                        "content": {"application/json": {"schema": error_ref}},
                    }
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        body = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(body.pop("$defs", {}))
        components["ErrorOut"] = body
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
