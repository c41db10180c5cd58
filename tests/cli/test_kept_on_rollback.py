"""A command that fails keeps what it keeps on rollback (a denial, a refused login), exactly
as a request does: both run in `db.unit_of_work`, so the command line cannot lose it."""

import pytest
import typer
from sqlalchemy import select

from oversight.accounts.models import Agency
from oversight.audit.models import AuditRecord
from oversight.cli.session import cli_session
from oversight.db import keep_on_rollback, make_engine, make_sessionmaker
from oversight.errors import Forbidden


def test_a_failing_command_keeps_what_it_keeps_and_nothing_else(cli, capsys):
    assert cli("db", "upgrade").exit_code == 0

    with pytest.raises(typer.Exit) as stopped, cli_session() as session:
        session.add(Agency(name="Lost with the command", slug="lost", sector="police"))
        keep_on_rollback(
            session,
            lambda s: s.add(Agency(name="Kept on rollback", slug="kept", sector="police")),
        )
        session.flush()
        raise Forbidden("not allowed")
    assert stopped.value.exit_code == 1
    assert "not allowed" in capsys.readouterr().err

    engine = make_engine(cli.url)
    try:
        with make_sessionmaker(engine)() as session:
            slugs = set(session.scalars(select(Agency.slug)))
            actions = set(session.scalars(select(AuditRecord.action)))
    finally:
        engine.dispose()
    assert "kept" in slugs and "lost" not in slugs
    assert "agency.create" in actions  # the kept write is audited like any other
