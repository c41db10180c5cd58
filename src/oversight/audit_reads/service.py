"""Reading the trail: the filtered list, verification against a checkpoint, the export."""

from collections.abc import Iterator

from sqlalchemy.orm import Session, sessionmaker

from oversight.accounts.names import agency_id_of
from oversight.audit import chain
from oversight.audit.models import AuditRecord
from oversight.audit.recorder import record
from oversight.audit_reads import repository
from oversight.audit_reads.schemas import AuditFilter
from oversight.db.keyset import Key, PageSlice
from oversight.errors import Unprocessable


def listing(
    session: Session, f: AuditFilter, page: PageSlice
) -> tuple[list[AuditRecord], Key | None]:
    if f.since is not None and f.until is not None and f.since >= f.until:
        raise Unprocessable("`since` must be before `until`")
    agency = agency_id_of(session, f.agency_id)
    f = f.model_copy(update={"agency_id": None if agency is None else str(agency)})
    return repository.listing(session, f, page)


def verify(
    session: Session, expected_seq: int | None, expected_head: str | None
) -> chain.Verification:
    if expected_head is not None and expected_seq is None:
        raise Unprocessable("`expected_head` needs `expected_seq`")
    return chain.verify(session, expected_seq, expected_head)


def export(session: Session, factory: "sessionmaker[Session]") -> Iterator[str]:
    """The export is recorded in the request's transaction; the lines are read afterwards,
    in a read-only session of their own, up to the chain head when they start."""
    record(session, "audit.export", resource_type="audit")

    def lines() -> Iterator[str]:
        with repository.read_session(factory) as reader:
            yield from repository.export_lines(reader)

    return lines()
