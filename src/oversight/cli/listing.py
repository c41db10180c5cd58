"""What the admin commands share: naming an agency, and printing a whole list."""

import uuid
from collections.abc import Callable
from typing import Any

import typer
from sqlalchemy.orm import Session

from oversight.agencies import service as agencies
from oversight.cli.output import emit, table
from oversight.cli.session import cli_session
from oversight.db.keyset import Key, PageSlice, every

AgencyOpt = typer.Option(..., "--agency", help="Agency id or slug")
AgencyFilterOpt = typer.Option(None, "--agency", help="Agency id or slug")

Fetch = Callable[[Session, uuid.UUID | None, PageSlice], tuple[list[Any], Key | None]]


def print_all(
    as_json: bool,
    agency: str | None,
    fetch: Fetch,
    out: Callable[[Any], dict[str, Any]],
    columns: list[str],
) -> None:
    """Every row of a list, of one agency (by id or slug) when named, as a table or JSON."""
    with cli_session(as_json) as session:
        agency_id = agencies.find(session, agency).id if agency else None
        data = [out(row) for row in every(lambda page: fetch(session, agency_id, page))]
    emit(data, as_json, table(data, columns))
