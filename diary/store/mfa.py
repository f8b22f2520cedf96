"""Two-factor state of an account: its TOTP secret, the last accepted step, recovery-code hashes."""
from collections.abc import Iterable
from typing import TypedDict

from sqlite_utils import Database

from ..db import write_transaction
from ..timeutil import utc_now
from . import keys as keys_store

# Sealed with the account's data key (store/keys.py), like a patient's words.
SECRET = "users.mfa_secret"


class Secret(TypedDict):
    """An enrolled account's TOTP secret (``get_secret``)."""
    secret: str
    last_step: int | None
    enabled_at: str | None


def get_secret(db: Database, user_id: int) -> Secret | None:
    """``{"secret", "last_step", "enabled_at"}`` for an enrolled live account, else None."""
    row = db.execute(
        "SELECT mfa_secret, mfa_last_step, mfa_enabled_at FROM users"
        " WHERE id = ? AND deleted_at IS NULL AND mfa_secret IS NOT NULL", [user_id]).fetchone()
    if row is None:
        return None
    return {"secret": keys_store.reader(db, user_id).open(SECRET, row[0]), "last_step": row[1], "enabled_at": row[2]}


def replace_secret(db: Database, user_id: int, stored: str) -> None:
    """Keep ``stored`` (the same secret, sealed) in place of the account's TOTP secret."""
    with write_transaction(db):
        db.execute("UPDATE users SET mfa_secret = ? WHERE id = ? AND mfa_secret IS NOT NULL",
                   [keys_store.writer(db, user_id).seal(SECRET, stored), user_id])


def claim_step(db: Database, user_id: int, step: int) -> bool:
    """Record ``step`` as the last accepted TOTP step, unless it (or a later one) already was.

    One conditional UPDATE, so two requests racing with the same code can't both win.
    Returns True when this call claimed it.
    """
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE users SET mfa_last_step = ? WHERE id = ? AND mfa_secret IS NOT NULL"
            " AND (mfa_last_step IS NULL OR mfa_last_step < ?)", [step, user_id, step])
    return cursor.rowcount == 1


def unused_recovery_codes(db: Database, user_id: int) -> list[tuple[int, str]]:
    """``[(id, code_hash)]``: the account's recovery codes not used yet (at most 10)."""
    return [tuple(row) for row in db.execute(
        "SELECT id, code_hash FROM recovery_codes WHERE user_id = ? AND used_at IS NULL ORDER BY id",
        [user_id]).fetchall()]


def use_recovery_code(db: Database, code_id: int) -> bool:
    """Mark recovery code ``code_id`` used; True when this call did (it was still unused).

    One conditional UPDATE, so two requests racing with the same code can't both use it.
    """
    with write_transaction(db):
        cursor = db.execute("UPDATE recovery_codes SET used_at = ? WHERE id = ? AND used_at IS NULL",
                            [utc_now(), code_id])
    return cursor.rowcount == 1


def recovery_codes_left(db: Database, user_id: int) -> int:
    return db.execute("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL",
                      [user_id]).fetchone()[0]


def replace_recovery_codes(db: Database, user_id: int, code_hashes: Iterable[str]) -> None:
    """The account's recovery codes become ``code_hashes`` (the old ones stop working)."""
    with write_transaction(db):
        db.execute("DELETE FROM recovery_codes WHERE user_id = ?", [user_id])
        db.conn.executemany("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)",
                            [(user_id, code_hash) for code_hash in code_hashes])


def enable(db: Database, user_id: int, secret: str, last_step: int | None, code_hashes: Iterable[str]) -> None:
    """Store a confirmed secret (``last_step``: the step of the code that confirmed it) and a new
    set of recovery codes, replacing any earlier enrolment."""
    with write_transaction(db):
        db.execute("UPDATE users SET mfa_secret = ?, mfa_last_step = ?, mfa_enabled_at = ? WHERE id = ?",
                   [keys_store.writer(db, user_id).seal(SECRET, secret), last_step, utc_now(), user_id])
        replace_recovery_codes(db, user_id, code_hashes)


def disable(db: Database, user_id: int) -> None:
    """Forget the secret and every recovery code."""
    with write_transaction(db):
        db.execute("UPDATE users SET mfa_secret = NULL, mfa_last_step = NULL, mfa_enabled_at = NULL"
                   " WHERE id = ?", [user_id])
        db.execute("DELETE FROM recovery_codes WHERE user_id = ?", [user_id])
