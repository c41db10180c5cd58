"""`Location` headers: the address of a route of ours, by its name, never a hand-written path."""

from typing import Any

from fastapi import Request


def location(request: Request, route: str, **path_params: Any) -> str:
    """The path of the route named `route` (its endpoint's name) with these parameters."""
    return request.url_for(route, **{k: str(v) for k, v in path_params.items()}).path
