"""The one exception hook: errors become an HTML page or a JSON object.

JSON for `/api/...` paths and for clients that do not accept HTML; HTML otherwise.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
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
    422: "Invalid request",
    503: "Store unavailable",
}


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
        if isinstance(exc, FilterError):  # a query parameter: 422, as the schema says
            detail = [{"loc": ["query"], "msg": str(exc), "type": "value_error"}]
            return error_response(request, 422, str(exc), detail)
        status = next((s for t, s in STATUS.items() if isinstance(exc, t)), 500)
        return error_response(request, status, str(exc))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error_response(request, exc.status_code, str(exc.detail))

    async def on_invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        # `detail` in the shape the OpenAPI schema declares for 422 (HTTPValidationError:
        # loc, msg and type per error), beside the `error`/`status` every error carries.
        errors = [
            {
                "loc": [str(p) for p in e.get("loc", ())],
                "msg": str(e.get("msg", "")),
                "type": str(e.get("type", "value_error")),
            }
            for e in exc.errors()
        ]
        message = "; ".join(f"{'.'.join(e['loc'][1:])}: {e['msg']}" for e in errors)
        return error_response(request, 422, message or "invalid request", errors)

    app.add_exception_handler(NewstraceError, on_newstrace)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_invalid)
