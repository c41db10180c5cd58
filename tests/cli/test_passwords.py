"""`--password-stdin`: one line from a pipe, or at a terminal a hidden prompt asked twice;
the same strength rule as the API either way."""

import getpass
import io

import pytest
from sqlalchemy import select

from oversight.accounts.models import User
from oversight.auth.passwords import verify_password
from oversight.db import make_engine

STRONG = "a sturdy passphrase of words"


class Terminal:
    """Standard input as an interactive terminal."""

    def isatty(self) -> bool:
        return True

    def readline(self) -> str:  # pragma: no cover - a terminal is never read as a pipe
        raise AssertionError("a terminal must be prompted, not read")


@pytest.fixture
def agency(oversight, fresh_db):
    oversight("db", "upgrade")
    assert oversight("agencies", "create", "--name", "Eastvale", "--sector", "police").code == 0
    return fresh_db


def typed(monkeypatch, *answers: str) -> list[str]:
    """The answers typed at the hidden prompts; returns the prompts shown."""
    shown: list[str] = []
    left = iter(answers)

    def hidden(prompt: str = "") -> str:
        shown.append(prompt)
        return next(left)

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr(getpass, "getpass", hidden)
    return shown


def password_of(url: str, email: str) -> str:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = conn.scalar(select(User.password_hash).where(User.email == email))
    engine.dispose()
    return found


def test_a_terminal_is_prompted_twice_hidden(oversight, agency, monkeypatch):
    shown = typed(monkeypatch, STRONG, STRONG)
    ran = oversight("users", "create", "--email", "t@example.org", "--agency", "eastvale",
                    "--password-stdin", "--json")  # fmt: skip
    data = ran.json()
    assert data["password"] is None  # chosen, not generated
    assert len(shown) == 2  # both answers read by getpass: nothing echoed
    assert ran.err.replace("\n", "") == "New password:Repeat it:"  # prompts on stderr
    assert STRONG not in ran.out + ran.err
    assert verify_password(STRONG, password_of(agency, "t@example.org"))


def test_a_mismatch_or_a_weak_password_asks_again(oversight, agency, monkeypatch):
    shown = typed(monkeypatch, STRONG, "something else", "password1234", "password1234",
                  STRONG, STRONG)  # fmt: skip
    ran = oversight("users", "create", "--email", "t@example.org", "--agency", "eastvale",
                    "--password-stdin", "--json")  # fmt: skip
    assert ran.json()["email"] == "t@example.org"
    assert len(shown) == 6
    assert "do not match" in ran.err
    assert "That password is too easy to guess: this is a very common password" in ran.err
    assert "password1234" not in ran.err
    assert verify_password(STRONG, password_of(agency, "t@example.org"))


def test_a_weak_password_from_a_pipe_is_refused_with_the_reason(oversight, agency, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("abcabcabcabcabc\n"))
    ran = oversight("users", "create", "--email", "t@example.org", "--agency", "eastvale",
                    "--password-stdin", "--json")  # fmt: skip
    assert ran.code == 2
    assert ran.error.startswith('the password is too easy to guess: repeats like "abcabcabc"')
    assert "abcabcabcabcabc" not in ran.err
