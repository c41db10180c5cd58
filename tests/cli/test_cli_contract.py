"""What every `oversight` command promises a script: --json, exit codes 0/1/2, one-line
errors, no secret in argv, and a documented --json shape (docs/cli.md)."""

import json
import re
from pathlib import Path

import pytest
import typer

from oversight.cli import app
from oversight.cli.output import run

CLI_DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def _commands(command: object, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    sub = getattr(command, "commands", None)
    if not sub:
        return [(path, command)]
    out = []
    for name, child in sorted(sub.items()):
        out.extend(_commands(child, (*path, name)))
    return out


COMMANDS = _commands(typer.main.get_command(app))


def test_the_command_tree_is_what_the_contract_names():
    names = {" ".join(path) for path, _ in COMMANDS}
    for expected in [
        "serve", "db upgrade", "db current", "bootstrap", "demo", "openapi",
        "agencies list", "agencies create", "agencies suspend", "agencies reinstate",
        "users list", "users create", "users disable", "users enable", "users grant",
        "users revoke", "users reset-password", "service-accounts list",
        "service-accounts create", "service-accounts rotate", "service-accounts revoke",
        "audit verify", "audit export",
    ]:  # fmt: skip
        assert expected in names


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_takes_json_is_documented_and_takes_no_secret_in_argv(path, command):
    options = {opt for param in command.params for opt in getattr(param, "opts", [])}
    assert "--json" in options
    for param in command.params:
        if any(word in (param.name or "") for word in ("password", "secret", "token")):
            assert getattr(param, "is_flag", False), f"{param.name} would put a secret in argv"
    name = re.escape(" ".join(path))
    heading = re.compile(rf"^### .*`oversight {name}[ `]", re.MULTILINE)
    assert heading.search(CLI_DOC.read_text()), "not documented in docs/cli.md"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        run(app, list(argv))
    captured = capsys.readouterr()
    return done.value.code, captured.out, captured.err


@pytest.mark.parametrize(
    "argv",
    [
        ["nosuch"],
        ["users", "create", "--agency", "x"],
        ["users", "grant", "someone@example.org", "wizard"],
        ["agencies", "create", "--name", "Eastvale", "--sector", "bogus"],
        ["users", "list", "--bogus"],
    ],
)
def test_usage_errors_exit_2_with_one_line(capsys, argv):
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1
    code, out, err = _run(capsys, *argv, "--json")
    assert code == 2 and out == ""
    assert "error" in json.loads(err) and err.count("\n") == 1


def test_failures_exit_1_and_success_exits_0_with_json_on_stdout(capsys, fresh_db):
    code, out, err = _run(capsys, "db", "upgrade", "--json")
    assert code == 0 and err == "" and json.loads(out)["revision"]
    code, out, err = _run(capsys, "users", "disable", "nobody@example.org", "--json")
    assert code == 1 and out == ""
    assert "no user" in json.loads(err)["error"].lower() and err.count("\n") == 1


def test_a_missing_secret_on_stdin_is_a_usage_error(capsys, fresh_db, monkeypatch):
    monkeypatch.setattr("sys.stdin", _EmptyStdin())
    argv = ["users", "create", "--email", "a@example.org", "--agency", "x", "--password-stdin"]
    code, out, err = _run(capsys, *argv, "--json")
    assert code == 2 and out == ""
    assert json.loads(err) == {"error": "expected a secret on standard input"}


class _EmptyStdin:
    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        return ""
