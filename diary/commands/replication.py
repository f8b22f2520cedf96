"""flask --app diary litestream-config | restore-drill: continuous replication (docs/OPERATIONS.md)."""
import datetime as dt
import json
import shutil
import tempfile

import click
from flask import current_app
from flask.cli import with_appcontext

from ..replication import litestream
from ..services import replication


@click.command("litestream-config")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="write it to this file (default: print it)")
@with_appcontext
def litestream_config_command(output: str | None) -> None:
    """Litestream's configuration for this app's settings (DIARY_REPLICA_URL, DIARY_DATABASE,
    DIARY_KEY_STORE), as YAML: scripts/serve runs `litestream replicate` with it. Holds no credentials."""
    settings = current_app.config
    try:
        if output:
            litestream.write_config(settings, output)
        else:
            click.echo(json.dumps(litestream.config(settings), indent=2))
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def _moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter("give an RFC 3339 time, e.g. 2026-12-06T03:00:00Z", param_hint="--at") from None
    if moment.tzinfo is None:
        raise click.BadParameter("give the offset too (e.g. Z or +01:00)", param_hint="--at")
    return moment


@click.command("restore-drill")
@click.option("--at", "at", metavar="TIME", help="restore the database as it was at TIME (RFC 3339, e.g. "
              "2026-12-06T03:00:00Z) instead of its latest state; the key store is always restored at its latest")
@with_appcontext
def restore_drill_command(at: str | None) -> None:
    """Restore the replica into a temporary folder and check it: integrity of both files, the audit
    log's chain and anchors, and (latest state) the same rows and newest check-in as the live
    database, or (--at) nothing newer than TIME. Prints one line; exits 1 when the drill fails."""
    moment = _moment(at) if at else None
    folder = tempfile.mkdtemp(prefix="diary-restore-drill-")
    try:
        line = replication.run_drill(current_app.config, folder, moment)
    except replication.DrillFailed as failure:
        click.echo(f"Restore drill FAILED: {failure}", err=True)
        raise SystemExit(1)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    click.echo(line)
