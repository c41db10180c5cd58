"""`oversight users list|create|disable|enable|grant|revoke|reset-password`, as the system.

Passwords are read from standard input (`--password-stdin`) or generated, never from argv.
"""

import uuid
from collections.abc import Callable
from typing import Any

import typer
from sqlalchemy.orm import Session

from oversight.accounts.models import User
from oversight.agencies import service as agencies
from oversight.auth.scopes import Role
from oversight.cli.listing import AgencyFilterOpt, AgencyOpt, print_all
from oversight.cli.output import (
    JsonOpt,
    choices,
    emit,
    example,
    read_secret_stdin,
    validated,
)
from oversight.cli.session import cli_session
from oversight.users import service
from oversight.users.schemas import UserCreate, UserRead

app = typer.Typer(help="People and their roles.", no_args_is_help=True, rich_markup_mode=None)

COLUMNS = ["id", "email", "display_name", "roles", "is_active"]
UserArg = typer.Argument(..., metavar="USER", help="User id or email")


def _out(user: User) -> dict[str, Any]:
    return UserRead.model_validate(user).model_dump(mode="json")


@app.command(
    "list",
    epilog=example("oversight users list --agency northshire-schools-trust --role agency_admin"),
)
def list_users(
    agency: str | None = AgencyFilterOpt,
    role: Role | None = typer.Option(
        None, "--role", metavar="ROLE", help=f"Only users holding this role, {choices(Role)}"
    ),
    active: bool | None = typer.Option(None, "--active/--inactive", help="Only (in)active"),
    as_json: bool = JsonOpt,
) -> None:
    """List users, newest first."""
    print_all(
        as_json,
        agency,
        lambda session, agency_id, page: service.listing(
            session, None, page, agency_id, active, role=role
        ),
        _out,
        COLUMNS,
    )


@app.command(
    "create",
    epilog=example(
        """printf '%s\\n' "$PASSWORD" | oversight users create \\""",
        '  --agency northshire-schools-trust --email head@schools.example --name "Head of IT" \\',
        "  --role agency_admin --password-stdin",
    ),
)
def create(
    email: str = typer.Option(..., "--email"),
    agency: str = AgencyOpt,
    name: str | None = typer.Option(None, "--name", help="Display name (default: from email)"),
    roles: list[Role] = typer.Option(
        [], "--role", metavar="ROLE", help=f"A role to grant (repeatable), {choices(Role)}"
    ),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input"
    ),
    as_json: bool = JsonOpt,
) -> None:
    """Create a user; prints a generated password, once, unless one is given on stdin."""
    password = read_secret_stdin(as_json) if password_stdin else None
    with cli_session(as_json) as session:
        body = validated(
            UserCreate,
            as_json,
            email=email,
            display_name=name or email.split("@")[0],
            agency_id=agencies.find(session, agency).id,
            roles=roles,
            password=password,
        )
        user, generated = service.create(session, None, body)
        data = _out(user) | {"password": generated}
    text = f"created user {data['email']} ({data['id']})"
    emit(data, as_json, text + (f"\npassword: {generated}" if generated else ""))


def _act(ref: str, as_json: bool, act: Callable[[Session, uuid.UUID], User], done: str) -> None:
    with cli_session(as_json) as session:
        data = _out(act(session, service.find(session, None, ref).id))
    emit(data, as_json, f"{data['email']}: {done}; roles {', '.join(data['roles'])}")


@app.command("disable", epilog=example("oversight users disable head@schools.example"))
def disable(user: str = UserArg, as_json: bool = JsonOpt) -> None:
    """Disable a user: every token they hold stops working at once."""
    _act(user, as_json, lambda s, u: service.disable(s, None, u), "disabled")


@app.command("enable", epilog=example("oversight users enable head@schools.example --json"))
def enable(user: str = UserArg, as_json: bool = JsonOpt) -> None:
    """Enable a disabled user."""
    _act(user, as_json, lambda s, u: service.enable(s, None, u), "enabled")


def _role(to: str) -> Any:
    return typer.Argument(..., metavar="ROLE", help=f"Role to {to}, {choices(Role)}")


@app.command("grant", epilog=example("oversight users grant head@schools.example editor"))
def grant(user: str = UserArg, role: Role = _role("add"), as_json: bool = JsonOpt) -> None:
    """Add a role to a user."""
    _act(user, as_json, lambda s, u: service.grant(s, None, u, role), f"granted {role.value}")


@app.command("revoke", epilog=example("oversight users revoke head@schools.example editor"))
def revoke(user: str = UserArg, role: Role = _role("remove"), as_json: bool = JsonOpt) -> None:
    """Remove a role from a user."""
    _act(user, as_json, lambda s, u: service.revoke(s, None, u, role), f"revoked {role.value}")


@app.command(
    "reset-password", epilog=example("oversight users reset-password head@schools.example --json")
)
def reset_password(user: str = UserArg, as_json: bool = JsonOpt) -> None:
    """Set a generated password (printed once); the user's tokens stop working."""
    with cli_session(as_json) as session:
        user_id = service.find(session, None, user).id
        target, password = service.reset_password(session, None, user_id)
        data = {"id": str(target.id), "email": target.email, "password": password}
    emit(data, as_json, f"new password for {data['email']}: {password}")
