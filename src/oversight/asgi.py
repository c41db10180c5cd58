"""The ASGI application uvicorn's workers import."""

from oversight.main import create_app

app = create_app()
