"""Optimistic concurrency: a change names the version it read, or changes nothing."""

from oversight.errors import PreconditionFailed, PreconditionRequired


def require_version(expected: int | None, current: int) -> None:
    """428 when no version was named (If-Match), 412 when another one was."""
    if expected is None:
        raise PreconditionRequired(
            "This change needs an If-Match header with the ETag you last read"
        )
    if expected != current:
        raise PreconditionFailed(
            f"The resource has changed (now version {current}); read it again and retry"
        )


def match_version(expected: int | None, current: int) -> None:
    """Actions safe to repeat (suspend, disable, ...) honour a version when one is named."""
    if expected is not None:
        require_version(expected, current)
