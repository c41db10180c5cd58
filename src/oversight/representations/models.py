"""The stored representations: one row per item, for the item's current version."""

import uuid

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oversight.db import Base


class StoredRepresentation(Base):
    """The reader-independent fields of an item as its list serves them, as JSON members
    (`"id":…,"title":…`, no braces), written in the transaction that wrote the item's
    `version`. A row whose version is not the item's is never served."""

    __tablename__ = "stored_representation"

    item_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    resource: Mapped[str] = mapped_column(String(40))
    version: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
