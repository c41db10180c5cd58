"""What the command-line tests share beside the `cli` fixture (tests/conftest.py)."""

import json


def out(result) -> dict:
    """The --json answer of a command that succeeded."""
    assert result.exit_code == 0, (result.exit_code, result.output)
    return json.loads(result.stdout)
