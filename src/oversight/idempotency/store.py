"""Stored answers of creating requests: found by principal and key, kept at least 24 hours.

The answer is stored in the transaction of what the request created, so either both exist
or neither; a concurrent duplicate hits the primary key and is told to retry.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from oversight.db import utcnow
from oversight.errors import Conflict, Unprocessable
from oversight.idempotency.models import IdempotencyRecord


@dataclass(frozen=True, slots=True)
class Answer:
    status_code: int
    body: dict[str, Any]
    headers: dict[str, str]


def find(session: Session, owner: str, key: str, request_hash: str) -> Answer | None:
    """The first answer to this key, if it is still kept; 422 when the request differs."""
    stored = session.get(IdempotencyRecord, (owner, key))
    if stored is not None and stored.expires_at <= utcnow():
        session.delete(stored)
        session.flush()
        stored = None
    if stored is None:
        return None
    if stored.request_hash != request_hash:
        raise Unprocessable("This Idempotency-Key was already used with a different request")
    return Answer(stored.status_code, stored.response_body, stored.response_headers)


def keep(
    session: Session, owner: str, key: str, request_hash: str, answer: Answer, hours: int
) -> None:
    """Store the answer, and drop the owner's answers that have expired."""
    now = utcnow()
    session.add(
        IdempotencyRecord(
            principal=owner,
            key=key,
            request_hash=request_hash,
            status_code=answer.status_code,
            response_body=answer.body,
            response_headers=answer.headers,
            expires_at=now + timedelta(hours=hours),
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
