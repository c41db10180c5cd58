"""`oversight service-accounts list|create|rotate|revoke`, acting as the system."""

from enum import StrEnum
from typing import Any

import typer

from oversight.accounts.models import ServiceAccount
from oversight.agencies import service as agencies
from oversight.auth.scopes import SERVICE_ACCOUNT_SCOPES, Scope
from oversight.cli.listing import AgencyFilterOpt, AgencyOpt, print_all
from oversight.cli.output import JsonOpt, choices, emit, example, validated
from oversight.cli.session import cli_session
from oversight.service_accounts import service
from oversight.service_accounts.schemas import ServiceAccountCreate, ServiceAccountRead

app = typer.Typer(
    help="Partner systems (OAuth2 client credentials).", no_args_is_help=True, rich_markup_mode=None
)

# Only the scopes a service account may hold are offered (and accepted) on the command line.
Grantable = StrEnum(  # type: ignore[misc]
    "Grantable", {scope.name: scope.value for scope in Scope if scope in SERVICE_ACCOUNT_SCOPES}
)

COLUMNS = ["id", "client_id", "name", "scopes", "is_active"]
AccountArg = typer.Argument(..., metavar="ACCOUNT", help="Service account id or client_id")


def _out(sa: ServiceAccount) -> dict[str, Any]:
    return ServiceAccountRead.model_validate(sa).model_dump(mode="json")


@app.command(
    "list", epilog=example("oversight service-accounts list --agency northshire-schools-trust")
)
def list_accounts(agency: str | None = AgencyFilterOpt, as_json: bool = JsonOpt) -> None:
    """List service accounts, newest first (revoked ones too)."""
    print_all(
        as_json,
        agency,
        lambda session, agency_id, page: service.listing(session, None, page, agency_id),
        _out,
        COLUMNS,
    )


@app.command(
    "create",
    epilog=example(
        'oversight service-accounts create --name "Schools alerting" \\',
        "  --agency northshire-schools-trust --scope bulletins:read --scope actions:read",
    ),
)
def create(
    name: str = typer.Option(..., "--name"),
    agency: str = AgencyOpt,
    scopes: list[Grantable] = typer.Option(
        ...,
        "--scope",
        metavar="SCOPE",
        help=f"A scope to grant (repeatable), {choices(Grantable)}; administration and the "
        "audit trail stay with people",
    ),
    as_json: bool = JsonOpt,
) -> None:
    """Create a service account; prints its client secret, once."""
    with cli_session(as_json) as session:
        body = validated(
            ServiceAccountCreate,
            as_json,
            name=name,
            agency_id=agencies.find(session, agency).id,
            scopes=scopes,
        )
        sa, secret = service.create(session, None, body)
        data = _out(sa) | {"client_secret": secret}
    emit(data, as_json, f"client_id: {data['client_id']}\nclient_secret: {secret}")


@app.command(
    "rotate",
    epilog=example("oversight service-accounts rotate cli_5f0c2a9e7b3d4c1e8a6f2b09 --json"),
)
def rotate(account: str = AccountArg, as_json: bool = JsonOpt) -> None:
    """Rotate the client secret (printed once); the old one stops working at once."""
    with cli_session(as_json) as session:
        sa, secret = service.rotate_secret(session, None, service.find(session, None, account).id)
        data = _out(sa) | {"client_secret": secret}
    emit(data, as_json, f"client_id: {data['client_id']}\nclient_secret: {secret}")


@app.command(
    "revoke", epilog=example("oversight service-accounts revoke cli_5f0c2a9e7b3d4c1e8a6f2b09")
)
def revoke(account: str = AccountArg, as_json: bool = JsonOpt) -> None:
    """Revoke a service account for good: its tokens stop working at once."""
    with cli_session(as_json) as session:
        data = _out(service.revoke(session, None, service.find(session, None, account).id))
    emit(data, as_json, f"service account {data['client_id']} is revoked")
