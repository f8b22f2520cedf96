"""flask --app diary rotate-master-key [--forget-previous]"""
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


@click.command("rotate-master-key")
@click.option("--forget-previous", is_flag=True,
              help="Second step, after the app has restarted: re-wrap any data key made meanwhile and delete "
                   "the previous master key.")
@with_appcontext
def rotate_master_key_command(forget_previous: bool) -> None:
    """Wrap every account's data key with a new master key; the sealed words are not touched.

    With instance/master_key: writes a new one and keeps the old as instance/master_key.previous
    (the app still opens with it). Restart the app, then run again with --forget-previous, which
    re-wraps the keys made in between and deletes the old key.

    With DIARY_MASTER_KEY: put the new key first in it, the old one after a comma, restart, and
    run this; then remove the old key from the variable and restart again.
    """
    db = get_db()
    if os.environ.get("DIARY_MASTER_KEY"):
        given = MasterKeys.from_text(os.environ["DIARY_MASTER_KEY"])
        count = keys.rotate(db, given)
        click.echo(f"Re-wrapped {count} data keys with the first key of DIARY_MASTER_KEY ({given.current_id}). "
                   "Remove every other key from DIARY_MASTER_KEY and restart the app.")
        return
    current, previous = master_key_files(Path(current_app.instance_path))
    if forget_previous:
        if not previous.exists():
            raise click.UsageError("There is no previous master key to forget (instance/master_key.previous).")
        count = keys.rotate(db, current_app.config["MASTER_KEYS"])
        left = keys.check(db, MasterKeys.from_text(current.read_text()))
        if not left.ok:
            raise click.ClickException(left.problem())
        previous.unlink()
        click.echo(f"Re-wrapped {count} data keys with the current master key and deleted the previous one.")
        return
    if previous.exists():
        raise click.UsageError("A rotation is half done: restart the app, then run rotate-master-key "
                               "--forget-previous.")
    new_key = secrets.token_hex(32)
    old_text = current.read_text().strip()
    given = MasterKeys.from_text(f"{new_key},{old_text}")
    staged = current.with_name(".master_key.new")
    fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(new_key)
        f.flush()
        os.fsync(f.fileno())
    # The old key stays readable (master_key.previous) until --forget-previous: a worker still
    # running with it may wrap a new account's key with it in the meantime.
    os.link(current, previous)
    count = keys.rotate(db, given)
    os.replace(staged, current)
    click.echo(f"Re-wrapped {count} data keys with a new master key ({given.current_id}) in {current}; the old "
               f"one is {previous} until you restart the app and run rotate-master-key --forget-previous.")
