"""How every command speaks: --json for machines, one line for people, exit codes."""

import json
import sys
from collections.abc import Iterable
from typing import Any, NoReturn, TypeVar

import typer
from pydantic import BaseModel, ValidationError

from oversight.auth import strength
from oversight.cli import plain

try:  # recent typer vendors its own click, whose exceptions are the ones raised
    from typer._click import exceptions as click
except ImportError:  # pragma: no cover - typer using the click package
    from click import exceptions as click  # type: ignore[no-redef]

M = TypeVar("M", bound=BaseModel)

JsonOpt = typer.Option(False, "--json", help="Machine-readable output (JSON)")


def example(*lines: str) -> str:
    """A command's help epilog: one example, kept as written (click's \\b: no rewrapping)."""
    return "\b\nExample:\n" + "\n".join("  " + line for line in lines)


def choices(values: Iterable[Any]) -> str:
    """The values an option takes, for its help text (words wrap whole there)."""
    return "one of: " + ", ".join(str(getattr(v, "value", v)) for v in values)


def emit(data: Any, as_json: bool, text: str | None = None) -> None:
    if as_json:
        typer.echo(json.dumps(data, default=str, sort_keys=True))
    else:
        typer.echo(text if text is not None else json.dumps(data, default=str, indent=2))


def fail(message: str, as_json: bool = False, code: int = 1) -> NoReturn:
    _tell(message, as_json)
    raise typer.Exit(code)


def _tell(message: str, as_json: bool) -> None:
    """The one-line error on stderr: `{"error": ...}` with --json, else `error: ...`."""
    message = (message.strip().splitlines() or ["failed"])[0]
    if as_json:
        typer.echo(json.dumps({"error": message}), err=True)
    else:
        typer.echo(f"error: {message}", err=True)


def read_secret_stdin(as_json: bool = False) -> str:
    """One line of standard input: secrets never travel in argv, where `ps` shows them.
    At a terminal, a hidden prompt asks twice, and again while the password is refused."""
    if sys.stdin.isatty():
        return _prompt_password()
    value = sys.stdin.readline().rstrip("\r\n")
    if not value:
        fail("expected a secret on standard input", as_json, code=2)
    return value


def _prompt_password() -> str:
    while True:
        value: str = typer.prompt(
            "New password", hide_input=True, confirmation_prompt="Repeat it", err=True
        )
        reason = strength.weakness(value)
        if reason is None:
            return value
        typer.echo(f"That password is {reason}. Try another.", err=True)


def run(app: typer.Typer, argv: list[str] | None = None) -> NoReturn:
    """Run the command line: exit 0 ok, 1 failure, 2 usage, each error told in one line."""
    args = sys.argv[1:] if argv is None else argv
    as_json = "--json" in args
    try:
        code = typer.main.get_command(app).main(args, "oversight", standalone_mode=False)
    except click.NoArgsIsHelpError as exc:
        exc.show()
        code = 2
    except click.BadParameter as exc:
        _tell(_bad_parameter(exc), as_json)
        code = 2
    except click.UsageError as exc:
        hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx else ""
        _tell(_one_line(exc.format_message()) + hint, as_json)
        code = 2
    except click.ClickException as exc:
        _tell(_one_line(exc.format_message()), as_json)
        code = exc.exit_code or 1
    except typer.Abort:
        _tell("aborted", as_json)
        code = 1
    except Exception as exc:  # e.g. `serve` on an unreachable database
        _tell(f"{type(exc).__name__}: {first_line(exc)}".rstrip(": "), as_json)
        code = 1
    sys.exit(code if isinstance(code, int) else 0)


def _bad_parameter(exc: "click.BadParameter") -> str:
    """Typer checks option values with pydantic: tell its error as a plain sentence."""
    cause = exc.__cause__
    if not isinstance(cause, ValidationError) or exc.param is None:
        return _one_line(exc.format_message())
    opts = getattr(exc.param, "opts", None) or []
    option = max(opts, key=len) if exc.param.param_type_name == "option" and opts else None
    what = option or (exc.param.name or "the value").upper()
    return plain.sentence(cause.errors()[0], what)


def first_line(exc: BaseException) -> str:
    text = str(exc)
    return text.splitlines()[0] if text else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def validated(
    model: type[M], as_json: bool, labels: dict[str, str] | None = None, **values: Any
) -> M:
    """Command-line input checked by the API's own schema; a bad value is a usage error (2),
    told about the option it came from (`labels` maps a field to an option of another name)."""
    try:
        return model(**values)
    except ValidationError as exc:
        fail(plain.first_sentence(exc, labels), as_json, code=2)


def table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """A plain aligned table for people; --json is the stable form for scripts."""
    if not rows:
        return "(none)"
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    return "\n".join(
        "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
        for row in [columns, *cells]
    )


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return "" if value is None else str(value)
