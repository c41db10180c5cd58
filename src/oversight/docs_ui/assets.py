"""Where the docs UI's files live: the project's own scripts and the vendored bundles."""

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

OWN_ASSETS = Path(__file__).parent / "static"
# (package, directory) holding swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js.
VENDOR_PACKAGE = ("fastapi_offline", "static")
VENDOR_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png")
OWN_FILES = ("swagger-init.js", "redoc-init.js", "oauth2-redirect.js", "docs.css")

# ReDoc's side menu always shows the Redocly logo from its CDN; on a closed network that is a
# request to another host, so the bundle is served with the logo replaced by an empty image.
REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
EMPTY_IMAGE = b"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"


def vendor_dir() -> Path:
    return Path(str(files(VENDOR_PACKAGE[0]).joinpath(VENDOR_PACKAGE[1])))


@lru_cache(maxsize=1)
def redoc_bundle() -> bytes:
    return (vendor_dir() / "redoc.standalone.js").read_bytes().replace(REDOC_LOGO, EMPTY_IMAGE)
