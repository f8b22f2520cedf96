"""flask --app diary rotate-master-key [--finish]"""
import os
import secrets
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..config import master_key_files
from ..db import get_db
from ..security.fields import MasterKeys
from ..services import keys


def _write_synced(path: Path, text: str) -> None:
    """``path`` holds ``text`` (0600), on disk before this returns (the file and its folder synced)."""
    staged = path.with_name(f".{path.name}.new")
    fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(staged, path)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@click.command("rotate-master-key")
@click.option("--finish", "finish", is_flag=True,
              help="Second step, once the app has restarted: wrap every data key with the new master key and "
                   "delete the previous one.")
@with_appcontext
def rotate_master_key_command(finish: bool) -> None:
    """A new master key for every account's data key; the sealed words are not touched.

    With instance/master_key, in two steps. The first writes a new master key and keeps the old
    one as instance/master_key.previous: nothing in the database changes, and the running app goes
    on with the old key. Restart the app (it then opens with both), and run again with --finish: it
    wraps every data key with the new key, checks that the new key alone opens them all, and
    deletes the previous one.

    With DIARY_MASTER_KEY: put the new key first in it and the old one after a comma, restart, and
    run this; then remove the old key from the variable and restart again.
    """
    db = get_db()
    if os.environ.get("DIARY_MASTER_KEY"):
        given = MasterKeys.from_text(os.environ["DIARY_MASTER_KEY"])
        count = keys.rotate(db, given)
        click.echo(f"Wrapped {count} data keys with the first key of DIARY_MASTER_KEY ({given.current_id}). "
                   "Remove every other key from DIARY_MASTER_KEY and restart the app.")
        return
    current, previous = master_key_files(Path(current_app.instance_path))
    if finish:
        if not previous.exists():
            raise click.UsageError("There is no rotation to finish: run rotate-master-key first.")
        given = MasterKeys.from_text(f"{current.read_text().strip()},{previous.read_text().strip()}")
        count = keys.rotate(db, given)
        left = keys.check(db, MasterKeys.from_text(current.read_text()))
        if not left.ok:
            raise click.ClickException(left.problem())
        previous.unlink()
        _sync_folder(current.parent)
        click.echo(f"Wrapped {count} data keys with the new master key ({given.current_id}) and deleted the "
                   "previous one.")
        return
    old = current.read_text().strip()
    if previous.exists() and previous.read_text().strip() != old:
        raise click.UsageError("A rotation is half done: restart the app, then run rotate-master-key --finish.")
    # The old key first, kept beside the new one until --finish (a crash between these two writes
    # leaves previous == current: running the command again goes on from there).
    _write_synced(previous, old)
    new_key = secrets.token_hex(32)
    _write_synced(current, new_key)
    click.echo(f"Wrote a new master key ({MasterKeys.from_text(new_key).current_id}) to {current}; the old one "
               f"is {previous}. Restart the app, then run rotate-master-key --finish.")
