"""Web push subscriptions (a patient's browsers) and the log of reminders sent to them."""
from ..db import write_transaction
from ..timeutil import utc_now

NAMES = ("id", "user_id", "endpoint", "p256dh", "auth", "remind_at", "days", "device", "created_at", "last_sent_at")
COLUMNS = ", ".join(NAMES)
# A patient's browsers are few; this stops one account from filling the table.
MAX_PER_USER = 20


class TooManyDevices(Exception):
    """The patient already has MAX_PER_USER subscriptions."""


def _row(row):
    if row is None:
        return None
    record = dict(zip(NAMES, row))
    record["days"] = [int(d) for d in record["days"]]
    return record


def subscribe(db, user_id, subscription):
    """Save a browser's subscription for ``user_id``: ``(record, new to this patient)``.

    The same endpoint again updates its keys, time and days. An endpoint another account
    subscribed moves to this one: a browser profile reminds whoever subscribed on it last.
    """
    days = "".join(str(d) for d in sorted(set(subscription["days"])))
    with write_transaction(db):
        existing = db.execute("SELECT id, user_id FROM push_subscriptions WHERE endpoint = ?",
                              [subscription["endpoint"]]).fetchone()
        if existing is None or existing[1] != user_id:
            count = db.execute("SELECT count(*) FROM push_subscriptions WHERE user_id = ?", [user_id]).fetchone()[0]
            if count >= MAX_PER_USER:
                raise TooManyDevices()
        values = [user_id, subscription["p256dh"], subscription["auth"], subscription["remind_at"], days,
                  subscription.get("device", "")]
        if existing is None:
            cursor = db.execute(
                "INSERT INTO push_subscriptions (user_id, p256dh, auth, remind_at, days, device, endpoint, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [*values, subscription["endpoint"], utc_now()])
            subscription_id = cursor.lastrowid
        else:
            subscription_id = existing[0]
            if existing[1] != user_id:  # a new owner: the old one's sent log doesn't apply
                db.execute("DELETE FROM reminders_sent WHERE subscription_id = ?", [subscription_id])
            db.execute("UPDATE push_subscriptions SET user_id = ?, p256dh = ?, auth = ?, remind_at = ?, days = ?,"
                       " device = ? WHERE id = ?", [*values, subscription_id])
    return get(db, subscription_id), existing is None or existing[1] != user_id  # new to this patient


def get(db, subscription_id):
    return _row(db.execute(f"SELECT {COLUMNS} FROM push_subscriptions WHERE id = ?", [subscription_id]).fetchone())


def for_user(db, user_id):
    """The patient's subscriptions, newest first."""
    rows = db.execute(f"SELECT {COLUMNS} FROM push_subscriptions WHERE user_id = ? ORDER BY created_at DESC, id DESC",
                      [user_id]).fetchall()
    return [_row(row) for row in rows]


def delete_endpoint(db, user_id, endpoint):
    """Remove the patient's subscription for ``endpoint``; False when they have none like it."""
    with write_transaction(db):
        return db.execute("DELETE FROM push_subscriptions WHERE user_id = ? AND endpoint = ?",
                          [user_id, endpoint]).rowcount > 0


def delete(db, user_id, subscription_id):
    """Remove one of the patient's subscriptions by id; False when it isn't theirs."""
    with write_transaction(db):
        return db.execute("DELETE FROM push_subscriptions WHERE user_id = ? AND id = ?",
                          [user_id, subscription_id]).rowcount > 0


def expire(db, subscription_id):
    """Forget a subscription the push service says is gone (404/410)."""
    with write_transaction(db):
        db.execute("DELETE FROM push_subscriptions WHERE id = ?", [subscription_id])


def all_with_patients(db):
    """Every subscription with its patient's time zone (what a delivery run walks)."""
    rows = db.execute(
        f"SELECT {', '.join('s.' + name for name in NAMES)}, u.timezone"
        " FROM push_subscriptions s JOIN users u ON u.id = s.user_id WHERE u.role = 'patient' ORDER BY s.id"
    ).fetchall()
    return [{**_row(row[:-1]), "timezone": row[-1]} for row in rows]


def claim(db, subscription_id, local_date, kind):
    """Record that today's reminder for this subscription is going out. False when one already has
    (a rerun, or another run at the same minute): the caller then sends nothing."""
    with write_transaction(db):
        cursor = db.execute(
            "INSERT OR IGNORE INTO reminders_sent (subscription_id, local_date, kind, sent_at) VALUES (?, ?, ?, ?)",
            [subscription_id, local_date, kind, utc_now()])
        return cursor.rowcount > 0


def mark_sent(db, subscription_id):
    """The push service took a reminder for this subscription just now."""
    with write_transaction(db):
        db.execute("UPDATE push_subscriptions SET last_sent_at = ? WHERE id = ?", [utc_now(), subscription_id])


def claimed(db, subscription_id, local_date):
    return db.execute("SELECT EXISTS (SELECT 1 FROM reminders_sent WHERE subscription_id = ? AND local_date = ?)",
                      [subscription_id, local_date]).fetchone()[0] == 1


def release(db, subscription_id, local_date):
    """Undo a claim whose push failed for a reason worth retrying (a later run may send it)."""
    with write_transaction(db):
        db.execute("DELETE FROM reminders_sent WHERE subscription_id = ? AND local_date = ?",
                   [subscription_id, local_date])


def sent(db, subscription_id):
    """What was sent to a subscription, oldest first (local_date, kind, sent_at)."""
    rows = db.execute("SELECT local_date, kind, sent_at FROM reminders_sent WHERE subscription_id = ?"
                      " ORDER BY local_date", [subscription_id]).fetchall()
    return [dict(zip(("local_date", "kind", "sent_at"), row)) for row in rows]


def reminded_since(db, subscription_id, kind, since):
    """Whether a ``kind`` reminder went to the subscription on or after the local date ``since``."""
    return db.execute("SELECT EXISTS (SELECT 1 FROM reminders_sent WHERE subscription_id = ? AND kind = ?"
                      " AND local_date >= ?)", [subscription_id, kind, str(since)]).fetchone()[0] == 1
