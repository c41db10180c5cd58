"""Optimistic concurrency: `ETag: "<version>"` on reads, `If-Match` required on writes."""

from typing import Annotated

from fastapi import Header, Response

from oversight.errors import PreconditionFailed, PreconditionRequired

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='The `ETag` of the version you are changing, e.g. `"3"`',
        examples=['"1"'],
    ),
]


def etag(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def check_if_match(if_match: str | None, version: int) -> None:
    """428 when If-Match is missing, 412 when it names another version."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(
            "This change needs an If-Match header with the ETag you last read"
        )
    wanted = {t.strip().removeprefix("W/") for t in if_match.split(",")}
    if etag(version) not in wanted:
        raise PreconditionFailed(
            f"The resource has changed (now version {version}); read it again and retry"
        )


def check_optional_if_match(if_match: str | None, version: int) -> None:
    """Actions safe to repeat (suspend, disable, ...) honour If-Match when it is sent."""
    if if_match is not None:
        check_if_match(if_match, version)
