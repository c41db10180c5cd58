"""`--help` a person can read: one example per command, lists that wrap at words, only the
scopes a service account may hold, `--version`, and no shell completion advertised."""

import re
from importlib.metadata import version

import pytest
import typer

from oversight.auth.scopes import SERVICE_ACCOUNT_SCOPES, Role, Scope
from oversight.cli import app


def _leaves(command: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    sub = getattr(command, "commands", None)
    if not sub:
        return [path]
    return [leaf for name, child in sorted(sub.items()) for leaf in _leaves(child, (*path, name))]


COMMANDS = _leaves(typer.main.get_command(app))


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_every_command_shows_one_example_of_itself(oversight, path):
    ran = oversight(*path, "--help")
    assert ran.code == 0 and ran.err == ""
    assert ran.out.count("Example:") == 1
    example = ran.out.split("Example:", 1)[1]
    assert f"oversight {' '.join(path)}" in example
    assert "╭" not in ran.out  # plain help, no boxes that cut words


def test_lists_wrap_at_words_in_a_narrow_terminal(oversight, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    create = oversight("service-accounts", "create", "--help").out
    words = set(re.findall(r"[a-z_]+:[a-z]+", create))
    assert {s for s in SERVICE_ACCOUNT_SCOPES} <= words  # each scope printed whole
    assert words <= set(SERVICE_ACCOUNT_SCOPES)  # and nothing else offered
    assert not re.search(rf"\b{Scope.admin.value}\b", create)
    assert max(len(line) for line in create.splitlines()) <= 90
    users = oversight("users", "create", "--help").out
    assert all(re.search(rf"\b{role.value}\b", users) for role in Role)


def test_a_scope_a_service_account_may_not_hold_is_not_accepted(oversight):
    ran = oversight("service-accounts", "create", "--name", "Feed", "--agency", "crc",
                    "--scope", "audit:read", "--json")  # fmt: skip
    assert ran.code == 2
    assert ran.error.startswith('--scope: "audit:read" is not one of bulletins:read, ')


def test_version(oversight):
    ran = oversight("--version")
    assert ran.code == 0 and ran.out == f"oversight {version('oversight')}\n"


def test_no_shell_completion_is_advertised(oversight):
    top = oversight("--help")
    assert top.code == 0 and "--version" in top.out
    assert "completion" not in top.out
