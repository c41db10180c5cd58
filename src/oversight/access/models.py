"""The columns every classified item carries, and its recipient index tables."""

import uuid
from typing import Any, ClassVar

from sqlalchemy import Column, ForeignKey, Index, String, Table, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from oversight.db import Base


class Classified:
    """Mixin for a model under the access classification of contract §4.

    `recipient_agencies`/`recipient_users` hold the lists as written (shown and audited);
    the `<table>_recipient_agency` / `_user` tables index them for the SQL policy filter.
    """

    __recipient_agency_table__: ClassVar[Table]
    __recipient_user_table__: ClassVar[Table]
    # The scope that writes this kind of item: editors of O hold it by their role, a
    # partner system of O only when granted it (see `access.policy.may_write`).
    __write_scope__: ClassVar[str]
    # The column and value that mark a draft, which only its author and O's writers read.
    __draft__: ClassVar[tuple[str, str] | None] = None
    # A column naming an agency that may read the item besides its classification (never
    # RED, which stays with the author and the people named).
    __reader_agency__: ClassVar[str | None] = None

    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), index=True)
    author_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    tlp: Mapped[str] = mapped_column(String(16))
    protective_marking: Mapped[str] = mapped_column(String(32), default="OFFICIAL")
    recipient_agencies: Mapped[list[Any]] = mapped_column(default=list)
    recipient_users: Mapped[list[Any]] = mapped_column(default=list)
    names_agencies: Mapped[bool] = mapped_column(default=False)


CLASSIFICATION_FIELDS = ("tlp", "recipient_agencies", "recipient_users", "protective_marking")
# What the audit trail records in clear of every classified item (see `Audited`).
CLASSIFIED_METADATA = frozenset(
    {"id", "agency_id", "author_id", "names_agencies", "version", *CLASSIFICATION_FIELDS}
)


def note_reclassification(item: Classified, changes: dict[str, Any]) -> bool:
    """For an `Audited` classified model's `audit_step`: True when the classification changed.

    Completes `changes` with the unchanged classification fields, so the record of a
    reclassification always holds the old and the new TLP and recipients.
    """
    if not any(f in changes for f in CLASSIFICATION_FIELDS):
        return False
    for name in CLASSIFICATION_FIELDS:
        if name not in changes:
            value = getattr(item, name)
            changes[name] = {"before": value, "after": value}
    return True


def recipient_tables(item_table: str) -> tuple[Table, Table]:
    """The two index tables of a classified model: (item, agency) and (item, user)."""
    return _index(item_table, "agency", "agency"), _index(item_table, "user", "user_account")


def _index(item_table: str, recipient: str, target: str) -> Table:
    key = f"{recipient}_id"
    item = ForeignKey(f"{item_table}.id", ondelete="CASCADE")
    return Table(
        f"{item_table}_recipient_{recipient}",
        Base.metadata,
        Column("item_id", Uuid, item, primary_key=True),
        Column(key, Uuid, ForeignKey(f"{target}.id"), primary_key=True),
        Index(f"ix_{item_table}_recipient_{recipient}_{recipient}", key, "item_id"),
    )
