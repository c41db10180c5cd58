"""The HTML pages of the docs UI and the static mount of their assets."""

import json
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from oversight.docs_ui.assets import OWN_ASSETS, VENDOR_PACKAGE, redoc_bundle

DOCS_PATH = "/docs"
REDOC_PATH = "/redoc"
OAUTH2_REDIRECT_PATH = "/docs/oauth2-redirect"
STATIC_PATH = "/docs/static"

# Only this origin: a request to any other host is blocked by the browser. The bundles inject
# <style> elements (hence inline styles), and ReDoc runs its search index in a blob: worker.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}

router = APIRouter(include_in_schema=False)


def _json_for_html(value: dict[str, Any]) -> str:
    """JSON that is safe inside a <script type="application/json"> element."""
    return (
        json.dumps(value, separators=(",", ":"))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def _page(title: str, head: str, body: str) -> HTMLResponse:
    html = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{head}
</head>
<body>
{body}
</body>
</html>
"""
    return HTMLResponse(html, headers=PAGE_HEADERS)


def _urls(request: Request) -> tuple[str, str]:
    root = request.scope.get("root_path", "").rstrip("/")
    return root, request.app.openapi_url or "/openapi.json"


@router.get(DOCS_PATH)
def swagger_ui(request: Request) -> HTMLResponse:
    root, openapi_url = _urls(request)
    static = root + STATIC_PATH
    config = {"openapiUrl": root + openapi_url, "oauth2RedirectPath": root + OAUTH2_REDIRECT_PATH}
    return _page(
        f"{request.app.title} — interactive documentation",
        f'<link rel="icon" type="image/png" href="{static}/favicon.png">\n'
        f'<link rel="stylesheet" href="{static}/swagger-ui.css">\n'
        f'<link rel="stylesheet" href="{static}/docs.css">',
        '<div id="swagger-ui"></div>\n'
        f'<script id="docs-config" type="application/json">{_json_for_html(config)}</script>\n'
        f'<script src="{static}/swagger-ui-bundle.js"></script>\n'
        f'<script src="{static}/swagger-init.js"></script>',
    )


@router.get(OAUTH2_REDIRECT_PATH)
def swagger_ui_oauth2_redirect(request: Request) -> HTMLResponse:
    root, _ = _urls(request)
    return _page(
        "Signing in",
        "",
        f'<script src="{root + STATIC_PATH}/oauth2-redirect.js"></script>',
    )


@router.get(REDOC_PATH)
def redoc(request: Request) -> HTMLResponse:
    root, openapi_url = _urls(request)
    static = root + STATIC_PATH
    config = {"openapiUrl": root + openapi_url}
    return _page(
        f"{request.app.title} — reference",
        f'<link rel="icon" type="image/png" href="{static}/favicon.png">\n'
        f'<link rel="stylesheet" href="{static}/docs.css">',
        '<div id="redoc"></div>\n'
        f'<script id="docs-config" type="application/json">{_json_for_html(config)}</script>\n'
        f'<script src="{static}/redoc.standalone.js"></script>\n'
        f'<script src="{static}/redoc-init.js"></script>',
    )


@router.get(STATIC_PATH + "/redoc.standalone.js")
def redoc_script() -> Response:
    return Response(
        redoc_bundle(),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=86400"},
    )


def mount_assets(app: FastAPI) -> None:
    """The project's own scripts first, then the vendored bundles, under one path."""
    app.mount(
        STATIC_PATH,
        StaticFiles(directory=OWN_ASSETS, packages=[VENDOR_PACKAGE]),
        name="docs-static",
    )
