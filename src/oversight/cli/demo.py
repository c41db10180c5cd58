"""`oversight demo`: load the demo set into an empty database and print the logins."""

from dataclasses import asdict
from typing import Any

import typer

from oversight import demo as demo_set
from oversight.cli.bootstrap import migrate
from oversight.cli.output import JsonOpt, emit, fail, table
from oversight.cli.progress import steps
from oversight.cli.session import cli_session
from oversight.demo import identity


def demo(
    logins: bool = typer.Option(
        False, "--logins", help="Print the demo logins of a database already loaded, and stop"
    ),
    if_empty: bool = typer.Option(
        False,
        "--if-empty",
        help="On a database that already holds data, say how to see the logins again or "
        "start over, and succeed (what `make run` does)",
    ),
    as_json: bool = JsonOpt,
) -> None:
    """Load the demo partnership into an empty database.

    Prints the demo logins; --logins prints them again later."""
    if logins:
        _logins_again(as_json)
        return
    migrate(as_json)
    with cli_session(as_json) as session:
        if not demo_set.is_empty(session):
            if if_empty:
                emit({"loaded": False}, as_json, ALREADY_LOADED)
                return
            fail("the database is not empty: the demo set loads only into an empty one", as_json)
        loaded = demo_set.load(session, steps("demo", len(demo_set.STEPS)))
        data = loaded.summary()
    emit(data, as_json, _text(data))


ALREADY_LOADED = "\n".join(
    [
        "The database already holds data: the demo set is not loaded again.",
        "  See the demo logins again:  .venv/bin/oversight demo --logins",
        "  Start over with a new demo: rm -f var/oversight.db* && make run",
        "    (that is `make run`'s own SQLite database; for another, empty it first)",
    ]
)


def _logins_again(as_json: bool) -> None:
    with cli_session(as_json) as session:
        found = [asdict(login) for login in identity.present_logins(session)]
    if not found:
        fail("no demo user is in this database: load the demo set with `oversight demo`", as_json)
    sa_name, sa_agency, _ = identity.SERVICE_ACCOUNT
    emit(
        {"logins": found},
        as_json,
        "\n".join(
            [
                "Demo logins (password grant, username = email; unless changed since):",
                table(found, ["role", "email", "password", "agency"]),
                "",
                f"The partner system ({sa_name}) secret was shown once, when the demo was "
                "loaded; for a new one:",
                f"  oversight service-accounts list --agency {sa_agency}",
                "  oversight service-accounts rotate CLIENT_ID",
            ]
        ),
    )


def _text(data: dict[str, Any]) -> str:
    sa = data["service_account"]
    return "\n".join(
        [
            f"Loaded {len(data['agencies'])} agencies, {len(data['logins'])} users, "
            f"{len(data['bulletins'])} bulletins, {len(data['meetings'])} meetings and "
            f"{len(data['actions'])} action items.",
            "",
            "Demo logins (password grant, username = email):",
            table(data["logins"], ["role", "email", "password", "agency"]),
            "",
            f"Partner system ({sa['agency']}, scopes {' '.join(sa['scopes'])}):",
            f"  client_id:     {sa['client_id']}",
            f"  client_secret: {sa['client_secret']}   (shown once)",
        ]
    )
