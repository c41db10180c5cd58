"""`Location` headers: the address of a route of ours, by its name, never a hand-written path."""

from typing import Any

from fastapi import Request

# A route by its name (its endpoint's) and the name of its one path parameter.
Route = tuple[str, str]


def location(request: Request, route: Route, item_id: Any) -> str:
    """The path of `route`, its path parameter filled with `item_id`."""
    name, param = route
    return request.url_for(name, **{param: str(item_id)}).path
