"""The classified repository: every query of a classified model starts from `base()`.

A repository cannot be built without a principal, and `get`, `list` and every other read
share the one base query filtered by `visible_to`, so a hidden row is simply not found (404),
exactly like an id that does not exist. Reads of AMBER, AMBER+STRICT and RED items are
recorded in the audit trail here, the only place they happen.
"""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Select, delete, insert, select
from sqlalchemy.orm import InstrumentedAttribute, Session, load_only

from oversight.access import policy
from oversight.access.built import built, key_of, read_as_page
from oversight.access.classification import AUDITED_READS, TLP
from oversight.access.models import Classified
from oversight.access.policy import public_clause, visible_to
from oversight.access.rules import Classification
from oversight.accounts import recipients
from oversight.audit.recorder import record
from oversight.auth.principal import Principal
from oversight.db.keyset import Key, PageSlice, bounds, cut, keyset, ordered
from oversight.errors import NotFound

M = TypeVar("M", bound=Classified)


class PublicRepository(Generic[M]):
    """What anyone may read without logging in (`public_clause`): the one other way in."""

    model: type[M]

    def __init__(self, session: Session) -> None:
        self.session = session

    def base(self) -> Select[tuple[M]]:
        return select(self.model).where(public_clause(self.model))


class ClassifiedRepository(Generic[M]):
    model: type[M]
    resource: str
    # Every concrete repository by the resource it reads: how one domain looks up items of
    # another (an action's meeting) without importing it.
    _by_resource: ClassVar[dict[str, "type[ClassifiedRepository[Any]]"]] = {}

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if "resource" in cls.__dict__:
            ClassifiedRepository._by_resource[cls.resource] = cls

    @classmethod
    def of(cls, resource: str) -> "type[ClassifiedRepository[Any]]":
        return ClassifiedRepository._by_resource[resource]

    def __init__(self, session: Session, principal: Principal) -> None:
        if principal is None:
            raise TypeError("a classified repository needs the principal it reads for")
        self.session = session
        self.principal = principal

    def base(self, *, bound: bool = False) -> Select[tuple[M]]:
        """Every row the principal reads; with `bound`, for every reader of its shape, the
        reader left to bind (`reader`), to be built once (`loading`)."""
        return select(self.model).where(visible_to(self.principal, self.model, bound=bound))

    def slim(self, *columns: InstrumentedAttribute[Any]) -> Select[tuple[M]]:
        """`base()` loading only these columns, beside what paging, the audit and the marking
        need: a summary of many items. Reading any other attribute raises, never loads."""
        m: Any = self.model
        kept = (m.id, m.created_at, m.tlp, m.protective_marking, *columns)
        return self.base().options(load_only(*kept, raiseload=True))

    def loading(
        self,
        view: str,
        columns: Sequence[str],
        *extra: Any,
        joins: Sequence[tuple[Any, Any]] = (),
    ) -> Select[Any]:
        """`base()` selecting only these columns and `extra` expressions (also of what `joins`
        joins outer to each row), as rows: a page served from stored representations. Built
        once per `view` (its columns never change) and reader shape; `page` binds the reader."""
        m: Any = self.model
        key = (m, view, policy.shape(self.principal, m))

        def build() -> Select[Any]:
            chosen = (*(read_as_page(getattr(m, c)).label(c) for c in columns), *extra)
            stmt = self.base(bound=True).with_only_columns(*chosen)
            for target, onclause in joins:
                stmt = stmt.join_from(m, target, onclause, isouter=True)
            return stmt

        return built(key, build)

    def items(self, ids: Iterable[uuid.UUID]) -> list[M]:
        """These items in full, if the principal reads them (reads already on the record)."""
        model_id = self.model.id  # type: ignore[attr-defined]
        return list(self.session.scalars(self.base().where(model_id.in_(list(ids)))))

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

    def readable_ids(self) -> Select[tuple[uuid.UUID]]:
        """The ids of every item the principal reads, as a subquery to join other rows to."""
        model_id = self.model.id  # type: ignore[attr-defined]
        return self.base().with_only_columns(model_id)

    def page(
        self,
        page: PageSlice,
        *filters: Any,
        keys: Sequence[InstrumentedAttribute[Any]] | None = None,
        stmt: Select[Any] | None = None,
        descending: bool = True,
    ) -> tuple[list[Any], Key | None]:
        """A page of what the principal reads (of `stmt`, narrowed from `base()` or built by
        `loading`), its classified reads recorded, and the key the next page starts after."""
        query = stmt if stmt is not None else self.base()
        keys = keys or [self.model.created_at, self.model.id]  # type: ignore[attr-defined]
        root = key_of(query)
        if root is None or filters:
            rows, last = keyset(
                self.session,
                query.where(*filters),
                keys,
                page,
                descending=descending,
                params=self.reader(),
            )
        else:  # a statement built once, in its order once too
            after = page.after is not None
            key = (*root, tuple(k.key for k in keys), after, descending)
            values = bounds(page, keys) | self.reader()
            paged = built(key, lambda: ordered(query, keys, after=after, descending=descending))
            # Rows of columns, so the connection runs it as it is (the session's ORM layer
            # around it cost about a tenth of a page); what is pending is written first.
            self.session.flush()
            fetched = self.session.connection().execute(paged, values).all()
            rows, last = cut(list(fetched), keys, page)
        self.record_reads(rows)
        return rows, last

    def reader(self) -> dict[str, Any]:
        """What a statement of `loading` binds for the principal (others ignore it)."""
        return policy.reader(self.principal)

    def record_reads(self, items: Iterable[Any]) -> None:
        for item in items:
            if item.tlp in AUDITED_READS:
                record(
                    self.session,
                    f"{self.resource}.read",
                    resource_type=self.resource,
                    resource_id=item.id,  # type: ignore[attr-defined]
                    changes={"tlp": item.tlp},
                )

    # Writing: a new item of the principal's agency, and its classification.

    def add(self, item: M, classification: Classification) -> M:
        """A new item owned by the principal's agency and written by the principal."""
        item.agency_id = self.principal.agency_id
        item.author_id = self.principal.id
        self.session.add(item)
        self.classify(item, **classification.as_kwargs())
        return item

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
            recipients.check(self.session, agencies, users, kept=kept)
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


class Upkeep(Generic[M]):
    """Whole-table reads for what the service keeps beside its items (their stored
    representations), whatever their classification: rows go back into the database, never
    to a principal. The other licensed exception to the classified base query."""

    def __init__(self, session: Session, model: type[M]) -> None:
        self.session = session
        self.model = model

    def batch(self, *where: Any, limit: int = 500) -> list[M]:
        m: Any = self.model
        return list(self.session.scalars(select(m).where(*where).order_by(m.id).limit(limit)))


class AggregateRepository:
    """Counts over every row of a classified model, whatever its classification: the one
    licensed exception to the classified base query. Only aggregates leave it, and each one
    must pass the disclosure rule before anyone sees it (`reports/disclosure.py`)."""

    def __init__(self, session: Session) -> None:
        self.session = session
