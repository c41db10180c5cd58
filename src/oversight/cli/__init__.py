"""The `oversight` command: one module per noun, every command with --json."""

from importlib.metadata import PackageNotFoundError, version

import typer

from oversight.cli import agencies as agencies_cmd
from oversight.cli import audit as audit_cmd
from oversight.cli import board_update as board_update_cmd
from oversight.cli import bootstrap as bootstrap_cmd
from oversight.cli import db as db_cmd
from oversight.cli import demo as demo_cmd
from oversight.cli import openapi as openapi_cmd
from oversight.cli import reports as reports_cmd
from oversight.cli import serve as serve_cmd
from oversight.cli import service_accounts as service_accounts_cmd
from oversight.cli import taxii as taxii_cmd
from oversight.cli import users as users_cmd
from oversight.cli import worker as worker_cmd
from oversight.cli.output import example, run

try:
    VERSION = version("oversight")
except PackageNotFoundError:  # pragma: no cover - running from a source tree not installed
    VERSION = "unknown"

app = typer.Typer(
    name="oversight",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,  # shell completion is not offered: nothing tests it
    rich_markup_mode=None,  # plain help: lists wrap at words, never mid-word
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"oversight {VERSION}")
        raise typer.Exit()


@app.callback()
def _root(
    _version: bool = typer.Option(
        False, "--version", is_eager=True, callback=_show_version, help="Show the version"
    ),
) -> None:
    """Oversight: the information-sharing API of a cybercrime strategic oversight group.

    Every command acts on the database named by OVERSIGHT_DATABASE_URL (default
    ./var/oversight.db), takes --json, and exits 0 (done), 1 (failed) or 2 (usage);
    docs/cli.md describes each one.
    """


app.add_typer(db_cmd.app, name="db")
app.add_typer(audit_cmd.app, name="audit")
app.add_typer(agencies_cmd.app, name="agencies")
app.add_typer(users_cmd.app, name="users")
app.add_typer(service_accounts_cmd.app, name="service-accounts")
app.add_typer(taxii_cmd.app, name="taxii")
app.add_typer(reports_cmd.app, name="reports")
app.command(
    "bootstrap",
    epilog=example(
        'oversight bootstrap --agency "Northshire Police Cyber Crime Unit" --sector police \\',
        "  --email admin@police.example",
    ),
)(bootstrap_cmd.bootstrap)
app.command("demo", epilog=example("oversight demo --logins"))(demo_cmd.demo)
app.command("serve", epilog=example("oversight serve --host 0.0.0.0 --port 8000 --workers 2"))(
    serve_cmd.serve
)
app.command("openapi", epilog=example("oversight openapi --output openapi/openapi.json"))(
    openapi_cmd.openapi
)
app.command("worker", epilog=example("oversight worker --concurrency 4"))(worker_cmd.worker)
app.command(
    "board-update",
    epilog=example(
        "oversight board-update --from 2026-09-01 --to 2026-11-30 --as chair@police.example \\",
        "  --format html --output update.html",
    ),
)(board_update_cmd.board_update)


def main() -> None:
    run(app)
