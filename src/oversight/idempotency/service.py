"""Idempotency-Key on creating POSTs: a retry returns the first response and creates nothing.

The stored response is written in the same transaction as what the request created, so
either both exist or neither; a concurrent duplicate hits the primary key and is told to retry.
"""

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from oversight.auth.principal import Principal
from oversight.concurrency import etag
from oversight.db import utcnow
from oversight.errors import Conflict, Unprocessable
from oversight.idempotency.models import IdempotencyRecord

REPLAYED = "Idempotent-Replayed"


@dataclass(slots=True)
class Idempotency:
    key: str | None
    request_hash: str
    hours: int

    def respond(
        self,
        session: Session,
        principal: Principal,
        produce: Callable[[], BaseModel],
        *,
        status_code: int = 201,
        location: Callable[[Any], str] | None = None,
        secret_fields: frozenset[str] = frozenset(),
    ) -> JSONResponse:
        """Replay a stored response for a known key, or produce, store and return a new one.

        `secret_fields` (a generated password, a client secret) are answered once and stored
        as null: a replay never hands out a secret, which lives only as a hash.
        """
        owner = f"{principal.kind}:{principal.id}"
        if self.key is not None:
            stored = session.get(IdempotencyRecord, (owner, self.key))
            if stored is not None and stored.expires_at <= utcnow():
                session.delete(stored)
                session.flush()
                stored = None
            if stored is not None:
                if stored.request_hash != self.request_hash:
                    raise Unprocessable(
                        "This Idempotency-Key was already used with a different request"
                    )
                return JSONResponse(
                    stored.response_body,
                    status_code=stored.status_code,
                    headers={**stored.response_headers, REPLAYED: "true"},
                )
        out = produce()
        body = out.model_dump(mode="json")
        headers: dict[str, str] = {}
        if location is not None:
            headers["Location"] = location(out)
        if isinstance(body.get("version"), int):
            headers["ETag"] = etag(body["version"])
        if self.key is not None:
            now = utcnow()
            session.add(
                IdempotencyRecord(
                    principal=owner,
                    key=self.key,
                    request_hash=self.request_hash,
                    status_code=status_code,
                    response_body={
                        k: None if k in secret_fields else v for k, v in body.items()
                    },
                    response_headers=headers,
                    expires_at=now + timedelta(hours=self.hours),
                )
            )
            try:
                session.flush()
            except IntegrityError as exc:
                raise Conflict(
                    "A request with this Idempotency-Key is being processed; retry shortly"
                ) from exc
            session.execute(
                delete(IdempotencyRecord).where(
                    IdempotencyRecord.principal == owner, IdempotencyRecord.expires_at < now
                )
            )
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
    return Idempotency(
        key=key or None, request_hash=digest, hours=request.app.state.settings.idempotency_hours
    )


IdempotencyDep = Annotated[Idempotency, Depends(idempotency)]
