"""Web push subscriptions (a patient's browsers for reminders, a provider's for safety alerts) and
the log of reminders sent to them. What safety alerts were sent: store/safety_alerts.py."""
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict, cast

from sqlite_utils import Database

from ..db import write_transaction
from ..timeutil import utc_now

NAMES = ("id", "user_id", "endpoint", "p256dh", "auth", "remind_at", "days", "device", "created_at", "last_sent_at",
         "purpose")
COLUMNS = ", ".join(NAMES)
# A user's browsers are few; this stops one account from filling the table.
MAX_PER_USER = 20
# What a subscription is for (push_subscriptions.purpose).
REMINDERS, SAFETY_ALERTS = "reminders", "safety_alerts"
# A safety-alert browser has no reminder time; the columns are NOT NULL (m016), and nothing reads these.
NO_REMINDER = {"remind_at": "00:00", "days": range(7)}


class Subscription(TypedDict):
    """A browser's push subscription as read (``days``: 0-6, Monday first)."""
    id: int
    user_id: int
    endpoint: str
    p256dh: str
    auth: str
    remind_at: str
    days: list[int]
    device: str
    created_at: str
    last_sent_at: str | None
    purpose: str


class PatientSubscription(Subscription):
    """A reminder subscription with its patient's time zone and language (``all_with_patients``)."""
    timezone: str
    language: str


class SentReminder(TypedDict):
    """A reminder sent to a subscription (``sent``)."""
    local_date: str
    kind: str
    sent_at: str


class TooManyDevices(Exception):
    """The user already has MAX_PER_USER subscriptions."""


def _row(row: Sequence[Any]) -> Subscription:
    record = dict(zip(NAMES, row))
    record["days"] = [int(d) for d in record["days"]]
    return cast(Subscription, record)


def subscribe(db: Database, user_id: int, subscription: Mapping[str, Any],
              purpose: str = REMINDERS) -> tuple[Subscription, bool]:
    """Save a browser's subscription for ``user_id``: ``(record, new to this user and purpose)``.

    The same endpoint again updates its keys (and, for reminders, time and days). An endpoint
    another account (or the same one for the other purpose) subscribed moves to this one, as if
    new: a browser profile notifies whoever turned notifications on in it last.
    """
    if purpose == SAFETY_ALERTS:
        subscription = {**subscription, **NO_REMINDER}
    days = "".join(str(d) for d in sorted(set(subscription["days"])))
    with write_transaction(db):
        existing = db.execute("SELECT id, user_id, purpose FROM push_subscriptions WHERE endpoint = ?",
                              [subscription["endpoint"]]).fetchone()
        moved = existing is not None and (existing[1], existing[2]) != (user_id, purpose)
        if existing is None or existing[1] != user_id:
            count = db.execute("SELECT count(*) FROM push_subscriptions WHERE user_id = ?", [user_id]).fetchone()[0]
            if count >= MAX_PER_USER:
                raise TooManyDevices()
        values = [user_id, subscription["p256dh"], subscription["auth"], subscription["remind_at"], days,
                  subscription.get("device", ""), purpose]
        if existing is None:
            cursor = db.execute(
                "INSERT INTO push_subscriptions (user_id, p256dh, auth, remind_at, days, device, purpose, endpoint,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [*values, subscription["endpoint"], utc_now()])
            subscription_id = cast(int, cursor.lastrowid)  # an INSERT's: never None
        else:
            subscription_id = existing[0]
            if moved:  # a new owner (or purpose): what was sent before doesn't apply, and it starts now
                db.execute("DELETE FROM reminders_sent WHERE subscription_id = ?", [subscription_id])
                db.execute("DELETE FROM safety_alerts_sent WHERE subscription_id = ?", [subscription_id])
                db.execute("UPDATE push_subscriptions SET created_at = ?, last_sent_at = NULL WHERE id = ?",
                           [utc_now(), subscription_id])
            db.execute("UPDATE push_subscriptions SET user_id = ?, p256dh = ?, auth = ?, remind_at = ?, days = ?,"
                       " device = ?, purpose = ? WHERE id = ?", [*values, subscription_id])
        # Read back inside the transaction that wrote it, so it is there (never None).
        record = cast(Subscription, get(db, subscription_id))
    return record, existing is None or moved


def get(db: Database, subscription_id: int) -> Subscription | None:
    row = db.execute(f"SELECT {COLUMNS} FROM push_subscriptions WHERE id = ?", [subscription_id]).fetchone()
    return None if row is None else _row(row)


def for_user(db: Database, user_id: int, purpose: str = REMINDERS) -> list[Subscription]:
    """The user's subscriptions for ``purpose``, newest first."""
    rows = db.execute(f"SELECT {COLUMNS} FROM push_subscriptions WHERE user_id = ? AND purpose = ?"
                      " ORDER BY created_at DESC, id DESC", [user_id, purpose]).fetchall()
    return [_row(row) for row in rows]


def delete_endpoint(db: Database, user_id: int, endpoint: str, purpose: str = REMINDERS) -> bool:
    """Remove the user's subscription for ``endpoint``; False when they have none like it for ``purpose``."""
    with write_transaction(db):
        return db.execute("DELETE FROM push_subscriptions WHERE user_id = ? AND endpoint = ? AND purpose = ?",
                          [user_id, endpoint, purpose]).rowcount > 0


def delete(db: Database, user_id: int, subscription_id: int, purpose: str = REMINDERS) -> bool:
    """Remove one of the user's subscriptions by id; False when it isn't theirs (for ``purpose``)."""
    with write_transaction(db):
        return db.execute("DELETE FROM push_subscriptions WHERE user_id = ? AND id = ? AND purpose = ?",
                          [user_id, subscription_id, purpose]).rowcount > 0


def expire(db: Database, subscription_id: int) -> None:
    """Forget a subscription the push service says is gone (404/410), with what was sent to it."""
    with write_transaction(db):
        db.execute("DELETE FROM push_subscriptions WHERE id = ?", [subscription_id])


def all_with_patients(db: Database) -> list[PatientSubscription]:
    """Every reminder subscription with its patient's time zone and language (what a delivery run walks)."""
    rows = db.execute(
        f"SELECT {', '.join('s.' + name for name in NAMES)}, u.timezone, u.language"
        " FROM push_subscriptions s JOIN users u ON u.id = s.user_id"
        " WHERE u.role = 'patient' AND s.purpose = 'reminders' ORDER BY s.id"
    ).fetchall()
    return [{**_row(row[:-2]), "timezone": row[-2], "language": row[-1]} for row in rows]


def claim(db: Database, subscription_id: int, local_date: str, kind: str) -> bool:
    """Record that today's reminder for this subscription is going out. False when one already has
    (a rerun, or another run at the same minute): the caller then sends nothing."""
    with write_transaction(db):
        cursor = db.execute(
            "INSERT OR IGNORE INTO reminders_sent (subscription_id, local_date, kind, sent_at) VALUES (?, ?, ?, ?)",
            [subscription_id, local_date, kind, utc_now()])
        return cursor.rowcount > 0


def mark_sent(db: Database, subscription_id: int) -> None:
    """The push service took a reminder (or safety alert) for this subscription just now."""
    with write_transaction(db):
        db.execute("UPDATE push_subscriptions SET last_sent_at = ? WHERE id = ?", [utc_now(), subscription_id])


def claimed(db: Database, subscription_id: int, local_date: str) -> bool:
    return db.execute("SELECT EXISTS (SELECT 1 FROM reminders_sent WHERE subscription_id = ? AND local_date = ?)",
                      [subscription_id, local_date]).fetchone()[0] == 1


def release(db: Database, subscription_id: int, local_date: str) -> None:
    """Undo a claim whose push failed for a reason worth retrying (a later run may send it)."""
    with write_transaction(db):
        db.execute("DELETE FROM reminders_sent WHERE subscription_id = ? AND local_date = ?",
                   [subscription_id, local_date])


def sent(db: Database, subscription_id: int) -> list[SentReminder]:
    """What was sent to a subscription, oldest first (local_date, kind, sent_at)."""
    rows = db.execute("SELECT local_date, kind, sent_at FROM reminders_sent WHERE subscription_id = ?"
                      " ORDER BY local_date", [subscription_id]).fetchall()
    return [cast(SentReminder, dict(zip(("local_date", "kind", "sent_at"), row))) for row in rows]


def reminded_since(db: Database, subscription_id: int, kind: str, since: dt.date | str) -> bool:
    """Whether a ``kind`` reminder went to the subscription on or after the local date ``since``."""
    return db.execute("SELECT EXISTS (SELECT 1 FROM reminders_sent WHERE subscription_id = ? AND kind = ?"
                      " AND local_date >= ?)", [subscription_id, kind, str(since)]).fetchone()[0] == 1
