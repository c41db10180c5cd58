"""The ASGI application uvicorn's workers import."""

from oversight.main import create_app, settle_worker_heap

app = create_app()
settle_worker_heap()
