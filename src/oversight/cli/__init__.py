"""The `oversight` command: one module per noun, every command with --json."""

import typer

from oversight.cli import db as db_cmd
from oversight.cli import openapi as openapi_cmd
from oversight.cli import serve as serve_cmd

app = typer.Typer(
    name="oversight",
    help="Oversight: the information-sharing API of a cybercrime strategic oversight group.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db_cmd.app, name="db")
app.command("serve")(serve_cmd.serve)
app.command("openapi")(openapi_cmd.openapi)


def main() -> None:
    app()
