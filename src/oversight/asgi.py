"""The ASGI application uvicorn's workers import."""

from oversight.main import create_app, prepare_worker

app = create_app()
prepare_worker(app)
