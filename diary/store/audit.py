"""The append-only audit log: who did what to whose diary, and when (UTC)."""
from ..timeutil import utc_now


def record(db, action, *, actor_id=None, patient_id=None, detail=""):
    """Append one event. Never pass passwords or diary text in ``detail``."""
    db.execute(
        "INSERT INTO audit_log (at, actor_id, patient_id, action, detail) VALUES (?, ?, ?, ?, ?)",
        [utc_now(), actor_id, patient_id, action, detail],
    )


def record_many(db, action, *, actor_id, patient_ids, detail=""):
    now = utc_now()
    db.conn.executemany(
        "INSERT INTO audit_log (at, actor_id, patient_id, action, detail) VALUES (?, ?, ?, ?, ?)",
        [(now, actor_id, patient_id, action, detail) for patient_id in patient_ids],
    )


def events_about(db, patient_id, *, limit=200):
    """Events concerning a patient's diary by someone else, newest first, with the actor's name.

    ``limit=None``: all of them.
    """
    return list(db.query(
        """
        SELECT a.at, a.action, a.detail, a.actor_id,
               coalesce(u.display_name, 'A deleted account') AS actor, u.role AS actor_role
        FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
        WHERE a.patient_id = ? AND (a.actor_id IS NULL OR a.actor_id != a.patient_id)
        ORDER BY a.at DESC, a.id DESC LIMIT ?
        """,
        [patient_id, -1 if limit is None else limit],
    ))


def count_recent(db, actor_id, action, since):
    """How many ``action`` events ``actor_id`` caused since the UTC time ``since``."""
    return db.execute(
        "SELECT COUNT(*) FROM audit_log WHERE actor_id = ? AND action = ? AND at >= ?",
        [actor_id, action, since],
    ).fetchone()[0]


def events_by(db, actor_id, *, prefix="auth."):
    """The user's own account events (logins, logouts, password changes), oldest first."""
    return list(db.query(
        "SELECT at, action, detail FROM audit_log WHERE actor_id = ? AND action LIKE ? ORDER BY at, id",
        [actor_id, prefix + "%"],
    ))
