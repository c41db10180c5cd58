"""`oversight bootstrap`: the first agency and its admin, on a database without an admin."""

import typer

from oversight.accounts.models import Sector
from oversight.agencies import repository as agencies_repo
from oversight.agencies import service as agencies
from oversight.agencies.schemas import AgencyCreate
from oversight.auth.scopes import Role
from oversight.cli import database
from oversight.cli.output import (
    JsonOpt,
    choices,
    emit,
    fail,
    read_secret_stdin,
    validated,
)
from oversight.cli.session import cli_session
from oversight.db import make_engine
from oversight.users import repository as users_repo
from oversight.users import service as users
from oversight.users.schemas import UserCreate, UserRead


def migrate(as_json: bool) -> None:
    """Bring the schema up to date first, so a fresh database needs one command."""
    engine = make_engine(database.url(as_json, create=True))
    try:
        database.upgrade(engine)
    except Exception as exc:
        fail(f"migration failed: {type(exc).__name__}", as_json)
    finally:
        engine.dispose()


def bootstrap(
    agency: str = typer.Option(..., "--agency", help="Name of the first agency"),
    email: str = typer.Option(..., "--email", help="Email of the first admin"),
    name: str | None = typer.Option(None, "--name", help="Display name (default: from email)"),
    sector: Sector = typer.Option(Sector.other, "--sector", metavar="SECTOR", help=choices(Sector)),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input"
    ),
    as_json: bool = JsonOpt,
) -> None:
    """Create the first agency and its admin.

    Prints a generated password, once, unless one is given with --password-stdin."""
    password = read_secret_stdin(as_json) if password_stdin else None
    body = validated(AgencyCreate, as_json, {"name": "--agency"}, name=agency, sector=sector)
    migrate(as_json)
    with cli_session(as_json) as session:
        if users_repo.any_admin(session):
            fail("an admin already exists: manage users with `oversight users`", as_json)
        found = agencies_repo.by_name(session, body.name)
        home = found or agencies.create(session, None, body)
        user_body = validated(
            UserCreate,
            as_json,
            email=email,
            display_name=name or email.split("@")[0],
            agency_id=home.id,
            roles=[Role.admin],
            password=password,
        )
        user, generated = users.create(session, None, user_body)
        data = {
            "agency": {"id": str(home.id), "name": home.name, "slug": home.slug},
            "user": UserRead.model_validate(user).model_dump(mode="json"),
            "password": generated,
        }
    text = f"admin {user.email} created in {home.name}"
    emit(data, as_json, text + (f"\npassword: {generated}" if generated else ""))
