"""Full-text search of reports' descriptions: the database's own index, as for bulletins.

SQLite: the FTS5 index `report_fts` (porter stemming), mapped to reports by `report_search`
(a stable integer per report), both fed by triggers; PostgreSQL: the `search_vector`
tsvector column and its GIN index. Every word of `q` must appear.
"""

from sqlalchemy import ColumnElement

from oversight.bulletins.search import text_matches
from oversight.reports.models import Report


def matches(dialect: str, q: str) -> ColumnElement[bool]:
    """SQL true for reports whose description holds every word of `q`."""
    return text_matches(dialect, q, "report", Report.id)
