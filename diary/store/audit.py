"""The append-only audit log: who did what to whose diary, and when (UTC)."""
from collections.abc import Iterable
from typing import TypedDict, cast

from sqlite_utils import Database

from ..db import write_transaction
from ..timeutil import utc_now
from .audit_chain import first_break, link


class AccessEvent(TypedDict):
    """An event about a patient's diary by someone else (``events_about``)."""
    at: str
    action: str
    detail: str
    actor_id: int | None
    actor: str
    actor_email: str | None  # the account's e-mail: a stable identity the name can't fake (None once deleted)
    actor_role: str | None


class AccountEvent(TypedDict):
    """One of a user's own account events (``events_by``)."""
    at: str
    action: str
    detail: str


def record(db: Database, action: str, *, actor_id: int | None = None, patient_id: int | None = None,
           detail: str = "") -> None:
    """Append one event, chained to the one before. Never pass passwords or diary text in ``detail``."""
    record_many(db, action, actor_id=actor_id, patient_ids=[patient_id], detail=detail)


def record_many(db: Database, action: str, *, actor_id: int | None, patient_ids: Iterable[int | None],
                detail: str = "") -> None:
    """Append one event per patient (same time, actor and action), each chained to the one before.

    In one write transaction, so two workers can't both chain onto the same previous row.
    """
    now = utc_now()
    with write_transaction(db):
        row = db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        previous = row[0] if row else ""
        # The app's audit key (db.get_db puts it on the connection); a connection opened without
        # the app (a benchmark's seed) writes plain rows, which verify-audit refuses after keyed ones.
        hex_key: str | None = getattr(db, "audit_key", None)
        key = bytes.fromhex(hex_key) if hex_key else None
        # Someone else's view of a patient's diary keeps the viewer's name as it is now, so the
        # patient's access log shows who it was then, even after a rename or an account deletion.
        # Account events (no patient, or the patient themself) keep no name: deleting an account
        # must leave no name of its owner behind.
        actor = db.execute("SELECT display_name FROM users WHERE id = ?", [actor_id]).fetchone()
        rows = []
        for patient_id in patient_ids:
            actor_name = actor[0] if actor and patient_id not in (None, actor_id) else None
            previous = link(previous, now, actor_id, patient_id, action, detail, actor_name, key)
            rows.append((now, actor_id, actor_name, patient_id, action, detail, int(key is not None), previous))
        # One prepared statement for them all: a dashboard of 500 patients logs 500 rows.
        db.conn.executemany(
            "INSERT INTO audit_log (at, actor_id, actor_name, patient_id, action, detail, keyed, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


class Head(TypedDict):
    """The chain's newest row: its id and hash, and how many rows there are up to it."""
    id: int
    count: int
    hash: str


def head(db: Database) -> Head | None:
    """The newest row of the log (None while it is empty)."""
    row = db.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    return {"id": row[0], "hash": row[1], "count": count_through(db, row[0])}


def positions(db: Database) -> dict[int, tuple[int, str]]:
    """Every row's id -> (how many rows up to and including it, its hash): one read of the log,
    against which any number of anchored heads are checked."""
    rows = db.execute("SELECT id, hash FROM audit_log ORDER BY id").fetchall()
    return {row_id: (position, digest) for position, (row_id, digest) in enumerate(rows, start=1)}


def count_through(db: Database, row_id: int) -> int:
    """How many rows the log holds up to and including ``row_id``."""
    return int(db.execute("SELECT count(*) FROM audit_log WHERE id <= ?", [row_id]).fetchone()[0])


def verify(db: Database, key: bytes | None = None) -> tuple[int, int | None]:
    """``(rows checked, id of the first broken link or None)`` over the whole log; ``key``: the
    app's audit key (keyed rows can't be checked without it)."""
    rows = db.execute(
        "SELECT id, at, actor_id, patient_id, action, detail, actor_name, keyed, hash FROM audit_log ORDER BY id"
    ).fetchall()
    return len(rows), first_break(rows, key)


def events_about(db: Database, patient_id: int, *, limit: int | None = 200) -> list[AccessEvent]:
    """Events concerning a patient's diary by someone else, newest first, with the actor's name
    then and their account's e-mail (which they can't rename).

    ``limit=None``: all of them.
    """
    return cast(list[AccessEvent], list(db.query(
        """
        SELECT a.at, a.action, a.detail, a.actor_id,
               coalesce(a.actor_name, u.display_name, 'A deleted account') AS actor,
               CASE WHEN u.deleted_at IS NULL THEN u.email END AS actor_email, u.role AS actor_role
        FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
        WHERE a.patient_id = ? AND (a.actor_id IS NULL OR a.actor_id != a.patient_id)
        ORDER BY a.at DESC, a.id DESC LIMIT ?
        """,
        [patient_id, -1 if limit is None else limit],
    )))


def events_by(db: Database, actor_id: int, *, prefix: str = "auth.") -> list[AccountEvent]:
    """The user's own account events (logins, logouts, password changes), oldest first."""
    return cast(list[AccountEvent], list(db.query(
        "SELECT at, action, detail FROM audit_log WHERE actor_id = ? AND action LIKE ? ORDER BY at, id",
        [actor_id, prefix + "%"],
    )))
