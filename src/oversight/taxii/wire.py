"""TAXII on the wire: the media types, the filters of a request, `next` tokens and envelopes.

`next` is the project's signed cursor (`web.paging.CursorCodec`) bound to a digest of the
path, the caller and the filters, so it is opaque, survives restarts and other workers,
and is refused (400) for another caller or other filters.
"""

import hashlib
import json
import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from oversight.auth.principal import Principal
from oversight.db.keyset import Key, PageSlice
from oversight.errors import BadRequest, NotAcceptable
from oversight.taxii.repository import ObjectFilters
from oversight.taxii.schemas import STIX_JSON, TAXII_JSON
from oversight.web.paging import CursorCodec
from oversight.web.timestamps import Timestamp

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
_TYPE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_VERSION_WORDS = frozenset({"last", "first", "all"})
_TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
# The same rules as patterns, so the OpenAPI document states them: comma-separated lists.
_TYPE_ITEM = r"[a-z0-9][a-z0-9-]{0,39}"
TYPES_PATTERN = rf"^{_TYPE_ITEM}(,{_TYPE_ITEM})*$"
_YEAR = r"([1-9]\d{3}|0[1-9]\d{2}|00[1-9]\d|000[1-9])"
_MONTH_DAY = (
    r"((0[13578]|1[02])-(0[1-9]|[12]\d|3[01])|(0[469]|11)-(0[1-9]|[12]\d|30)"
    r"|02-(0[1-9]|1\d|2[0-9]))"
)
_TIME = r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?Z"
_VERSION_ITEM = rf"(last|first|all|{_YEAR}-{_MONTH_DAY}T{_TIME})"
VERSIONS_PATTERN = rf"^{_VERSION_ITEM}(,{_VERSION_ITEM})*$"


class TaxiiResponse(JSONResponse):
    media_type = TAXII_JSON


def accepts_taxii(request: Request) -> None:
    """406 unless `Accept` allows `application/taxii+json` (version 2.1 or unversioned)."""
    header = request.headers.get("accept")
    if header is None:
        return
    for part in header.split(","):
        media, *params = (p.strip().lower() for p in part.split(";"))
        named = dict(p.partition("=")[::2] for p in params if "=" in p)
        if named.get("q", "1").strip() in {"0", "0.0", "0.00", "0.000"}:
            continue
        version = named.get("version", "2.1").strip('"')
        if media in {"*/*", "application/*"} or (
            media == "application/taxii+json" and version == "2.1"
        ):
            return
    raise NotAcceptable(f"This server answers only {TAXII_JSON}")


AcceptsTaxii = Depends(accepts_taxii)


def stamp(moment: datetime) -> str:
    """A TAXII timestamp, to the microsecond."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _listed(value: str | None, what: str) -> list[str]:
    if value is None:
        return []
    items = [v.strip() for v in value.split(",")]
    if not all(items):
        raise BadRequest(f"match[{what}] holds an empty value")
    return items


def _versions(value: str | None) -> tuple[list[str], list[datetime]]:
    words, moments = [], []
    for item in _listed(value, "version") or ["last"]:
        if item in _VERSION_WORDS:
            words.append(item)
        elif _TS.match(item):
            try:
                moments.append(datetime.fromisoformat(item.replace("Z", "+00:00")))
            except ValueError:  # 29 February of a year that has none
                raise BadRequest(f"match[version]: {item} is not a moment that exists") from None
        else:
            raise BadRequest("match[version] takes last, first, all or a timestamp")
    return words, moments


AddedAfter = Annotated[
    Timestamp | None, Query(description="Only versions added after this moment (exclusive)")
]
MatchVersion = Annotated[
    str | None,
    Query(
        alias="match[version]",
        max_length=1000,
        pattern=VERSIONS_PATTERN,
        description="last (default), first, all, or the `modified` timestamp of a version",
    ),
]
MatchSpecVersion = Annotated[str | None, Query(alias="match[spec_version]", max_length=100)]


def object_filters(
    added_after: AddedAfter = None,
    match_id: Annotated[str | None, Query(alias="match[id]", max_length=4000)] = None,
    match_type: Annotated[
        str | None, Query(alias="match[type]", max_length=1000, pattern=TYPES_PATTERN)
    ] = None,
    match_version: MatchVersion = None,
    match_spec_version: MatchSpecVersion = None,
) -> ObjectFilters:
    types = _listed(match_type, "type")
    if not all(_TYPE.match(t) for t in types):
        raise BadRequest("match[type] takes STIX type names")
    words, moments = _versions(match_version)
    return ObjectFilters(
        added_after=added_after,
        ids=_listed(match_id, "id"),
        types=types,
        versions=words,
        spec_versions=_listed(match_spec_version, "spec_version"),
        moments=moments,
    )


def one_object_filters(
    added_after: AddedAfter = None,
    match_version: MatchVersion = None,
    match_spec_version: MatchSpecVersion = None,
) -> ObjectFilters:
    """The filters of one object's versions: those of the objects list but its id and type."""
    return object_filters(added_after, None, None, match_version, match_spec_version)


def version_filters(
    added_after: AddedAfter = None, match_spec_version: MatchSpecVersion = None
) -> ObjectFilters:
    return ObjectFilters(
        added_after=added_after,
        versions=["all"],
        spec_versions=_listed(match_spec_version, "spec_version"),
    )


class Paging:
    """A request's page: `limit` and `next` in, the token of the next page out."""

    def __init__(
        self,
        request: Request,
        limit: Annotated[
            int, Query(ge=1, description=f"Default {DEFAULT_LIMIT}; at most {MAX_LIMIT} served")
        ] = DEFAULT_LIMIT,
        next: Annotated[
            str | None, Query(max_length=512, description="`next` of the previous page")
        ] = None,
    ) -> None:
        self.request = request
        self.limit = min(limit, MAX_LIMIT)
        self.token = next
        self.codec: CursorCodec = request.app.state.cursors

    def bound(self, principal: Principal, f: ObjectFilters) -> str:
        filters = {
            "a": f.added_after.isoformat() if f.added_after else None,
            "i": list(f.ids),
            "t": list(f.types),
            "v": list(f.versions),
            "m": [m.isoformat() for m in f.moments],
            "s": list(f.spec_versions),
        }
        text = json.dumps(
            [self.request.url.path, principal.kind, str(principal.id), filters], sort_keys=True
        )
        return "taxii:" + hashlib.sha256(text.encode()).hexdigest()

    def slice(self, principal: Principal, f: ObjectFilters) -> PageSlice:
        after = self.codec.decode(self.bound(principal, f), self.token) if self.token else None
        return PageSlice(self.limit, after)

    def next_token(self, principal: Principal, f: ObjectFilters, last: Key | None) -> str | None:
        return None if last is None else self.codec.encode(self.bound(principal, f), last)


PagingDep = Annotated[Paging, Depends(Paging)]


def _headers(rows: list[Any]) -> dict[str, str]:
    if not rows:
        return {}
    return {
        "X-TAXII-Date-Added-First": stamp(rows[0].date_added),
        "X-TAXII-Date-Added-Last": stamp(rows[-1].date_added),
    }


def _head(token: str | None) -> dict[str, Any]:
    return {"more": token is not None, **({"next": token} if token else {})}


def envelope(rows: list[Any], token: str | None) -> Response:
    """The stored objects, as stored, inside the envelope."""
    head = json.dumps(_head(token))[:-1]
    objects = f', "objects": [{", ".join(r.body for r in rows)}]' if rows else ""
    return Response(f"{head}{objects}}}", media_type=TAXII_JSON, headers=_headers(rows))


def manifest(rows: list[Any], token: str | None) -> Response:
    body = _head(token)
    if rows:
        body["objects"] = [
            {
                "id": r.stix_id,
                "date_added": stamp(r.date_added),
                "version": _stix_time(r.modified),
                "media_type": STIX_JSON,
            }
            for r in rows
        ]
    return TaxiiResponse(body, headers=_headers(rows))


def versions(rows: list[Any], token: str | None) -> Response:
    body = _head(token)
    if rows:
        body["versions"] = [_stix_time(r.modified) for r in rows]
    return TaxiiResponse(body, headers=_headers(rows))


def _stix_time(moment: datetime) -> str:
    """A version's `modified` as its object spells it (milliseconds)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
