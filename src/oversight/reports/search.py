"""Full-text search of reports' descriptions: the database's own index, as for bulletins.

SQLite: the FTS5 index `report_fts` (porter stemming), mapped to reports by `report_search`
(a stable integer per report), both fed by triggers; PostgreSQL: the `search_vector`
tsvector column and its GIN index. Every word of `q` must appear.
"""

from sqlalchemy import ColumnElement, column, false, func, literal_column, select, table

from oversight.bulletins.search import terms
from oversight.reports.models import Report

_fts = table("report_fts", column("rowid"))
_search_map = table("report_search", column("rowid"), column("report_id"))


def matches(dialect: str, q: str) -> ColumnElement[bool]:
    """SQL true for reports whose description holds every word of `q`."""
    words = terms(q)
    if not words:
        return false()
    if dialect == "postgresql":
        vector = literal_column("report.search_vector")
        return vector.op("@@")(func.plainto_tsquery("english", " ".join(words)))
    query = " ".join(f'"{w}"' for w in words)
    hits = select(_fts.c.rowid).where(literal_column("report_fts").op("MATCH")(query))
    return Report.id.in_(select(_search_map.c.report_id).where(_search_map.c.rowid.in_(hits)))
