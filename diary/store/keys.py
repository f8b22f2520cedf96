"""Every account's data key, wrapped by the master key, in the key store: a small SQLite file of
its own (``KEY_STORE``), attached to each connection as the schema ``keys``.

The keys live outside the database so that destroying one is final: a backup of the database, its
WAL or a replica from before an account's deletion still holds that account's sealed words, but
no longer any key that opens them. (The key store is replicated too, always restored at its
latest state: docs/OPERATIONS.md.)
"""
import os

from sqlite_utils import Database

from ..db import write_transaction
from ..security.fields import DataKey, MasterKeys, Unreadable, new_key
from ..timeutil import utc_now

SCHEMA = "keys"


class NoKeyStore(Exception):
    """The connection has no key store attached or no master key (it wasn't opened by db.get_db)."""


def attach(db: Database, path: str, master_keys: MasterKeys) -> None:
    """Attach the key store at ``path`` as ``keys`` (creating it: mode 0600, WAL) and remember the
    master keys on the connection. Call once per connection, outside a transaction."""
    if path != ":memory:" and not os.path.exists(path):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # keys: readable by the app's user only
    db.execute(f"ATTACH DATABASE ? AS {SCHEMA}", [path])
    db.execute(f"PRAGMA {SCHEMA}.journal_mode = WAL")
    db.execute(f"PRAGMA {SCHEMA}.synchronous = FULL")
    db.execute(
        f"CREATE TABLE IF NOT EXISTS {SCHEMA}.data_keys (user_id INTEGER PRIMARY KEY, wrapped BLOB NOT NULL,"
        " master_id TEXT NOT NULL, created_at TEXT NOT NULL)"
    )
    setattr(db, "master_keys", master_keys)


def _master_keys(db: Database) -> MasterKeys:
    keys = getattr(db, "master_keys", None)
    if keys is None:
        raise NoKeyStore("this connection has no key store: open it with diary.db.get_db")
    return keys


class MissingKey:
    """What an account without a data key reads with: nothing sealed opens (its key was destroyed
    with the account, or this key store isn't the database's own)."""

    def __init__(self, user_id: int) -> None:
        self.user_id = user_id

    def open(self, column: str, stored: str | None) -> str:
        if not stored:
            return ""
        raise Unreadable(f"account {self.user_id} has no data key: its words can't be read")

    def seal(self, column: str, text: str) -> str:
        raise Unreadable(f"account {self.user_id} has no data key")

    def blind_index(self, normalised: str) -> str:
        raise Unreadable(f"account {self.user_id} has no data key")


def reader(db: Database, user_id: int) -> DataKey | MissingKey:
    """The account's key for reading: its DataKey, or a MissingKey (nothing sealed opens)."""
    row = db.execute(f"SELECT wrapped, master_id FROM {SCHEMA}.data_keys WHERE user_id = ?", [user_id]).fetchone()
    if row is None:
        _master_keys(db)  # a connection without a key store says so, rather than reading as if keyless
        return MissingKey(user_id)
    return DataKey(user_id, _master_keys(db).unwrap(row[0], row[1], user_id))


# Does the account hold anything sealed? (an empty field stays empty: nothing to open)
_HAS_SEALED = """
    SELECT EXISTS (SELECT 1 FROM entries WHERE user_id = :user AND note != '')
        OR EXISTS (SELECT 1 FROM triggers WHERE user_id = :user)
        OR EXISTS (SELECT 1 FROM treatment_sessions WHERE user_id = :user AND reflection != '')
        OR EXISTS (SELECT 1 FROM safety_plans WHERE user_id = :user)
        OR EXISTS (SELECT 1 FROM users WHERE id = :user AND mfa_secret IS NOT NULL)
"""


def _create(db: Database, user_id: int) -> DataKey:
    raw = new_key()
    wrapped, master_id = _master_keys(db).wrap(raw, user_id)
    db.execute(f"INSERT INTO {SCHEMA}.data_keys (user_id, wrapped, master_id, created_at) VALUES (?, ?, ?, ?)",
               [user_id, wrapped, master_id, utc_now()])
    return DataKey(user_id, raw)


def writer(db: Database, user_id: int) -> DataKey:
    """The account's key for writing (inside the caller's transaction).

    Accounts get their key when they are made (``ensure``, committed on its own). One without a key
    gets it here only while it holds nothing sealed; one that holds sealed words and no key has lost
    its key (a key store that isn't this database's, or none): making a new key would seal new words
    under it while the old ones wait for the right key store, so this refuses (Unreadable)."""
    key = reader(db, user_id)
    if isinstance(key, DataKey):
        return key
    if db.execute(_HAS_SEALED, {"user": user_id}).fetchone()[0]:
        raise Unreadable(f"account {user_id} holds sealed words but the key store has no key for it")
    return _create(db, user_id)


def ensure(db: Database, user_id: int, *, sealed: bool = True) -> None:
    """Give the account its data key now, in a transaction of its own, before anything is sealed
    with it. (SQLite commits the database and the attached key store one after the other: a key
    made in the same transaction as the first words it seals could be lost in a crash between the
    two, and the words with it.) ``sealed``: the database's words are sealed already (migration
    m020 applied); then an account that holds some and has no key has lost it, and gets none."""
    with write_transaction(db):
        if isinstance(reader(db, user_id), MissingKey) and not (
                sealed and db.execute(_HAS_SEALED, {"user": user_id}).fetchone()[0]):
            _create(db, user_id)


def ensure_all(db: Database, *, sealed: bool = True) -> int:
    """``ensure`` every live account (init-db, before and after migrations); how many got a key."""
    missing = [row[0] for row in db.execute(
        f"SELECT id FROM users WHERE deleted_at IS NULL AND id NOT IN (SELECT user_id FROM {SCHEMA}.data_keys)")]
    for user_id in missing:
        ensure(db, user_id, sealed=sealed)
    return len(missing)


def missing_keys(db: Database) -> int:
    """How many live accounts hold sealed words but have no key here (a lost or wrong key store)."""
    return sum(db.execute(_HAS_SEALED, {"user": row[0]}).fetchone()[0] for row in db.execute(
        f"SELECT id FROM users WHERE deleted_at IS NULL AND id NOT IN (SELECT user_id FROM {SCHEMA}.data_keys)"
    ).fetchall())


def destroy_deleted(db: Database) -> int:
    """Destroy the keys of deleted accounts that still have one (a deletion whose key store commit
    was lost in a crash: SQLite commits the two files one after the other)."""
    with write_transaction(db):
        return db.execute(f"DELETE FROM {SCHEMA}.data_keys WHERE user_id IN"
                          " (SELECT id FROM users WHERE deleted_at IS NOT NULL)").rowcount


def destroy(db: Database, user_id: int) -> bool:
    """Delete the account's data key (inside the deletion's transaction). Every sealed copy of the
    account's words, anywhere, becomes unreadable. secure_delete (set on the connection, and so on
    the attached key store) zeroes the freed bytes in the file."""
    return db.execute(f"DELETE FROM {SCHEMA}.data_keys WHERE user_id = ?", [user_id]).rowcount == 1


def forget_old_pages(db: Database) -> bool:
    """Copy the key store's WAL back into its file and cut the log, so a destroyed key is gone from
    the WAL too; True when the log was cut. Under Litestream it does nothing (as db.forget_old_pages,
    which says why): Litestream checkpoints the file once it has shipped the log."""
    if getattr(db, "replicated", False):
        return False
    busy, _, _ = db.execute(f"PRAGMA {SCHEMA}.wal_checkpoint(TRUNCATE)").fetchone()
    return busy == 0


def rewrap_all(db: Database, master_keys: MasterKeys) -> int:
    """Wrap every data key with the current master key of ``master_keys`` (unwrapping with any of
    them); the sealed rows are not touched. Returns how many keys were re-wrapped. Call inside a
    write transaction."""
    count = 0
    for user_id, wrapped, master_id in db.execute(
            f"SELECT user_id, wrapped, master_id FROM {SCHEMA}.data_keys").fetchall():
        raw = master_keys.unwrap(wrapped, master_id, user_id)
        new_wrapped, new_id = master_keys.wrap(raw, user_id)
        db.execute(f"UPDATE {SCHEMA}.data_keys SET wrapped = ?, master_id = ? WHERE user_id = ?",
                   [new_wrapped, new_id, user_id])
        count += 1
    return count


def newest_sealed_note(db: Database) -> tuple[int, str] | None:
    """``(user_id, entry_id)`` of the newest check-in with a note whose account has a data key here
    (the restore drill opens it), or None."""
    row = db.execute(
        f"SELECT e.user_id, e.id FROM entries e JOIN {SCHEMA}.data_keys k ON k.user_id = e.user_id"
        " WHERE e.note != '' ORDER BY e.created_at DESC, e.id DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else None


def master_key_ids(db: Database) -> dict[str, int]:
    """How many data keys each master key (by id) wraps."""
    return dict(db.execute(f"SELECT master_id, count(*) FROM {SCHEMA}.data_keys GROUP BY master_id").fetchall())


Key = DataKey | MissingKey
