"""HTTP for the TAXII 2.1 feed (contract §13): discovery, the API root, the one collection,
its objects, versions and manifest, read-only, as `application/taxii+json;version=2.1`."""

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response

from oversight.auth.basic import FeedReader
from oversight.taxii import service, wire
from oversight.taxii.repository import ObjectFilters
from oversight.taxii.schemas import (
    STIX_JSON,
    TAXII_JSON,
    ApiRoot,
    Collection,
    Collections,
    Discovery,
    Envelope,
    Manifest,
    TaxiiError,
    Versions,
)
from oversight.web.operation_ids import ids
from oversight.web.session import SessionDep

ROOT = "/taxii2/oversight/"
MAX_CONTENT_LENGTH = 1_048_576


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        s: {"model": TaxiiError, "content": {TAXII_JSON: {}}, "description": "A TAXII error"}
        for s in statuses
    }


def _ok(model: type[Any]) -> dict[int | str, dict[str, Any]]:
    schema = {"$ref": f"#/components/schemas/{model.__name__}"}
    headers = {
        name: {
            "description": f"`date_added` of the {which} version on the page",
            "schema": {"type": "string"},
        }
        for name, which in PAGED
    }
    return {200: {"model": model, "content": {TAXII_JSON: {"schema": schema}}, "headers": headers}}


PAGED = (("X-TAXII-Date-Added-First", "first"), ("X-TAXII-Date-Added-Last", "last"))
READERS = (
    " Needs `bulletins:read`: a bearer token, or HTTP Basic with a partner system's client id "
    "and secret."
)
COMMON = _errors(400, 401, 403, 404, 406, 429)

router = APIRouter(
    prefix="/taxii2",
    tags=["TAXII 2.1"],
    dependencies=[wire.AcceptsTaxii],
    default_response_class=wire.TaxiiResponse,
    generate_unique_id_function=ids("taxii"),
)

Collection_ = Annotated[str, Path(description=f"`{service.COLLECTION_ID}`")]

THREAT_BULLETINS = Collection(
    id=service.COLLECTION_ID,
    title="Threat bulletins",
    description="Published bulletins as STIX 2.1 reports, indicators and vulnerabilities, "
    "under the caller's classification.",
    can_read=True,
    can_write=False,
    media_types=[STIX_JSON],
)


def _document(path: str, name: str, answer: Discovery | ApiRoot | Collections, **doc: Any) -> None:
    """`GET path`: a document that is the same for every feed reader."""

    def endpoint(principal: FeedReader) -> Any:
        return answer

    router.add_api_route(
        path, endpoint, name=name, response_model=type(answer), responses=COMMON, **doc
    )


_document(
    "/",
    "discovery",
    Discovery(
        title="Oversight TAXII 2.1",
        description="Threat bulletins of the partnership for partners' TAXII clients.",
        default=ROOT,
        api_roots=[ROOT],
    ),
    summary="TAXII discovery",
    description="The API roots of this server: one, `/taxii2/oversight/`." + READERS,
)


_document(
    "/oversight/",
    "api_root",
    ApiRoot(
        title="Oversight",
        description="The partnership's threat bulletins.",
        versions=[TAXII_JSON],
        max_content_length=MAX_CONTENT_LENGTH,
    ),
    summary="TAXII API root",
    description="The TAXII version and the largest request this root takes." + READERS,
)


_document(
    "/oversight/collections/",
    "collections",
    Collections(collections=[THREAT_BULLETINS]),
    summary="TAXII collections",
    description="One collection: the threat bulletins." + READERS,
)


@router.get(
    "/oversight/collections/{collection_id}/",
    response_model=Collection,
    summary="The threat bulletins collection",
    description=f"`{service.COLLECTION_ID}`; any other id is 404." + READERS,
    responses=COMMON,
)
def collection(collection_id: Collection_, principal: FeedReader) -> Collection:
    service.collection_exists(collection_id)
    return THREAT_BULLETINS


def _in_collection(collection_id: Collection_) -> tuple[str, ...]:
    return (collection_id,)


def _object(collection_id: Collection_, object_id: str) -> tuple[str, ...]:
    return (collection_id, object_id)


def _paged(
    path: str,
    name: str,
    model: type[Any],
    where: Callable[..., tuple[str, ...]],
    filters: Callable[..., ObjectFilters],
    fetch: Callable[..., service.Rows],
    render: Callable[[list[Any], str | None], Response],
    **doc: Any,
) -> None:
    """`GET path`: a page of `fetch(session, principal, *where, filters, page)`, rendered
    with its `next` token; the path names the collection (and the object)."""

    def endpoint(
        at: Annotated[tuple[str, ...], Depends(where)],
        session: SessionDep,
        principal: FeedReader,
        f: Annotated[ObjectFilters, Depends(filters)],
        page: wire.PagingDep,
    ) -> Response:
        rows, last = fetch(session, principal, *at, f, page.slice(principal, f))
        return render(rows, page.next_token(principal, f, last))

    responses = {**_ok(model), **COMMON}
    router.add_api_route(
        path, endpoint, name=name, response_model=model, responses=responses, **doc
    )


_paged(
    "/oversight/collections/{collection_id}/objects/",
    "objects",
    Envelope,
    _in_collection,
    wire.object_filters,
    service.objects,
    wire.envelope,
    summary="STIX objects of the collection",
    description="Oldest first by `date_added`; `match[version]` is `last` unless given. "
    "`added_after` is exclusive and `date_added` strictly increases in the collection, so "
    "paging by `next` or by `added_after` never skips or repeats a version. Only what "
    "`GET /api/v1/bulletins` shows the caller (drafts aside) is served." + READERS,
)


_paged(
    "/oversight/collections/{collection_id}/manifest/",
    "manifest",
    Manifest,
    _in_collection,
    wire.object_filters,
    service.manifest,
    wire.manifest,
    summary="Manifest of the collection",
    description="What the objects endpoint would serve, without the objects: id, "
    "`date_added`, version and media type of each." + READERS,
)


_paged(
    "/oversight/collections/{collection_id}/objects/{object_id}/",
    "get_object",
    Envelope,
    _object,
    wire.one_object_filters,
    service.object_versions,
    wire.envelope,
    summary="One STIX object",
    description="Its versions (`match[version]` is `last` unless given); 404 for an object "
    "the caller may not read, as for one that does not exist." + READERS,
)


_paged(
    "/oversight/collections/{collection_id}/objects/{object_id}/versions/",
    "object_versions",
    Versions,
    _object,
    wire.version_filters,
    partial(service.object_versions, bodies=False),
    wire.versions,
    summary="Versions of one STIX object",
    description="Each version's `modified`, oldest first; 404 for an object the caller may "
    "not read." + READERS,
)
