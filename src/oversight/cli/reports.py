"""`oversight reports rebuild-statistics`: the statistics rollup recomputed from the reports."""

import typer

from oversight.cli.output import JsonOpt, emit, example
from oversight.cli.session import cli_session
from oversight.reports.rollup import ReportRollup

app = typer.Typer(
    help="Incident and near-miss reports.", no_args_is_help=True, rich_markup_mode=None
)


@app.command("rebuild-statistics", epilog=example("oversight reports rebuild-statistics"))
def rebuild_statistics(as_json: bool = JsonOpt) -> None:
    """Recompute the statistics rollup from the reports, in one transaction (for recovery,
    or after reports were loaded around the application; the figures are the same after a
    second run)."""
    with cli_session(as_json) as session:
        rows = ReportRollup(session).rebuild()
    emit({"rows": rows}, as_json, f"statistics rebuilt from the reports: {rows} rollup row(s)")
