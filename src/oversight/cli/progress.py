"""Progress of a long run on stderr (stdout stays the result): a bar redrawn in place at a
terminal, a line of counts now and then otherwise (a log, a CI job). Short runs say nothing."""

import sys
import time
from collections.abc import Callable

# A run this long (in records) or longer reports; below it, nothing is written.
LONG_RUN = 10_000
# Without a terminal, a line at most this often (seconds), and at the end.
LINE_EVERY = 2.0


class Progress:
    def __init__(self, label: str, total: int) -> None:
        self.label, self.total = label, total
        self.active = total >= LONG_RUN
        self.tty = sys.stderr.isatty()
        self.last = 0.0

    def update(self, done: int) -> None:
        if not self.active:
            return
        now = time.monotonic()
        if self.tty:
            width = 30
            filled = width * done // max(self.total, 1)
            bar = "#" * filled + "-" * (width - filled)
            sys.stderr.write(f"\r{self.label} [{bar}] {done}/{self.total} records")
            sys.stderr.flush()
        elif now - self.last >= LINE_EVERY or done >= self.total:
            sys.stderr.write(f"{self.label}: {done} of {self.total} records\n")
            sys.stderr.flush()
        self.last = now if not self.tty else self.last

    def close(self) -> None:
        if self.active and self.tty:
            sys.stderr.write("\n")
            sys.stderr.flush()


def steps(label: str, total: int) -> Callable[[int, str], None]:
    """A run of a few named steps: each told as it starts, on stderr (`demo: 2/3 meetings`)."""

    def tell(number: int, name: str) -> None:
        end = "" if sys.stderr.isatty() and number < total else "\n"
        prefix = "\r\033[K" if sys.stderr.isatty() else ""
        sys.stderr.write(f"{prefix}{label}: {number}/{total} {name}{end}")
        sys.stderr.flush()

    return tell
