"""`oversight board-update`: the board's cybercrime update, as a chair prints it.

The same document as `GET /api/v1/board-update`, read as the person named by `--as`: it
holds only what that person may read, and its classified reads are audited as theirs.
"""

import json
from datetime import date
from enum import StrEnum
from pathlib import Path

import typer

from oversight.audit.recorder import set_actor
from oversight.auth import repository
from oversight.auth.principal import Principal
from oversight.auth.scopes import scopes_for_roles
from oversight.board import render, service
from oversight.cli.output import JsonOpt, emit, fail
from oversight.cli.session import cli_session


class Format(StrEnum):
    html = "html"
    md = "md"
    json = "json"


def board_update(
    period_from: str = typer.Option(..., "--from", help="First day (YYYY-MM-DD)"),
    period_to: str = typer.Option(..., "--to", help="Last day (YYYY-MM-DD)"),
    fmt: Format = typer.Option(Format.html, "--format", help="html, md or json"),
    as_email: str = typer.Option(..., "--as", help="The reader: a member's email"),
    output: Path | None = typer.Option(None, "--output", help="Write here, not to stdout"),
    as_json: bool = JsonOpt,
) -> None:
    """Write the board update for a period, holding only what the named member may read."""
    try:
        start, end = date.fromisoformat(period_from), date.fromisoformat(period_to)
    except ValueError:
        fail("--from and --to must be dates (YYYY-MM-DD)", as_json)
    with cli_session(as_json) as session:
        user = repository.active_member(session, as_email.strip().lower())
        if user is None:
            fail(f"no active member with email {as_email}", as_json)
        roles = frozenset(user.roles)
        principal = Principal("user", user.id, user.agency_id, roles, scopes_for_roles(roles))
        set_actor(session, principal.actor)
        doc = service.build(session, principal, start, end)
    text = {
        Format.html: render.html,
        Format.md: render.markdown,
        Format.json: lambda d: json.dumps(d, indent=2),
    }[fmt](doc)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text, encoding="utf-8")
        emit({"written": str(output)}, as_json, f"Wrote {output}")
