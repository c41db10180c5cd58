"""Readable, stable operation ids (`bulletins.list`, `bulletins.publish`): what client
generators name their methods after. A router's endpoints are named `<verb>_<noun>`; the id
is `<resource>.<verb>`."""

from collections.abc import Callable

from fastapi.routing import APIRoute


def ids(resource: str, *nouns: str) -> Callable[[APIRoute], str]:
    def operation_id(route: APIRoute) -> str:
        verb = route.name
        for noun in nouns:
            verb = verb.removesuffix(f"_{noun}").removeprefix(f"{noun}_")
            if verb == noun:
                verb = "get"
        return f"{resource}.{verb}"

    return operation_id
