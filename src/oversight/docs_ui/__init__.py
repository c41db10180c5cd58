"""The members' docs UI: Swagger UI at /docs and ReDoc at /redoc, every asset served locally.

The Swagger UI and ReDoc bundles come from the `fastapi-offline` package (MIT), which ships
`swagger-ui-dist` (Apache-2.0) and the `redoc` standalone bundle (MIT) as package data; the
small start-up scripts beside this module are the project's own.
"""

from fastapi import FastAPI

from oversight.docs_ui.router import mount_assets, router
from oversight.docs_ui.schema import install_schema


def install(app: FastAPI) -> None:
    """Serve /docs, /docs/oauth2-redirect and /redoc with their assets, and refine the schema."""
    app.include_router(router)
    mount_assets(app)
    install_schema(app)
