"""Query parameters several lists share: an agency named by its id or its slug, and the
words of a text search."""

from typing import Annotated

from fastapi import Query

AGENCY_REF = r"^([0-9a-fA-F-]{36}|[a-z0-9][a-z0-9-]{0,63})$"

AgencyFilter = Annotated[
    str | None,
    Query(
        pattern=AGENCY_REF,
        max_length=64,
        description="An agency's id or slug (`police-cyber`)",
        examples=["police-cyber"],
    ),
]

SearchText = Annotated[str | None, Query(min_length=1, max_length=200)]
