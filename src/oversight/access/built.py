"""Page statements built once for every reader of one shape (`policy.shape`), their reader
bound when they run (`policy.reader`): building one per request cost more than running it
(docs/architecture.md, "The read path at the limit")."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import JSON, Select, cast

from oversight.db.base import JSONRead

# By key, and the key of each by the id of the statement, which the dict keeps alive (so no
# other object can take that id).
_BUILT: dict[tuple[Any, ...], Select[Any]] = {}
_KEY_OF: dict[int, tuple[Any, ...]] = {}


def built(key: tuple[Any, ...], build: Callable[[], Select[Any]]) -> Select[Any]:
    """The statement built for `key`, built by `build` the first time."""
    stmt = _BUILT.get(key)
    if stmt is None:
        stmt = _BUILT.setdefault(key, build())  # a racing thread's copy is simply dropped
        _KEY_OF[id(stmt)] = key
    return stmt


def key_of(stmt: Select[Any]) -> tuple[Any, ...] | None:
    """The key `stmt` was built for, if it was built here."""
    return _KEY_OF.get(id(stmt))


def read_as_page(column: Any) -> Any:
    """A column as a page reads it: a JSON document as text, parsed by pydantic-core."""
    return cast(column, JSONRead()) if isinstance(column.type, JSON) else column
