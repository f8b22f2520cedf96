"""flask --app diary init-db | seed-demo | create-user | backup PATH | backup-keys PATH | verify-audit |
end-logins | reset-two-factor | send-reminders"""
import datetime as dt
import os
import sqlite3
import stat
from collections.abc import Callable, Mapping
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from marshmallow import ValidationError

from ..db import get_db, migrate
from ..schemas.accounts import RegisterIn
from ..security import passwords
from ..store import NameTaken
from ..store import users as users_store
from .keys import rotate_master_key_command
from .replication import litestream_config_command, restore_drill_command


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema (safe to run repeatedly)."""
    db = get_db()
    from ..migrations import migrations
    pending = [m.name for m in migrations.pending(db)]
    from ..services import keys
    sealed = "users" in db.table_names() and "m020_seal_words" not in pending
    keys.prepare(db, sealed=sealed)  # keys committed before m020 seals with them
    if sealed:  # the right keys, before anything new is sealed
        found = keys.check(db, current_app.config["MASTER_KEYS"])
        if not found.ok:
            raise click.ClickException(found.problem())
    migrate(db)
    keys.prepare(db, sealed=True)
    where = current_app.config["DATABASE"]
    click.echo(f"Applied {len(pending)} migration(s) to {where}." if pending else f"{where} is up to date.")


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(["patient", "provider"]), required=True)
@click.option("--display-name", required=True)
@click.option("--timezone", default="UTC", show_default=True)
@click.password_option()
def create_user_command(email: str, role: str, display_name: str, timezone: str, password: str) -> None:
    """Create an account (the password is asked for, never taken from shell history)."""
    try:
        data = RegisterIn().load({
            "email": email, "password": password, "role": role, "display_name": display_name,
            "timezone": timezone,
        })
    except ValidationError as error:
        messages = error.normalized_messages()
        raise click.UsageError("; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in messages.items())) from None
    migrate(get_db())
    try:
        user = users_store.create_user(
            get_db(), email=data["email"], password_hash=passwords.hash_password(data["password"]),
            role=data["role"], display_name=data["display_name"], timezone=data["timezone"],
        )
    except NameTaken:
        raise click.UsageError(f"An account with {data['email']} already exists.") from None
    click.echo(f"Created {user['role']} {user['email']} (id {user['id']}).")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Add a demo patient (120 days of check-ins, 8 sessions) and a demo provider."""
    from .demo import seed_demo
    migrate(get_db())
    for line in seed_demo(get_db()):
        click.echo(line)


def _private_copy(path: str, schema: str = "main") -> None:
    """An online backup of ``schema`` (the database, or the attached key store) to ``path``, made
    0600 before SQLite writes a byte, whatever the umask; a warning when its folder is open to others."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)
    folder = os.path.dirname(os.path.abspath(path))
    if os.stat(folder).st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        click.echo(f"Warning: {folder} is readable by other users of this machine; keep backups in a "
                   "folder only you can open (chmod 700).", err=True)
    target = sqlite3.connect(path)
    try:
        with target:
            get_db().conn.backup(target, name=schema)
    finally:
        target.close()


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def backup_command(path: str) -> None:
    """Write a consistent copy of the database to PATH (safe while the app is running), readable
    by its owner only: it holds password hashes and the sealed words."""
    _private_copy(path)
    click.echo(f"Backed up {current_app.config['DATABASE']} to {path}.")
    click.echo("Its words open only with this server's master key and key store: keep a current copy of them "
               "apart from the backups (flask backup-keys; README, \"Keys\").")
    from ..services import audit
    head = audit.anchor(get_db(), current_app.config["AUDIT_ANCHORS"])
    if head is not None:
        click.echo(f"Anchored the audit log at row {head['id']} in {current_app.config['AUDIT_ANCHORS']}.")


@click.command("backup-keys")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def backup_keys_command(path: str) -> None:
    """Write a consistent copy of the key store (every account's wrapped data key) to PATH, safe
    while the app runs, readable by its owner only. Keep only the latest copy, apart from the
    database's backups and from the master key: an older one still holds the keys of accounts
    deleted since, whose words deletion promised were gone."""
    _private_copy(path, "keys")
    click.echo(f"Backed up the key store {current_app.config['KEY_STORE']} to {path}. Replace the previous copy "
               "with it; don't keep old ones.")


@click.command("verify-audit")
@with_appcontext
def verify_audit_command() -> None:
    """Check the audit log's hash chain and every head anchored outside the database
    (AUDIT_ANCHORS); exit 1 naming what is wrong."""
    from ..services import audit
    verdict = audit.verify(get_db(), current_app.config["AUDIT_ANCHORS"], current_app.config["AUDIT_KEY"])
    if verdict.broken is not None:
        click.echo(f"Audit log broken at row {verdict.broken}: it doesn't follow from the rows before it "
                   "(a row was deleted or changed outside the app).", err=True)
    for problem in verdict.problems:
        click.echo(f"Audit log tampered with: {problem}", err=True)
    if not verdict.intact:
        raise SystemExit(1)
    heads = f"{verdict.anchors} anchored head{'' if verdict.anchors == 1 else 's'} still there"
    click.echo(f"Audit log intact: {verdict.checked} rows, every link verified; {heads}.")


@click.command("invite-provider")
@click.argument("email")
@click.option("--days", type=click.IntRange(1, 30), default=7, show_default=True, help="how long the link works")
@click.option("--base-url", envvar="DIARY_PUBLIC_URL", default="http://127.0.0.1:8000", show_default=True,
              help="the diary's address as clinicians reach it (or DIARY_PUBLIC_URL)")
@with_appcontext
def invite_provider_command(email: str, days: int, base_url: str) -> None:
    """Print a single-use link that lets EMAIL open a clinician's account (DIARY_PROVIDER_SIGNUP=invite).
    Send it to them yourself; it works once, for DAYS days, with that e-mail address only."""
    from ..services import accounts
    token, expires_at = accounts.invite_provider(get_db(), email, days=days)
    click.echo(f"Invitation for {email.strip().lower()}, valid until {expires_at} (once):")
    click.echo(f"{base_url.rstrip('/')}/register?invitation={token}")


@click.command("audit-anchor")
@with_appcontext
def audit_anchor_command() -> None:
    """Append the audit log's head (row, count, hash, time) to AUDIT_ANCHORS, outside the database,
    and print it. Run it on a schedule (README): verify-audit then notices a cut tail or a chain
    recomputed after removing rows."""
    from ..services import audit
    head = audit.anchor(get_db(), current_app.config["AUDIT_ANCHORS"])
    if head is None:
        click.echo("The audit log is empty: nothing to anchor yet.")
        return
    click.echo(f"Anchored the audit log at row {head['id']} ({head['count']} rows, hash {head['hash']}, "
               f"{head['at']}) in {current_app.config['AUDIT_ANCHORS']}.")


@click.command("end-logins")
@click.argument("email", required=False)
@click.option("--all", "everyone", is_flag=True, help="End every session of every account.")
@with_appcontext
def end_logins_command(email: str | None, everyone: bool) -> None:
    """Log one account (EMAIL) or every account (--all) out on every device, at once."""
    from ..store import audit
    if bool(email) == everyone:
        raise click.UsageError("Give one account's EMAIL, or --all.")
    db = get_db()
    if everyone:
        count = users_store.end_all_logins(db)
        audit.record(db, "admin.sessions_ended", actor_id=None, detail="every account")
        click.echo(f"Ended every session of {count} accounts.")
        return
    assert email is not None  # not --all: then an EMAIL (checked above)
    row = users_store.get_user_by_email(db, email)
    if row is None:
        click.echo(f"No account with the email {email}.", err=True)
        raise SystemExit(1)
    users_store.end_logins_of(db, row["id"])
    audit.record(db, "admin.sessions_ended", actor_id=None, detail=f"account {row['id']}")
    click.echo(f"Ended every session of {row['email']}: they must log in again.")


@click.command("reset-two-factor")
@click.argument("email")
@with_appcontext
def reset_two_factor_command(email: str) -> None:
    """Turn two-factor off for EMAIL (a lost phone and lost recovery codes), ending its sessions.

    Check the person's identity first, as carefully as when they enrolled. A provider is asked to
    enrol again before they see any patient data.
    """
    from ..services import limits, two_factor
    from ..store import audit
    db = get_db()
    row = users_store.get_user_by_email(db, email)
    if row is None:
        click.echo(f"No account with the email {email}.", err=True)
        raise SystemExit(1)
    two_factor.disable(db, row["id"])
    limits.forget(db, current_app.config, "mfa", row["id"])  # a locked second step opens again
    audit.record(db, "admin.two_factor_reset", actor_id=None, detail=f"account {row['id']}")
    click.echo(f"Two-factor is off for {row['email']}, and every session of it has ended.")


@click.command("send-reminders")
@click.option("--now", "now", metavar="ISO", help="Act as if it were this moment (ISO 8601 with an offset, "
              "e.g. 2026-11-24T20:05:00-06:00), for testing; default: the real time.")
@with_appcontext
def send_reminders_command(now: str | None) -> None:
    """Send the safety alerts not sent yet (to providers), then the web push reminders due now (to
    patients). Safe to run every few minutes from cron or a systemd timer, and twice at once:
    nothing is ever sent twice (docs/REMINDERS.md)."""
    from ..push import webpush
    from ..services import reminders, safety_alerts
    if now is None:
        moment = dt.datetime.now(dt.timezone.utc)
    else:
        try:
            moment = dt.datetime.fromisoformat(now.replace("Z", "+00:00"))
        except ValueError:
            raise click.BadParameter("Give a date and time like 2026-11-24T20:05:00-06:00.",
                                     param_hint="--now") from None
        if moment.tzinfo is None:
            raise click.BadParameter("Give the offset too (e.g. -06:00 or Z).", param_hint="--now")
    moment = moment.astimezone(dt.timezone.utc)
    db = get_db()
    migrate(db)
    send = in_their_language(webpush.sender(current_app.config, current_app.instance_path))
    # Safety alerts first: they don't wait for a time of day, and a slow reminder run mustn't delay them.
    alerts = safety_alerts.send_due(db, send)
    when = moment.isoformat(timespec="seconds")
    click.echo(f"{when}: safety alerts {alerts['sent']} sent, {alerts['gone']} expired and removed, "
               f"{alerts['failed'] + alerts['refused']} failed, {alerts['already_done']} already sent.")
    counts = reminders.send_due(db, moment, send)
    click.echo(f"{when}: sent {counts['sent']}, nothing to do "
               f"{counts['nothing_to_do']}, already done {counts['already_done']}, expired and removed "
               f"{counts['gone']}, failed {counts['failed'] + counts['refused']}.")


def in_their_language(send: Callable[..., str]) -> Callable[..., str]:
    """``send`` with each message worded first in the language of the account it goes to (the
    subscription's ``language``): a reminder in the patient's, an alert in the clinician's."""
    from ..web import i18n

    def send_worded(subscription: Mapping[str, Any], message: Mapping[str, Any], **options: Any) -> str:
        with i18n.speaking(subscription.get("language") or i18n.DEFAULT):
            worded = {key: value if isinstance(value, str) else str(value) for key, value in message.items()}
        return send(subscription, worded, **options)
    return send_worded


def init_app(app: Flask) -> None:
    for command in (init_db_command, create_user_command, seed_demo_command, backup_command, backup_keys_command,
                    verify_audit_command, audit_anchor_command, invite_provider_command, end_logins_command,
                    reset_two_factor_command,
                    send_reminders_command, litestream_config_command, restore_drill_command,
                    rotate_master_key_command):
        app.cli.add_command(command)
