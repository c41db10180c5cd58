"""`oversight taxii backfill`: STIX versions for bulletins published before the feed."""

import typer

from oversight.bulletins.models import Bulletin
from oversight.cli.output import JsonOpt, emit, example
from oversight.cli.session import cli_session
from oversight.taxii import feed

app = typer.Typer(help="The TAXII 2.1 feed.", no_args_is_help=True, rich_markup_mode=None)


@app.command(epilog=example("oversight taxii backfill"))
def backfill(as_json: bool = JsonOpt) -> None:
    """Add the collection's versions of every published or withdrawn bulletin that has none
    (run once after upgrading to the release that added the feed; running it again adds
    nothing)."""
    with cli_session(as_json) as session:
        fed = feed.backfill(session, Bulletin)
    emit({"bulletins": fed}, as_json, f"{fed} bulletin(s) added to the TAXII collection")
