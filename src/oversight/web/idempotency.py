"""Idempotency-Key on creating POSTs, as a dependency: a retry returns the first answer and
creates nothing (the answers are kept by `idempotency.store`)."""

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Protocol

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from oversight.idempotency import store
from oversight.web.etag import etag
from oversight.web.location import Route, location

REPLAYED = "Idempotent-Replayed"


class Caller(Protocol):
    """Whose answers are kept: the principal (auth's `Principal`), by kind and id."""

    @property
    def kind(self) -> str: ...
    @property
    def id(self) -> Any: ...


@dataclass(slots=True)
class Idempotency:
    key: str | None
    request_hash: str
    hours: int
    request: Request

    def respond(
        self,
        session: Session,
        principal: Caller,
        produce: Callable[[], BaseModel],
        *,
        status_code: int = 201,
        at: Route | None = None,
        at_id: Any = None,
        secret_fields: frozenset[str] = frozenset(),
    ) -> JSONResponse:
        """Replay a kept answer for a known key, or produce, keep and return a new one.

        `at` names the route that reads what was created (its `Location`, for `at_id` or
        the new item's id); `secret_fields`
        (a generated password, a client secret) are answered once and kept as null: a
        replay never hands out a secret, which lives only as a hash.
        """
        owner = f"{principal.kind}:{principal.id}"
        if self.key is not None:
            kept = store.find(session, owner, self.key, self.request_hash)
            if kept is not None:
                return JSONResponse(
                    kept.body,
                    status_code=kept.status_code,
                    headers={**kept.headers, REPLAYED: "true"},
                )
        out = produce()
        body = out.model_dump(mode="json")
        headers: dict[str, str] = {}
        if at is not None:
            headers["Location"] = location(self.request, at, at_id or getattr(out, "id", None))
        if isinstance(body.get("version"), int):
            headers["ETag"] = etag(body["version"])
        if self.key is not None:
            shown = {k: None if k in secret_fields else v for k, v in body.items()}
            answer = store.Answer(status_code, shown, headers)
            store.keep(session, owner, self.key, self.request_hash, answer, self.hours)
        return JSONResponse(body, status_code=status_code, headers=headers)


async def idempotency(
    request: Request,
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            max_length=255,
            description="Retry-safe key: the same key and body return the first response",
        ),
    ] = None,
) -> Idempotency:
    body = await request.body()
    # Keyed with the service secret: the stored hash says nothing about a body (a password in
    # POST /users, say) to someone who can read the database but not the secret.
    digest = hmac.new(
        request.app.state.tokens.key.encode(),
        request.method.encode() + b" " + request.url.path.encode() + b"\n" + body,
        hashlib.sha256,
    ).hexdigest()
    hours = request.app.state.settings.idempotency_hours
    return Idempotency(key=key or None, request_hash=digest, hours=hours, request=request)


IdempotencyDep = Annotated[Idempotency, Depends(idempotency)]
