"""Sharing: share codes a patient gives to a provider, and the live shares they create."""
import secrets
import sqlite3

from ..db import write_transaction
from ..timeutil import utc_after, utc_now

# No 0/O, 1/I/L: a code read aloud or copied by hand comes out right. 16 characters, read in
# four groups of four: 31^16 ≈ 7 × 10^23 codes, 79 bits, so guessing one is hopeless even before
# the rate limits (services/limits.py). Codes made before this (8 characters) still redeem.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16
GROUP = 4
INVITE_HOURS = 72


def normalize_code(text):
    """'abcd-efgh', ' ABCD EFGH ' -> 'ABCDEFGH'."""
    return "".join(text.split()).replace("-", "").upper()


def format_code(code):
    """'ABCDEFGHJKMNPQRS' -> 'ABCD-EFGH-JKMN-PQRS'."""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def create_invite(db, patient_id, scope):
    """A new single-use code, valid for 72 hours."""
    expires_at = utc_after(hours=INVITE_HOURS)
    with write_transaction(db):
        while True:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            try:
                db.execute(
                    "INSERT INTO invites (code, patient_id, scope, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                    [code, patient_id, scope, utc_now(), expires_at],
                )
                break
            except sqlite3.IntegrityError:  # a collision: astronomically rare, but never a 500
                continue
    return {"code": code, "scope": scope, "expires_at": expires_at}


def pending_invites(db, patient_id):
    """Codes not yet used, cancelled or expired, newest first."""
    return list(db.query(
        "SELECT code, scope, created_at, expires_at FROM invites WHERE patient_id = ?"
        " AND redeemed_at IS NULL AND cancelled_at IS NULL AND expires_at > ? ORDER BY created_at DESC",
        [patient_id, utc_now()],
    ))


def cancel_invite(db, patient_id, code):
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE invites SET cancelled_at = ? WHERE patient_id = ? AND code = ?"
            " AND redeemed_at IS NULL AND cancelled_at IS NULL",
            [utc_now(), patient_id, normalize_code(code)],
        )
    return cursor.rowcount == 1


class InviteRefused(Exception):
    """The code can't be redeemed; ``reason`` is unknown, expired, used or cancelled."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def redeem_invite(db, provider_id, code):
    """Use a code: the patient now shares with ``provider_id``. Returns the patient's id and name."""
    with write_transaction(db):
        row = db.execute(
            "SELECT i.patient_id, i.scope, i.expires_at, i.redeemed_at, i.cancelled_at, u.display_name"
            " FROM invites i JOIN users u ON u.id = i.patient_id WHERE i.code = ?",
            [normalize_code(code)],
        ).fetchone()
        if row is None:
            raise InviteRefused("unknown")
        patient_id, scope, expires_at, redeemed_at, cancelled_at, name = row
        if redeemed_at:
            raise InviteRefused("used")
        if cancelled_at:
            raise InviteRefused("cancelled")
        if expires_at <= utc_now():
            raise InviteRefused("expired")
        now = utc_now()
        db.execute("UPDATE invites SET redeemed_by = ?, redeemed_at = ? WHERE code = ?",
                   [provider_id, now, normalize_code(code)])
        # Already sharing with this provider: the new code's scope replaces the old one.
        db.execute(
            "INSERT INTO shares (patient_id, provider_id, scope, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (patient_id, provider_id) WHERE revoked_at IS NULL DO UPDATE SET scope = excluded.scope",
            [patient_id, provider_id, scope, now],
        )
    return {"id": patient_id, "display_name": name}


def live_share(db, provider_id, patient_id):
    """The share that lets ``provider_id`` see ``patient_id`` now, or None."""
    row = db.execute(
        "SELECT scope, created_at FROM shares WHERE provider_id = ? AND patient_id = ? AND revoked_at IS NULL",
        [provider_id, patient_id],
    ).fetchone()
    return {"scope": row[0], "since": row[1]} if row else None


def care_team(db, patient_id):
    """Providers who can see the patient's diary now."""
    return list(db.query(
        "SELECT u.id, u.display_name, u.email, s.created_at AS since, s.scope FROM shares s"
        " JOIN users u ON u.id = s.provider_id WHERE s.patient_id = ? AND s.revoked_at IS NULL"
        " ORDER BY s.created_at",
        [patient_id],
    ))


def set_scope(db, patient_id, provider_id, scope):
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE shares SET scope = ? WHERE patient_id = ? AND provider_id = ? AND revoked_at IS NULL",
            [scope, patient_id, provider_id],
        )
    return cursor.rowcount == 1


def revoke(db, patient_id, provider_id):
    """End the share now; False if there was none."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE shares SET revoked_at = ? WHERE patient_id = ? AND provider_id = ? AND revoked_at IS NULL",
            [utc_now(), patient_id, provider_id],
        )
    return cursor.rowcount == 1


def share_history(db, patient_id):
    """Every share the patient ever made, live or revoked, oldest first."""
    return list(db.query(
        "SELECT u.display_name AS provider, u.email, s.scope, s.created_at AS since, s.revoked_at"
        " FROM shares s JOIN users u ON u.id = s.provider_id WHERE s.patient_id = ? ORDER BY s.created_at",
        [patient_id],
    ))


def invite_history(db, patient_id):
    """Every share code the patient created and what became of it."""
    return list(db.query(
        "SELECT code, scope, created_at, expires_at, redeemed_at, cancelled_at FROM invites"
        " WHERE patient_id = ? ORDER BY created_at",
        [patient_id],
    ))
