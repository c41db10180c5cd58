"""`oversight demo`: load the demo set into an empty database and print the logins."""

from typing import Any

from oversight import demo as demo_set
from oversight.cli.bootstrap import migrate
from oversight.cli.output import JsonOpt, emit, fail, table
from oversight.cli.session import cli_session


def demo(as_json: bool = JsonOpt) -> None:
    """Load the demo partnership into an EMPTY database and print the demo logins."""
    migrate(as_json)
    with cli_session(as_json) as session:
        if not demo_set.is_empty(session):
            fail("the database is not empty: the demo set loads only into an empty one", as_json)
        data = demo_set.load(session).summary()
    emit(data, as_json, _text(data))


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
