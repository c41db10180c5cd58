"""What the live run (`schemathesis_live.py`) loads: the checks of `schemathesis_hooks`, and
the demo person's login by the password grant, kept working through the run's own changes
to that person.

The run calls every operation with the data it finds, its own account's id included: an admin
may reset its own password (the answer carries the new one) or change its own email, as a
client may, and a client then logs in with what it was told. So does this login; a token
ended by a logout (a 401) is replaced by a new login.
"""

import os
import threading
from typing import Any

import httpx
import schemathesis

from tests.support import schemathesis_hooks  # noqa: F401 - registers the checks

TOKEN_PATH = "/api/v1/auth/token"


class Login:
    """Who the run logs in as; updated from the answers that change it."""

    def __init__(self) -> None:
        self.email = os.environ["OVERSIGHT_LIVE_EMAIL"]
        self.password = os.environ["OVERSIGHT_LIVE_PASSWORD"]
        self.user_id: str | None = None
        self.lock = threading.Lock()


LOGIN = Login()


@schemathesis.auth()
class PasswordGrant:
    def get(self, case: Any, ctx: Any) -> str:
        base = ctx.operation.schema.get_base_url().rstrip("/")
        with LOGIN.lock:
            form = {"grant_type": "password", "username": LOGIN.email, "password": LOGIN.password}
        answer = httpx.post(f"{base}{TOKEN_PATH}", data=form, timeout=30)
        answer.raise_for_status()
        token = answer.json()["access_token"]
        if LOGIN.user_id is None:
            me = httpx.get(
                f"{base}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=30
            )
            me.raise_for_status()
            LOGIN.user_id = str(me.json()["id"])
        return token

    def set(self, case: Any, data: str, ctx: Any) -> None:
        case.headers["Authorization"] = f"Bearer {data}"


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    """Follows a change the run made to its own account."""
    if response.status_code != 200 or LOGIN.user_id is None:
        return
    if str((case.path_parameters or {}).get("user_id")) != LOGIN.user_id:
        return
    with LOGIN.lock:
        if case.method.upper() == "POST" and case.path.endswith("/reset-password"):
            LOGIN.password = response.json()["password"]
        elif case.method.upper() == "PATCH" and case.path == "/api/v1/users/{user_id}":
            LOGIN.email = response.json()["email"]
