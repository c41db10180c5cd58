"""`oversight agencies list|create|suspend|reinstate`, acting as the system."""

from collections.abc import Callable
from typing import Any

import typer

from oversight.accounts.models import Agency, AgencyStatus, Sector
from oversight.agencies import service
from oversight.agencies.schemas import AgencyCreate, AgencyRead
from oversight.cli.output import JsonOpt, choices, emit, example, table, validated
from oversight.cli.session import cli_session
from oversight.db.keyset import every

app = typer.Typer(help="Member agencies.", no_args_is_help=True, rich_markup_mode=None)

AgencyArg = typer.Argument(..., metavar="AGENCY", help="Agency id or slug")
COLUMNS = ["id", "slug", "name", "sector", "status"]


def _out(agency: Agency) -> dict[str, Any]:
    return AgencyRead.model_validate(agency).model_dump(mode="json")


@app.command("list", epilog=example("oversight agencies list --status suspended --json"))
def list_agencies(
    status: AgencyStatus | None = typer.Option(
        None, metavar="STATUS", help=f"Only agencies in this status, {choices(AgencyStatus)}"
    ),
    as_json: bool = JsonOpt,
) -> None:
    """List agencies by name."""
    with cli_session(as_json) as session:
        data = [_out(a) for a in every(lambda page: service.listing(session, page, status))]
    emit(data, as_json, table(data, COLUMNS))


@app.command(
    "create",
    epilog=example(
        'oversight agencies create --name "Northshire Schools Trust" --sector education'
    ),
)
def create(
    name: str = typer.Option(..., "--name", help="The agency's full name"),
    sector: Sector = typer.Option(..., "--sector", metavar="SECTOR", help=choices(Sector)),
    slug: str | None = typer.Option(None, "--slug", help="Made from the name when omitted"),
    as_json: bool = JsonOpt,
) -> None:
    """Create an agency."""
    body = validated(AgencyCreate, as_json, name=name, sector=sector, slug=slug)
    with cli_session(as_json) as session:
        data = _out(service.create(session, None, body))
    emit(data, as_json, f"created agency {data['slug']} ({data['id']})")


def _act(ref: str, as_json: bool, act: Callable[..., Agency], state: str) -> None:
    with cli_session(as_json) as session:
        data = _out(act(session, None, service.find(session, ref).id))
    emit(data, as_json, f"agency {data['slug']} is {state}")


@app.command("suspend", epilog=example("oversight agencies suspend northshire-schools-trust"))
def suspend(agency: str = AgencyArg, as_json: bool = JsonOpt) -> None:
    """Suspend an agency: its users' and systems' tokens stop working at once."""
    _act(agency, as_json, service.suspend, "suspended")


@app.command(
    "reinstate", epilog=example("oversight agencies reinstate northshire-schools-trust --json")
)
def reinstate(agency: str = AgencyArg, as_json: bool = JsonOpt) -> None:
    """Reinstate a suspended agency."""
    _act(agency, as_json, service.reinstate, "active")
