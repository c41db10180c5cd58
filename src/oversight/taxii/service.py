"""The rules of the TAXII read API: which versions a request selects, for whom.

No HTTP here: the router parses the query and shapes the envelope.
"""

from typing import Any

from sqlalchemy.orm import Session

from oversight.auth.principal import Principal
from oversight.db.keyset import Key, PageSlice
from oversight.errors import NotFound
from oversight.taxii.repository import CollectionRepository, ObjectFilters

COLLECTION_ID = "6f1d8f27-55a6-4f3b-9c39-0c8a5f0b7a11"
Rows = tuple[list[Any], Key | None]


def collection_exists(collection_id: str) -> None:
    if collection_id != COLLECTION_ID:
        raise NotFound(f"No collection with id {collection_id}")


def objects(
    session: Session, principal: Principal, collection_id: str, f: ObjectFilters, page: PageSlice
) -> Rows:
    collection_exists(collection_id)
    return CollectionRepository(session, principal).page(f, page)


def manifest(
    session: Session, principal: Principal, collection_id: str, f: ObjectFilters, page: PageSlice
) -> Rows:
    collection_exists(collection_id)
    return CollectionRepository(session, principal).page(f, page, bodies=False)


def object_versions(
    session: Session,
    principal: Principal,
    collection_id: str,
    stix_id: str,
    f: ObjectFilters,
    page: PageSlice,
    *,
    bodies: bool = True,
) -> Rows:
    """Versions of one object the caller reads (404 for one it may not, as for none)."""
    collection_exists(collection_id)
    repo = CollectionRepository(session, principal)
    if not repo.exists(stix_id):
        raise NotFound(f"No object with id {stix_id} in this collection")
    f.ids = (stix_id,)
    return repo.page(f, page, bodies=bodies)
