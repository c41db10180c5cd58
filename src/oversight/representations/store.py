"""Writing representations: each registered model's, built from the item in the flush that
writes it (one place, as the change outbox: no domain code remembers to), and `refresh` for
items written before (or around) it.

A representation holds the fields of the item's read schema that are the same for every
reader; `live` names the others (names beside ids, recipients, links checked against the
reader, figures as of today), which a page adds for its reader (`pages`).
"""

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from pydantic import BaseModel, ConfigDict, create_model
from sqlalchemy import Connection, Engine, delete, event, exists
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, UOWTransaction

from oversight.access.names import AGENCY_REFS, PERSON_REFS, Inner, live_fields
from oversight.access.repository import Upkeep
from oversight.auth.principal import Principal
from oversight.representations.models import StoredRepresentation

# What an item's live fields are computed from, beside its own id: its classification.
CLASSIFICATION_COLUMNS = (
    "id",
    "version",
    "created_at",
    "tlp",
    "agency_id",
    "author_id",
    "recipient_agencies",
    "recipient_users",
)


# A page's rows -> what the presenter adds to each, for this reader.
Derive = Callable[[Session, Principal, Sequence[Any]], Callable[[Any], dict[str, Any]]]
# Items in full -> as the reader sees them.
Present = Callable[[Session, Principal, Any], Sequence[BaseModel]]


@dataclass(frozen=True)
class Kind:
    """A model whose items lists serve from stored representations."""

    model: type[Any]
    resource: str
    read: type[BaseModel]
    live: frozenset[str]
    stored: type[BaseModel]
    live_schema: type[BaseModel]
    columns: tuple[str, ...]  # what a page loads of each item
    # What the domain's presenter adds for a page's reader (`extra` of `names.live`), how it
    # presents items in full (those without a stored body), and the agencies named inside
    # an item's own documents.
    present: Present
    derive: Derive | None = None
    inner: Inner | None = None
    # Expressions a page selects beside the columns, each labelled (what `derive` reads).
    computed: tuple[Any, ...] = ()

    def body(self, item: Any) -> str:
        data = {name: getattr(item, name) for name in self.stored.model_fields}
        return self.stored.model_validate(data).model_dump_json()[1:-1]

    def row(self, item: Any) -> dict[str, Any]:
        return {
            "item_id": item.id,
            "resource": self.resource,
            "version": item.version,
            "body": self.body(item),
        }


KINDS: dict[type[Any], Kind] = {}


def _part(read: type[BaseModel], name: str, fields: Iterable[str]) -> type[BaseModel]:
    """`read` cut down to `fields`, serialising each exactly as `read` does."""
    kept = {k: v for k, v in read.model_config.items() if k != "json_schema_extra"}
    config = ConfigDict(**kept)  # type: ignore[typeddict-item]
    chosen = {n: (f.annotation, f) for n, f in read.model_fields.items() if n in set(fields)}
    return create_model(f"{read.__name__}{name}", __config__=config, **chosen)  # type: ignore[call-overload]


def register(
    model: type[Any],
    resource: str,
    read: type[BaseModel],
    *,
    live: Iterable[str] = (),
    needs: Iterable[str] = (),
    present: Present,
    derive: Derive | None = None,
    inner: Inner | None = None,
    computed: Iterable[Any] = (),
) -> Kind:
    """Lists of `model` serve `read` from stored representations: `live` are the fields its
    presenter adds for a reader (beside the names and recipients every presenter adds), and
    `needs` the columns it computes them from (beside the classification and named ids);
    `derive`, `present`, `inner` and `computed` as `Kind` holds them."""
    shown = live_fields(read, tuple(live))
    kept = [n for n in read.model_fields if n not in shown]
    refs = {**AGENCY_REFS, **PERSON_REFS}
    named = [src for out, src in refs.items() if out in read.model_fields]
    kind = Kind(
        model=model,
        resource=resource,
        read=read,
        live=shown,
        stored=_part(read, "Stored", kept),
        live_schema=_part(read, "Live", shown),
        columns=tuple(dict.fromkeys((*CLASSIFICATION_COLUMNS, *named, *needs))),
        derive=derive,
        present=present,
        inner=inner,
        computed=tuple(computed),
    )
    KINDS[model] = kind
    return kind


def upsert(connection: Connection, rows: list[dict[str, Any]]) -> None:
    table = StoredRepresentation.__table__
    dialect_insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    stmt = dialect_insert(table)
    replace = {c: stmt.excluded[c] for c in ("resource", "version", "body")}
    connection.execute(stmt.on_conflict_do_update(index_elements=["item_id"], set_=replace), rows)


def _write(session: Session, flush_context: UOWTransaction) -> None:
    rows = [
        KINDS[type(obj)].row(obj) for obj in chain(session.new, session.dirty) if type(obj) in KINDS
    ]
    gone: list[uuid.UUID] = [obj.id for obj in session.deleted if type(obj) in KINDS]
    connection = session.connection()
    if rows:
        upsert(connection, rows)
    if gone:
        table = StoredRepresentation.__table__
        connection.execute(delete(table).where(table.c.item_id.in_(gone)))


def install(session_class: type[Session] = Session) -> None:
    """Keep the representations of every session of the given class (idempotent)."""
    if not event.contains(session_class, "after_flush", _write):
        event.listen(session_class, "after_flush", _write)


def refresh(session: Session, batch: int = 500) -> int:
    """Store the representation of every registered item that has none of its current
    version (items written before representations existed, or around the ORM); returns how
    many were written. Each batch bounds both sides by the last id of the one before, so a
    pass reads each index once however much is missing (unbounded, PostgreSQL's anti-join
    read the stored ones from the start for every batch)."""
    written = 0
    for kind in KINDS.values():
        m: Any = kind.model
        upkeep = Upkeep(session, m)
        after: uuid.UUID | None = None
        while items := upkeep.batch(*_missing(m, after), limit=batch):
            upsert(session.connection(), [kind.row(i) for i in items])
            written += len(items)
            after = items[-1].id
            session.expunge_all()
    return written


def _missing(m: Any, after: uuid.UUID | None) -> list[Any]:
    """Items of `m` (after the id `after`) without a representation of their version."""
    t = StoredRepresentation
    if after is None:
        return [~exists().where(t.item_id == m.id, t.version == m.version)]
    stored = exists().where(t.item_id == m.id, t.version == m.version, t.item_id > after)
    return [m.id > after, ~stored]


def refresh_database(engine: Engine) -> int:
    """`refresh` in a transaction of its own (after a migration)."""
    with Session(engine) as session, session.begin():
        return refresh(session)
