"""The classified repository: every query of a classified model starts from `base()`.

A repository cannot be built without a principal, and `get`, `list` and every other read
share the one base query filtered by `visible_to`, so a hidden row is simply not found (404),
exactly like an id that does not exist. Reads of AMBER, AMBER+STRICT and RED items are
recorded in the audit trail here, the only place they happen.
"""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, delete, insert, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from oversight.access.classification import AUDITED_READS, TLP
from oversight.access.models import Classified
from oversight.access.policy import visible_to
from oversight.agencies.models import Agency, AgencyStatus
from oversight.audit.recorder import record
from oversight.auth.principal import Principal
from oversight.errors import NotFound, Unprocessable
from oversight.pagination import PageParams, keyset_page
from oversight.users.models import User

M = TypeVar("M", bound=Classified)


class ClassifiedRepository(Generic[M]):
    model: type[M]
    resource: str

    def __init__(self, session: Session, principal: Principal) -> None:
        if principal is None:
            raise TypeError("a classified repository needs the principal it reads for")
        self.session = session
        self.principal = principal

    def base(self) -> Select[tuple[M]]:
        return select(self.model).where(visible_to(self.principal, self.model))

    def get(self, item_id: uuid.UUID, *, for_update: bool = False) -> M:
        stmt = self.base().where(self.model.id == item_id)  # type: ignore[attr-defined]
        if for_update:
            stmt = stmt.with_for_update(of=self.model)  # type: ignore[arg-type]
        item = self.session.scalars(stmt).first()
        if item is None:
            raise NotFound(f"No {self.resource.replace('_', ' ')} with id {item_id}")
        self.record_reads([item])
        return item

    def exists(self, item_id: uuid.UUID) -> bool:
        stmt = self.base().where(self.model.id == item_id)  # type: ignore[attr-defined]
        return self.session.scalars(stmt.limit(1)).first() is not None

    def visible_ids(self, ids: Iterable[uuid.UUID | None]) -> set[uuid.UUID]:
        """Which of these ids the principal may read (to show links to other items)."""
        wanted = {i for i in ids if i is not None}
        if not wanted:
            return set()
        model_id = self.model.id  # type: ignore[attr-defined]
        stmt = self.base().where(model_id.in_(wanted)).with_only_columns(model_id)
        return set(self.session.scalars(stmt))

    def page(
        self,
        params: PageParams,
        *filters: Any,
        keys: Sequence[InstrumentedAttribute[Any]] | None = None,
        stmt: Select[tuple[M]] | None = None,
    ) -> list[M]:
        query = (stmt if stmt is not None else self.base()).where(*filters)
        keys = keys or [self.model.created_at, self.model.id]  # type: ignore[attr-defined]
        rows = keyset_page(self.session, query, params, keys)
        self.record_reads(rows)
        return rows

    def record_reads(self, items: Iterable[M]) -> None:
        for item in items:
            if item.tlp in AUDITED_READS:
                record(
                    self.session,
                    f"{self.resource}.read",
                    resource_type=self.resource,
                    resource_id=item.id,  # type: ignore[attr-defined]
                    changes={"tlp": item.tlp},
                )

    # Writing the classification: the lists as written, and their index rows.

    def validate_recipients(
        self,
        agencies: Sequence[uuid.UUID],
        users: Sequence[uuid.UUID],
        *,
        kept: tuple[set[str], set[str]] = (set(), set()),
    ) -> None:
        """Recipients must exist (422 otherwise), and those newly named must be able to read:
        an active agency, an active person of an active agency. Says which ids fail."""
        errors = []
        checks = (
            ("recipient_agencies", set(agencies), kept[0], self._agencies_status),
            ("recipient_users", set(users), kept[1], self._users_status),
        )
        for field, ids, already, status_of in checks:
            if not ids:
                continue
            found = status_of(ids)
            missing = sorted(str(i) for i in ids - set(found))
            inactive = sorted(
                str(i) for i, ok in found.items() if not ok and str(i) not in already
            )
            if missing:
                errors.append(_issue(field, f"Unknown ids: {', '.join(missing)}", "unknown_id"))
            if inactive:
                errors.append(
                    _issue(
                        field,
                        f"Suspended or disabled, so they could not read it: {', '.join(inactive)}",
                        "inactive_recipient",
                    )
                )
        if errors:
            raise Unprocessable(
                "The request is invalid: "
                + ", ".join(f"body.{e['loc'][1]} ({e['msg']})" for e in errors),
                extra={"errors": errors},
            )

    def _agencies_status(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, bool]:
        rows = self.session.execute(select(Agency.id, Agency.status).where(Agency.id.in_(ids)))
        return {r.id: r.status == AgencyStatus.active for r in rows}

    def _users_status(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, bool]:
        rows = self.session.execute(
            select(User.id, User.is_active, Agency.status)
            .join(Agency, Agency.id == User.agency_id)
            .where(User.id.in_(ids))
        )
        return {r.id: r.is_active and r.status == AgencyStatus.active for r in rows}

    def classify(
        self,
        item: M,
        *,
        tlp: TLP | str,
        recipient_agencies: Sequence[uuid.UUID],
        recipient_users: Sequence[uuid.UUID],
        protective_marking: str,
    ) -> None:
        """Set an item's classification and rewrite its recipient index rows."""
        agencies = sorted(set(recipient_agencies), key=str)
        users = sorted(set(recipient_users), key=str)
        kept = (set(item.recipient_agencies or ()), set(item.recipient_users or ()))
        with self.session.no_autoflush:  # a new item is not complete before the lines below
            self.validate_recipients(agencies, users, kept=kept)
        item.tlp = TLP(tlp).value
        item.protective_marking = str(protective_marking)
        item.recipient_agencies = [str(a) for a in agencies]
        item.recipient_users = [str(u) for u in users]
        item.names_agencies = bool(agencies)
        self.session.flush()
        item_id = item.id  # type: ignore[attr-defined]
        ta = self.model.__recipient_agency_table__
        tu = self.model.__recipient_user_table__
        self.session.execute(delete(ta).where(ta.c.item_id == item_id))
        self.session.execute(delete(tu).where(tu.c.item_id == item_id))
        if agencies:
            self.session.execute(
                insert(ta), [{"item_id": item_id, "agency_id": a} for a in agencies]
            )
        if users:
            self.session.execute(insert(tu), [{"item_id": item_id, "user_id": u} for u in users])


def _issue(field: str, msg: str, kind: str) -> dict[str, Any]:
    return {"loc": ["body", field], "msg": msg, "type": kind}
