"""Links that reset a forgotten password: one per request, used once, until they expire. Only each
token's SHA-256 is stored."""
import hashlib

from sqlite_utils import Database

from ..db import write_transaction
from ..timeutil import utc_now


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(db: Database, user_id: int, token: str, expires_at: str) -> None:
    with write_transaction(db):
        db.execute("INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
                   [user_id, token_hash(token), utc_now(), expires_at])


def usable(db: Database, token: str) -> int | None:
    """The live account ``token`` may reset (unused, unexpired), or None."""
    row = db.execute(
        "SELECT r.user_id FROM password_resets r JOIN users u ON u.id = r.user_id"
        " WHERE r.token_hash = ? AND r.used_at IS NULL AND r.expires_at > ? AND u.deleted_at IS NULL",
        [token_hash(token), utc_now()]).fetchone()
    return int(row[0]) if row else None


def use(db: Database, token: str) -> int | None:
    """Use ``token`` up: the account it resets, or None when it is unknown, used or expired. One
    conditional UPDATE, so two requests can't both use it. Every other link of that account goes
    too (the password they would replace is gone)."""
    with write_transaction(db):
        user_id = usable(db, token)
        if user_id is None:
            return None
        db.execute("UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL",
                   [utc_now(), user_id])
    return user_id
