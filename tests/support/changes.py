"""The change feed, as the tests read it."""

CHANGES = "/api/v1/changes"
