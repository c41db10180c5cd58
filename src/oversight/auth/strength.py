"""The password rule, written once for the API and the command line: long enough, and not
easy to guess (zxcvbn, which knows common passwords, names, words, keyboard walks, dates and
repeats)."""

import re

from zxcvbn import zxcvbn

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
# zxcvbn's scores run 0-4; 3 is "safely unguessable: moderate protection from an offline
# slow-hash scenario" (< 10^10 guesses), enough behind Argon2id and the login throttle.
MIN_SCORE = 3
# zxcvbn's own limit (it refuses longer input): its work grows with the length, so only the
# start is judged; a longer tail adds no weakness.
CHECKED_LENGTH = 72
TOO_EASY = "too easy to guess"


def weakness(password: str) -> str | None:
    """Why this password is refused, in a sentence; None when it is strong enough."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"too short: at least {MIN_PASSWORD_LENGTH} characters are needed"
    result = zxcvbn(password[:CHECKED_LENGTH], max_length=CHECKED_LENGTH)
    if result["score"] >= MIN_SCORE:
        return None
    feedback = result["feedback"]
    why = _clause(feedback["warning"]) or "it is too easy to guess"
    hints = "; ".join(_clause(s) for s in feedback["suggestions"][:2])
    return f"{TOO_EASY}: {why}" + (f" ({hints})" if hints else "")


def check(password: str) -> str:
    """The rule as a validator: the password back, or ValueError with the reason (which never
    quotes the password)."""
    reason = weakness(password)
    if reason is not None:
        raise ValueError(reason)
    return password


def _clause(text: str) -> str:
    """zxcvbn's sentence as a clause: `Add a word. Uncommon words are better.` -> `add a
    word, uncommon words are better`."""
    text = re.sub(r"\. (\w)", lambda m: ", " + m.group(1).lower(), text.strip().rstrip("."))
    return text[:1].lower() + text[1:]
