"""Optimistic concurrency on the wire: `ETag: "<version>"` on reads, `If-Match` on writes.

The header becomes the version the client read (`ExpectedVersion`); the services compare it
(`db.versions`), the one place that decides 428 and 412.
"""

from typing import Annotated, Protocol, TypeVar

from fastapi import Depends, Header, Response


class Versioned(Protocol):
    version: int


V = TypeVar("V", bound=Versioned)

# Versions start at 1: a tag that names no version of ours can match none.
NO_VERSION = 0


def etag(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def _version(tag: str) -> int:
    value = tag.strip().removeprefix("W/").strip('"')
    return int(value) if value.isdigit() and len(value) <= 18 else NO_VERSION


async def expected_version(
    if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            description='The `ETag` of the version you are changing, e.g. `"3"`',
            examples=['"1"'],
        ),
    ] = None,
) -> int | None:
    """The version named by If-Match: None when none was sent; a list of several tags, or a
    tag that is not one of ours, names a version that never matches."""
    if if_match is None or not if_match.strip():
        return None
    tags = [t for t in if_match.split(",") if t.strip()]
    return _version(tags[0]) if len(tags) == 1 else NO_VERSION


ExpectedVersion = Annotated[int | None, Depends(expected_version)]


class Tagged:
    """Puts an answer's version in its `ETag` header on the way out."""

    def __init__(self, response: Response) -> None:
        self.response = response

    def __call__(self, answer: V) -> V:
        set_etag(self.response, answer.version)
        return answer


async def tagged(response: Response) -> Tagged:
    return Tagged(response)


TaggedDep = Annotated[Tagged, Depends(tagged)]
