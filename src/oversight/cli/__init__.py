"""The `oversight` command: one module per noun, every command with --json."""

import typer

from oversight.cli import agencies as agencies_cmd
from oversight.cli import audit as audit_cmd
from oversight.cli import board_update as board_update_cmd
from oversight.cli import bootstrap as bootstrap_cmd
from oversight.cli import db as db_cmd
from oversight.cli import demo as demo_cmd
from oversight.cli import openapi as openapi_cmd
from oversight.cli import serve as serve_cmd
from oversight.cli import service_accounts as service_accounts_cmd
from oversight.cli import users as users_cmd
from oversight.cli.output import run

app = typer.Typer(
    name="oversight",
    help="Oversight: the information-sharing API of a cybercrime strategic oversight group.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db_cmd.app, name="db")
app.add_typer(audit_cmd.app, name="audit")
app.add_typer(agencies_cmd.app, name="agencies")
app.add_typer(users_cmd.app, name="users")
app.add_typer(service_accounts_cmd.app, name="service-accounts")
app.command("bootstrap")(bootstrap_cmd.bootstrap)
app.command("demo")(demo_cmd.demo)
app.command("serve")(serve_cmd.serve)
app.command("openapi")(openapi_cmd.openapi)
app.command("board-update")(board_update_cmd.board_update)


def main() -> None:
    run(app)
