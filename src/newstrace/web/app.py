"""The application factory: routes from `views/`, the error hook, the request guard."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from newstrace.reader import Reader
from newstrace.store import Store
from newstrace.web.analysis import AnalysisCache
from newstrace.web.config import WebConfig
from newstrace.web.current import StoreResults
from newstrace.web.errors import document_errors, install_error_handlers
from newstrace.web.jobs import JobQueue
from newstrace.web.kept import KeptAnswers
from newstrace.web.rendering import STATIC, compile_templates
from newstrace.web.security import Guard
from newstrace.web.views import (
    alerts,
    articles,
    claims,
    entities,
    events,
    figures,
    groups,
    ingest,
    network,
    search,
    timeline,
    watch,
)

VIEWS = (
    articles,
    claims,
    events,
    groups,
    entities,
    figures,
    timeline,
    network,
    search,
    ingest,
    watch,
    alerts,
)


def _refresh_and_warm(analysis: AnalysisCache) -> Callable[[], None]:
    def after_ingest() -> None:
        analysis.refresh()
        analysis.warm()

    return after_ingest


def create_app(config: WebConfig) -> FastAPI:
    """A FastAPI application over the store named in `config`."""
    store = Store.open(config.db, read_only=config.read_only)
    analysis = AnalysisCache(store, Reader(store, config))
    analysis.refresh()  # once here, and after each browser ingest; never per request
    analysis.warm()
    compile_templates()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="newstrace",
        summary="Who said what, about whom, when, with which figure, on whose authority.",
        version="1",
        docs_url=None,  # the Swagger UI loads from a CDN; nothing is fetched at run time
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.store = store
    app.state.analysis = analysis
    app.state.results = StoreResults(store)
    app.state.jobs = JobQueue(config, store, after=_refresh_and_warm(analysis))
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for view in VIEWS:
        app.include_router(view.router)
    install_error_handlers(app)
    document_errors(app)

    def version() -> tuple[str, int]:  # what a kept answer was computed from
        return store.version(), analysis.generation

    app.add_middleware(
        KeptAnswers, version=version, keep=config.kept_answers, blocking=store.dialect != "sqlite"
    )
    app.add_middleware(Guard, config=config)  # added last: it runs first
    return app
