"""`oversight openapi`: write the OpenAPI schema."""

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from oversight.cli.output import JsonOpt, emit

if TYPE_CHECKING:
    from fastapi import FastAPI


def render(app: "FastAPI") -> str:
    """The schema as committed in openapi/openapi.json (the drift test compares with this)."""
    return json.dumps(app.openapi(), indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def schema_text() -> str:
    import secrets

    from oversight.config import get_settings
    from oversight.main import create_app

    # The schema depends on neither the signing key nor the database: touch neither.
    settings = get_settings().model_copy(
        update={"secret_key": secrets.token_urlsafe(48), "database_url": "sqlite://"}
    )
    return render(create_app(settings))


def openapi(
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write"),
    as_json: bool = JsonOpt,
) -> None:
    """Write the OpenAPI schema (to stdout, or to --output)."""
    text = schema_text()
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text)
    emit({"written": str(output)}, as_json, f"wrote {output}")
