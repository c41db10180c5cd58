"""The application factory: middleware, error handlers, routers."""

import logging

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy import Engine

from oversight import __version__, errors, health, migrations
from oversight.audit import recorder
from oversight.auth import me as me_router
from oversight.auth import router as auth_router
from oversight.auth.tokens import TokenCodec
from oversight.config import Settings, get_settings
from oversight.db import make_engine, make_sessionmaker
from oversight.middleware import RequestContextMiddleware
from oversight.openapi_doc import DESCRIPTION, TAGS

API_PREFIX = "/api/v1"


def api_router() -> APIRouter:
    api = APIRouter(prefix=API_PREFIX)
    api.include_router(auth_router.router)
    api.include_router(me_router.router)
    return api


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level.upper(), format="%(message)s")
    engine = engine or make_engine(settings.database_url)
    recorder.install()
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
    app.state.schema_heads = migrations.head_revisions()
    errors.install(app)
    app.include_router(health.router)
    app.include_router(api_router())
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["ETag", "Link", "X-Request-ID", "Retry-After"],
        )
    app.add_middleware(RequestContextMiddleware, max_body_bytes=settings.max_body_bytes)
    return app
