"""`oversight audit verify|export`: check the hash chain, or write it out as JSON Lines."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from oversight.audit import chain
from oversight.audit_reads import repository
from oversight.cli import database
from oversight.cli.output import JsonOpt, emit, example, fail
from oversight.cli.progress import Progress
from oversight.db import make_engine, make_sessionmaker

CHECKPOINT_MISMATCH_EXIT = 3

app = typer.Typer(
    help="The audit trail (read-only: nothing edits it).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@contextmanager
def _reader(as_json: bool) -> Iterator[Session]:
    engine = make_engine(database.url(as_json))
    try:
        with repository.read_session(make_sessionmaker(engine)) as session:
            yield session
    except SQLAlchemyError as exc:
        fail(f"cannot read the audit trail: {str(exc).splitlines()[0]}", as_json)
    finally:
        engine.dispose()


@app.command(
    epilog=example(
        "oversight audit verify --json > checkpoint.json   # keep records and head_hash",
        'oversight audit verify --expected-seq 8 --expected-head "$HEAD_HASH"',
    )
)
def verify(
    as_json: bool = JsonOpt,
    expected_seq: int | None = typer.Option(
        None, "--expected-seq", min=1, help="Checkpoint: `records` of an earlier verification"
    ),
    expected_head: str | None = typer.Option(
        None, "--expected-head", help="Checkpoint: `head_hash` of that verification"
    ),
) -> None:
    """Recompute the chain; exit 1 naming the first bad seq when it is broken, exit 3 when it
    is intact but differs from the checkpoint given."""
    if expected_head is not None and expected_seq is None:
        fail("--expected-head needs --expected-seq", as_json, code=2)
    with _reader(as_json) as session:
        bar = Progress("audit verify", chain.head(session)[0])
        try:
            result = chain.verify(session, expected_seq, expected_head, progress=bar.update)
        finally:
            bar.close()
    data = {
        "ok": result.ok,
        "records": result.records,
        "head_hash": result.head_hash,
        "first_bad_seq": result.first_bad_seq,
        "reason": result.reason,
        "checkpoint_mismatch": result.checkpoint_mismatch,
    }
    if result.ok:
        emit(data, as_json, f"ok: {result.records} records, head {result.head_hash}")
        return
    if result.checkpoint_mismatch:
        emit(
            data,
            as_json,
            f"checkpoint mismatch at seq {result.first_bad_seq}: its hash is not the "
            f"--expected-head given, though the chain is intact up to it ({result.records} "
            "records): the checkpoint is wrong, or the trail was rewritten since it was taken",
        )
        raise typer.Exit(CHECKPOINT_MISMATCH_EXIT)
    emit(
        data,
        as_json,
        f"BROKEN at seq {result.first_bad_seq}: {result.reason} "
        f"({result.records} records intact before it)",
    )
    raise typer.Exit(1)


@app.command(epilog=example("oversight audit export --output trail.jsonl"))
def export(
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write (else stdout)"),
    as_json: bool = JsonOpt,
) -> None:
    """Write every record, in seq order, as JSON Lines (the canonical form with `hash`)."""
    count = 0
    with _reader(as_json) as session:
        bar = Progress("audit export", chain.head(session)[0])
        lines = repository.export_lines(session)
        try:
            if output is None:
                for count, line in enumerate(lines, 1):
                    sys.stdout.write(line)
                    if count % chain.BATCH == 0:
                        bar.update(count)
                sys.stdout.flush()
                bar.update(count)
                return
            with output.open("w", encoding="utf-8") as fh:
                for line in lines:
                    fh.write(line)
                    count += 1
                    if count % chain.BATCH == 0:
                        bar.update(count)
            bar.update(count)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror}", as_json)
        finally:
            bar.close()
    emit({"written": str(output), "records": count}, as_json, f"wrote {count} records to {output}")
