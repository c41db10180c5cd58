"""The application factory: middleware, error handlers, routers."""

import gc
import logging

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.trustedhost import TrustedHostMiddleware
from sqlalchemy import Engine

from oversight import __version__, errors
from oversight.actions import router as actions_router
from oversight.agencies import router as agencies_router
from oversight.audit import recorder
from oversight.audit_reads import router as audit_router
from oversight.auth import me_router
from oversight.auth import router as auth_router
from oversight.auth.tokens import TokenCodec
from oversight.board import router as board_router
from oversight.bulletins import public_router, receipt_router
from oversight.bulletins import router as bulletins_router
from oversight.bulletins.search import DEFAULT_PLAN
from oversight.changes import outbox
from oversight.changes import router as changes_router
from oversight.config import Settings, get_settings
from oversight.db import make_engine, make_sessionmaker, migrations
from oversight.db.sqlite_checkpoints import start_checkpoints
from oversight.docs_ui import install as install_docs_ui
from oversight.docs_ui import site
from oversight.docs_ui.handbook import DESCRIPTION, TAGS
from oversight.meetings import minutes_router
from oversight.meetings import router as meetings_router
from oversight.reports import router as reports_router
from oversight.reports import statistics_router
from oversight.representations import store as representations
from oversight.service_accounts import router as service_accounts_router
from oversight.taxii import router as taxii_router
from oversight.users import router as users_router
from oversight.web import health, problems
from oversight.web.admission import Admission
from oversight.web.middleware import RequestContextMiddleware
from oversight.web.paging import CursorCodec
from oversight.webhooks import router as webhooks_router

API_PREFIX = "/api/v1"
# The API paths that need no access token; every other one is refused (401) before it
# reaches the database.
PUBLIC_PATHS = (f"{API_PREFIX}/auth/token", f"{API_PREFIX}/auth/revoke", f"{API_PREFIX}/public/")


def prepare_worker(app: FastAPI) -> None:
    """What a serving worker does once its app is built (not the tests: they build many).

    On SQLite, checkpoints move to a background thread (see `sqlite_checkpoints`). Then what
    the worker built at start-up is frozen: modules, routes, models and schemas live as long
    as the worker, yet every full garbage collection walked them all, holding up the request
    in hand for as long. Frozen, they are left out of every later collection; request garbage
    goes as before. The figures: docs/architecture.md, "Tails: what a serving worker does at
    start".
    """
    app.state.checkpoints = start_checkpoints(app.state.engine)
    gc.collect()
    gc.freeze()


# In the order the docs list them.
ROUTERS = (
    auth_router,
    me_router,
    bulletins_router,
    receipt_router,
    public_router,
    meetings_router,
    minutes_router,
    actions_router,
    reports_router,
    statistics_router,
    board_router,
    agencies_router,
    users_router,
    service_accounts_router,
    audit_router,
    changes_router,
    webhooks_router,
)


def api_router() -> APIRouter:
    # Any request may be refused before it reaches a route (see web/body.py): NUL in its
    # target (400), a body too slow to arrive (408), too large (413) or not JSON (415).
    api = APIRouter(prefix=API_PREFIX, responses=errors.responses(400, 408, 413, 415))
    for module in ROUTERS:
        api.include_router(module.router)
    return api


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level.upper(), format="%(message)s")
    engine = engine or make_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.effective_db_concurrency,
    )
    recorder.install()
    outbox.install()
    representations.install()
    app = FastAPI(
        title="Oversight API",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.tokens = TokenCodec(settings)
    app.state.cursors = CursorCodec(app.state.tokens.key)
    app.state.search_plan = DEFAULT_PLAN
    app.state.admission = Admission(
        settings.effective_db_concurrency,
        settings.admission_timeout_seconds,
        settings.hash_concurrency,
    )
    app.state.schema_heads = migrations.head_revisions()
    problems.install(app)
    app.include_router(site.router)
    app.include_router(site.index_router)
    app.include_router(health.router)
    app.include_router(api_router())
    app.include_router(taxii_router.router)
    install_docs_ui(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["ETag", "Link", "X-Request-ID", "Retry-After"],
        )
    if settings.allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts)
    app.add_middleware(  # outermost: every answer, even a refused host's, gets its headers
        RequestContextMiddleware,
        max_body_bytes=settings.max_body_bytes,
        body_timeout=settings.body_timeout_seconds,
        public_paths=PUBLIC_PATHS,
    )
    return app
