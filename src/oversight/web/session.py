"""The request's unit of work, as a dependency: a database slot, then one session."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from oversight.db import RequestMeta, unit_of_work
from oversight.web.admission import admitted


def request_meta(request: Request) -> RequestMeta:
    ua = request.headers.get("user-agent")
    return RequestMeta(
        request_id=getattr(request.state, "request_id", None),
        ip=request.client.host if request.client else None,
        user_agent=ua[:512] if ua else None,
    )


def get_session(
    request: Request, _slot: Annotated[None, Depends(admitted, scope="function")]
) -> Iterator[Session]:
    """One session per request, in a database slot; commits when the endpoint returns."""
    with unit_of_work(request.app.state.sessionmaker, meta=request_meta(request)) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
