"""Invitations for clinicians' accounts (DIARY_PROVIDER_SIGNUP=invite): made by an administrator for
one e-mail, used once, until they expire. Only each token's SHA-256 is stored."""
import hashlib

from sqlite_utils import Database

from ..db import write_transaction
from ..timeutil import utc_now


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(db: Database, token: str, email: str, expires_at: str) -> None:
    """Store an invitation for ``email`` (already normalised), valid until ``expires_at``."""
    with write_transaction(db):
        db.execute("INSERT INTO provider_invitations (token_hash, email, created_at, expires_at) VALUES (?, ?, ?, ?)",
                   [token_hash(token), email, utc_now(), expires_at])


def use(db: Database, token: str, email: str, user_id: int) -> bool:
    """Mark the invitation ``token`` used by ``user_id``, if it is for ``email``, unused and not
    expired: True when this call did (one conditional UPDATE, so two registrations can't share it)."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE provider_invitations SET used_at = ?, used_by = ?"
            " WHERE token_hash = ? AND email = ? AND used_at IS NULL AND expires_at > ?",
            [utc_now(), user_id, token_hash(token), email, utc_now()])
    return cursor.rowcount == 1


def usable(db: Database, token: str, email: str) -> bool:
    """Whether ``token`` is an unused, unexpired invitation for ``email``."""
    return db.execute(
        "SELECT 1 FROM provider_invitations WHERE token_hash = ? AND email = ? AND used_at IS NULL AND expires_at > ?",
        [token_hash(token), email, utc_now()]).fetchone() is not None
