"""Sharing: share codes a patient gives to a provider, and the live shares they create."""
import secrets
import sqlite3
from typing import TypedDict, cast

from sqlite_utils import Database

from ..db import write_transaction
from ..timeutil import utc_after, utc_now

# No 0/O, 1/I/L: a code read aloud or copied by hand comes out right. 16 characters, read in
# four groups of four: 31^16 ≈ 7 × 10^23 codes, 79 bits, so guessing one is hopeless even before
# the rate limits (services/limits.py). Codes made before this (8 characters) still redeem.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16
GROUP = 4
INVITE_HOURS = 72


class NewInvite(TypedDict):
    """A share code just made (``create_invite``)."""
    code: str
    scope: str
    expires_at: str


class PendingInvite(TypedDict):
    """A share code not yet used, cancelled or expired."""
    code: str
    scope: str
    created_at: str
    expires_at: str


class InviteRecord(TypedDict):
    """A share code the patient made and what became of it (``invite_history``)."""
    code: str
    scope: str
    created_at: str
    expires_at: str
    redeemed_at: str | None
    cancelled_at: str | None


class SharingPatient(TypedDict):
    """The patient whose code a provider redeemed."""
    id: int
    display_name: str


class Share(TypedDict):
    """A live share's scope and since when (``live_share``)."""
    scope: str
    since: str


class CareTeamMember(TypedDict):
    """A provider who can see the patient's diary now, and how."""
    id: int
    display_name: str
    email: str
    since: str
    scope: str


class ShareRecord(TypedDict):
    """A share the patient made, live or revoked (``share_history``)."""
    provider: str
    email: str
    scope: str
    since: str
    revoked_at: str | None


def normalize_code(text: str) -> str:
    """'abcd-efgh', ' ABCD EFGH ' -> 'ABCDEFGH'."""
    return "".join(text.split()).replace("-", "").upper()


def format_code(code: str) -> str:
    """'ABCDEFGHJKMNPQRS' -> 'ABCD-EFGH-JKMN-PQRS'."""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def create_invite(db: Database, patient_id: int, scope: str) -> NewInvite:
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


def pending_invites(db: Database, patient_id: int) -> list[PendingInvite]:
    """Codes not yet used, cancelled or expired, newest first."""
    return cast(list[PendingInvite], list(db.query(
        "SELECT code, scope, created_at, expires_at FROM invites WHERE patient_id = ?"
        " AND redeemed_at IS NULL AND cancelled_at IS NULL AND expires_at > ? ORDER BY created_at DESC",
        [patient_id, utc_now()],
    )))


def cancel_invite(db: Database, patient_id: int, code: str) -> bool:
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE invites SET cancelled_at = ? WHERE patient_id = ? AND code = ?"
            " AND redeemed_at IS NULL AND cancelled_at IS NULL",
            [utc_now(), patient_id, normalize_code(code)],
        )
    return cursor.rowcount == 1


class InviteRefused(Exception):
    """The code can't be redeemed; ``reason`` is unknown, expired, used or cancelled."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def redeem_invite(db: Database, provider_id: int, code: str) -> SharingPatient:
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


def live_share(db: Database, provider_id: int, patient_id: int) -> Share | None:
    """The share that lets ``provider_id`` see ``patient_id`` now, or None."""
    row = db.execute(
        "SELECT scope, created_at FROM shares WHERE provider_id = ? AND patient_id = ? AND revoked_at IS NULL",
        [provider_id, patient_id],
    ).fetchone()
    return {"scope": row[0], "since": row[1]} if row else None


def care_team(db: Database, patient_id: int) -> list[CareTeamMember]:
    """Providers who can see the patient's diary now."""
    return cast(list[CareTeamMember], list(db.query(
        "SELECT u.id, u.display_name, u.email, s.created_at AS since, s.scope FROM shares s"
        " JOIN users u ON u.id = s.provider_id WHERE s.patient_id = ? AND s.revoked_at IS NULL"
        " ORDER BY s.created_at",
        [patient_id],
    )))


def set_scope(db: Database, patient_id: int, provider_id: int, scope: str) -> bool:
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE shares SET scope = ? WHERE patient_id = ? AND provider_id = ? AND revoked_at IS NULL",
            [scope, patient_id, provider_id],
        )
    return cursor.rowcount == 1


def revoke(db: Database, patient_id: int, provider_id: int) -> bool:
    """End the share now; False if there was none.

    What it moves besides ``shares`` (SQL trigger, diary/migrations.py): the patient's
    ``dashboard_lines`` row is dropped (m013).
    """
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE shares SET revoked_at = ? WHERE patient_id = ? AND provider_id = ? AND revoked_at IS NULL",
            [utc_now(), patient_id, provider_id],
        )
    return cursor.rowcount == 1


def share_history(db: Database, patient_id: int) -> list[ShareRecord]:
    """Every share the patient ever made, live or revoked, oldest first."""
    return cast(list[ShareRecord], list(db.query(
        "SELECT u.display_name AS provider, u.email, s.scope, s.created_at AS since, s.revoked_at"
        " FROM shares s JOIN users u ON u.id = s.provider_id WHERE s.patient_id = ? ORDER BY s.created_at",
        [patient_id],
    )))


def invite_history(db: Database, patient_id: int) -> list[InviteRecord]:
    """Every share code the patient created and what became of it."""
    return cast(list[InviteRecord], list(db.query(
        "SELECT code, scope, created_at, expires_at, redeemed_at, cancelled_at FROM invites"
        " WHERE patient_id = ? ORDER BY created_at",
        [patient_id],
    )))
