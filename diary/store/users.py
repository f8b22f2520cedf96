"""Accounts."""
import sqlite3
from collections.abc import Sequence
from typing import Any, TypedDict, cast

from sqlite_utils import Database

from ..db import write_transaction
from ..timeutil import utc_now
from . import NameTaken
from . import keys as keys_store

# mfa_enabled_at says whether the account has two-factor on; the secret itself is read only by
# store/mfa.py, so it never rides along in every row.
_COLUMNS = ("id, email, password_hash, role, display_name, timezone, created_at, session_version, mfa_enabled_at,"
            " language")


_NAMES = tuple(_COLUMNS.split(", "))


class User(TypedDict):
    """An account's row (``_COLUMNS``)."""
    id: int
    email: str
    password_hash: str
    role: str
    display_name: str
    timezone: str
    created_at: str
    session_version: int
    mfa_enabled_at: str | None
    language: str           # vocabulary.LANGUAGES


def _one(db: Database, sql: str, params: Sequence[Any]) -> User | None:
    # Read on every logged-in request (the session-version check): plain execute, as db.query
    # wraps each statement in a SAVEPOINT pair of its own (10.5 against 6.6 µs).
    row = db.execute(sql, params).fetchone()
    return cast(User, dict(zip(_NAMES, row))) if row else None


def normalize_email(email: str) -> str:
    return email.strip().lower()


def create_user(db: Database, *, email: str, password_hash: str, role: str, display_name: str, timezone: str,
                language: str = "en") -> User:
    """Insert an account and return its row; raises NameTaken if the email is in use."""
    try:
        with write_transaction(db):
            cursor = db.execute(
                "INSERT INTO users (email, password_hash, role, display_name, timezone, created_at, language)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [normalize_email(email), password_hash, role, display_name, timezone, utc_now(), language],
            )
    except sqlite3.IntegrityError as error:
        raise NameTaken(email) from error
    # Its data key, committed before anything is sealed with it (keys_store.ensure says why).
    keys_store.ensure(db, cast(int, cursor.lastrowid))
    # An INSERT's lastrowid, and the account just made: neither is None.
    return cast(User, get_user(db, cast(int, cursor.lastrowid)))


def get_user(db: Database, user_id: int) -> User | None:
    """A live account by id (deleted accounts are tombstones, and answer None)."""
    return _one(db, f"SELECT {_COLUMNS} FROM users WHERE id = ? AND deleted_at IS NULL", [user_id])


def get_user_by_email(db: Database, email: str) -> User | None:
    return _one(db, f"SELECT {_COLUMNS} FROM users WHERE email = ?", [normalize_email(email)])


def end_logins_of(db: Database, user_id: int) -> int:
    """Log the user out everywhere: every login cookie issued so far stops working (the users row's
    ``session_version`` moves on); returns the new version."""
    with write_transaction(db):
        db.execute("UPDATE users SET session_version = session_version + 1 WHERE id = ?", [user_id])
        return db.execute("SELECT session_version FROM users WHERE id = ?", [user_id]).fetchone()[0]


def end_all_logins(db: Database) -> int:
    """Log every live account out everywhere (``session_version`` moves on); returns how many accounts."""
    with write_transaction(db):
        cursor = db.execute("UPDATE users SET session_version = session_version + 1 WHERE deleted_at IS NULL")
    return cursor.rowcount


def set_password_hash(db: Database, user_id: int, password_hash: str, *, end_logins: bool = True) -> int | None:
    """Store a new hash; by default also ends every login of the account (a password change)."""
    with write_transaction(db):
        db.execute("UPDATE users SET password_hash = ? WHERE id = ?", [password_hash, user_id])
        if end_logins:
            return end_logins_of(db, user_id)
    return None


def update_profile(db: Database, user_id: int, *, display_name: str, timezone: str, language: str) -> User | None:
    with write_transaction(db):
        db.execute(
            "UPDATE users SET display_name = ?, timezone = ?, language = ? WHERE id = ?",
            [display_name, timezone, language, user_id],
        )
    return get_user(db, user_id)


def set_language(db: Database, user_id: int, language: str) -> None:
    with write_transaction(db):
        db.execute("UPDATE users SET language = ? WHERE id = ?", [language, user_id])


def delete_account(db: Database, user_id: int) -> bool:
    """Delete everything the user stored, in one transaction; the users row becomes a tombstone.

    Returns False if there is no such (live) account. The audit log is kept (docs/SECURITY.md).
    """
    with write_transaction(db):
        if get_user(db, user_id) is None:
            return False
        db.execute("DELETE FROM entries WHERE user_id = ?", [user_id])  # entry_triggers cascade
        db.execute("DELETE FROM triggers WHERE user_id = ?", [user_id])
        db.execute("DELETE FROM treatment_sessions WHERE user_id = ?", [user_id])
        for table in ("assessments", "safety_plans", "dismissals"):
            db.execute(f"DELETE FROM {table} WHERE user_id = ?", [user_id])
        db.execute("DELETE FROM safety_events WHERE patient_id = ?", [user_id])
        db.execute("DELETE FROM safety_acknowledgements WHERE patient_id = ? OR provider_id = ?", [user_id, user_id])
        db.execute("DELETE FROM shares WHERE patient_id = ? OR provider_id = ?", [user_id, user_id])
        db.execute("DELETE FROM invites WHERE patient_id = ?", [user_id])
        db.execute("UPDATE invites SET redeemed_by = NULL WHERE redeemed_by = ?", [user_id])
        db.execute("DELETE FROM recovery_codes WHERE user_id = ?", [user_id])
        db.execute("DELETE FROM questionnaire_schedules WHERE patient_id = ? OR set_by = ?", [user_id, user_id])
        db.execute("DELETE FROM push_subscriptions WHERE user_id = ?", [user_id])  # reminders_sent cascade
        # Last: the deletions above moved the diary's version on (and dropped its dashboard line).
        db.execute("DELETE FROM dashboard_lines WHERE patient_id = ?", [user_id])
        db.execute("DELETE FROM diary_versions WHERE user_id = ?", [user_id])
        # Last of all, the account's data key: any copy of its words, anywhere, is unreadable now.
        keys_store.destroy(db, user_id)
        db.execute(
            "UPDATE users SET email = ?, display_name = 'Deleted account', password_hash = '', timezone = 'UTC',"
            " session_version = session_version + 1, mfa_secret = NULL, mfa_last_step = NULL,"
            " mfa_enabled_at = NULL, deleted_at = ? WHERE id = ?",
            [f"deleted-{user_id}@deleted.invalid", utc_now(), user_id],
        )
    return True


def card_dismissed_at(db: Database, user_id: int, card: str) -> str | None:
    """The date (the user's own) they last dismissed ``card`` on, or None."""
    row = db.execute("SELECT at FROM dismissals WHERE user_id = ? AND card = ?", [user_id, card]).fetchone()
    return row[0] if row else None


def dismiss_card(db: Database, user_id: int, card: str, on: str) -> None:
    """Remember that the user dismissed ``card`` on ``on`` (an ISO date in their time zone)."""
    with write_transaction(db):
        db.execute(
            "INSERT INTO dismissals (user_id, card, at) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id, card) DO UPDATE SET at = excluded.at",
            [user_id, card, on],
        )
