"""Brute-force lockout, counted in the database so every worker agrees."""

import math
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from oversight.auth.models import LoginFailure
from oversight.config import Settings
from oversight.db import utcnow


def retry_after(session: Session, settings: Settings, account: str) -> int | None:
    """Seconds until the account may try again, or None when it is not locked out."""
    window = timedelta(minutes=settings.lockout_window_minutes)
    since = utcnow() - window
    count = session.scalar(
        select(func.count()).where(LoginFailure.account == account, LoginFailure.at > since)
    )
    if count < settings.lockout_threshold:
        return None
    # Locked until enough failures age out of the window to fall below the threshold.
    nth = session.scalars(
        select(LoginFailure.at)
        .where(LoginFailure.account == account, LoginFailure.at > since)
        .order_by(LoginFailure.at.desc())
        .offset(settings.lockout_threshold - 1)
        .limit(1)
    ).one()
    return max(1, math.ceil((nth + window - utcnow()).total_seconds()))


def note_failure(session: Session, settings: Settings, account: str) -> None:
    session.add(LoginFailure(account=account))
    # What has aged out of the window is of no further use.
    session.execute(
        delete(LoginFailure).where(
            LoginFailure.account == account,
            LoginFailure.at < utcnow() - timedelta(minutes=settings.lockout_window_minutes),
        )
    )


def clear(session: Session, account: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.account == account))
