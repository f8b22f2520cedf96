"""The database connection: one per worker thread, opened lazily (after gunicorn forks)."""
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils
from flask import Flask, current_app
from sqlite_utils import Database

_local = threading.local()

BUSY_TIMEOUT_MS = 5000
# How long a thread waits for its process's write turn before going ahead anyway (SQLite's own
# lock, with its busy_timeout, still keeps writes apart).
WRITE_TURN_TIMEOUT = BUSY_TIMEOUT_MS / 1000

# One write turn per database file in this process (see write_transaction). A forked child starts
# with fresh ones: a lock copied while held would never be released in the child.
_write_turns: dict[str, threading.Lock] = {}
os.register_at_fork(after_in_child=_write_turns.clear)


def connect(path: str) -> Database:
    """Open ``path`` with the PRAGMAs health data needs.

    ``isolation_level=None`` hands transaction control to us (``write_transaction``)
    and to sqlite-utils' ``atomic()``, instead of the sqlite3 module's implicit BEGINs.
    """
    if path != ":memory:" and not os.path.exists(path):
        # Health data: readable by the app's own user only (SQLite gives -wal/-shm the same mode).
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")  # must run outside a transaction
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")  # deleted diary text doesn't linger in free pages
    db = sqlite_utils.Database(conn)
    # An attribute of our own (sqlite-utils' Database declares no such one): read back with getattr.
    setattr(db, "write_turn", _write_turns.setdefault(os.path.abspath(path), threading.Lock()))
    return db


# Under Litestream (DIARY_REPLICA_URL set: docs/OPERATIONS.md), Litestream copies the WAL and then
# checkpoints it itself. Litestream's documentation ("Tips & Caveats") asks an application to set a
# busy_timeout (5 s: BUSY_TIMEOUT_MS) and to disable or raise SQLite's automatic checkpoints, so the
# app doesn't race it. We raise the threshold from SQLite's 1,000 pages to 10,000 (about 40 MB of
# WAL): Litestream's own PASSIVE checkpoint comes at 1,000 pages (its min-checkpoint-page-count)
# and every minute, so the app's only fires when Litestream has stopped, and the WAL still can't
# grow without bound then.
LITESTREAM_AUTOCHECKPOINT_PAGES = 10_000


def under_litestream(db: Database) -> None:
    """Set ``db`` (and the files attached to it) up for a Litestream that replicates them."""
    db.execute(f"PRAGMA wal_autocheckpoint = {LITESTREAM_AUTOCHECKPOINT_PAGES}")
    # An attribute of our own, like write_turn: forget_old_pages reads it.
    setattr(db, "replicated", True)


def get_db() -> Database:
    """This thread's connection to the app's database (reused across requests)."""
    path = current_app.config["DATABASE"]
    connections = getattr(_local, "connections", None)
    if connections is None or getattr(_local, "pid", None) != os.getpid():
        # A forked child must never reuse its parent's connection.
        connections = _local.connections = {}
        _local.pid = os.getpid()
    db = connections.get(path)
    if db is None:
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)
        db = connections[path] = connect(path)
        if current_app.config.get("REPLICA_URL"):
            under_litestream(db)
        # The data keys (store/keys.py): a file of their own, attached to every connection.
        from .store import keys
        keys.attach(db, current_app.config["KEY_STORE"], current_app.config["MASTER_KEYS"])
    # The app's audit key rides with the connection for store/audit.py, which sees no app (set on
    # every call: two apps, as in tests, may open one file with their own instance folders).
    setattr(db, "audit_key", current_app.config.get("AUDIT_KEY"))  # hex; decoded only when a row is written
    return db


def close_db(path: str) -> None:
    """Close this thread's connection to ``path`` (tests use a new file each)."""
    connections = getattr(_local, "connections", {})
    db = connections.pop(path, None)
    if db is not None:
        db.close()


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """Run a read-then-write as one ``BEGIN IMMEDIATE`` transaction.

    IMMEDIATE takes the write lock up front, so two workers doing
    read-then-write wait on busy_timeout instead of failing with
    "database is locked" at their first write.

    The threads of one process first take turns on a lock of their own: a thread waiting for it
    wakes as soon as the writer before it is done, where SQLite's busy handler sleeps 1, 2, 5,
    10... ms between tries (the slow tail of the check-in write, docs/PERFORMANCE.md).
    """
    if db.conn.in_transaction:
        # A nested write: sqlite-utils' savepoint, rolled back on its own if it fails while the
        # outer transaction goes on.
        with db.atomic():
            yield db
        return
    turn: threading.Lock | None = getattr(db, "write_turn", None)  # None: a connection not opened by connect()
    has_turn = turn is not None and turn.acquire(timeout=WRITE_TURN_TIMEOUT)
    try:
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        else:
            db.conn.execute("COMMIT")
    finally:
        if has_turn and turn is not None:  # (has_turn implies a turn: said again for mypy)
            turn.release()


@contextmanager
def read_snapshot(db: Database) -> Iterator[Database]:
    """Run several reads against one snapshot of the database (a transaction that only reads: in
    WAL mode it waits for no writer and holds no lock against them)."""
    if db.conn.in_transaction:
        yield db
        return
    db.conn.execute("BEGIN")
    try:
        yield db
    finally:
        if db.conn.in_transaction:
            db.conn.execute("COMMIT")


def forget_old_pages(db: Database) -> bool:
    """Copy every page in the write-ahead log back into the database file and truncate the log
    (``PRAGMA wal_checkpoint(TRUNCATE)``), so the old versions of changed or deleted rows are gone
    from both files. Waits for readers up to the busy timeout; True when the log was cut (False:
    a reader held on, and SQLite's next checkpoint finishes the job).

    Under Litestream (``under_litestream``) it does nothing and returns False. Litestream keeps a
    read transaction open on each file while it copies the WAL, so a TRUNCATE checkpoint never
    succeeds there: it held the write lock for the whole busy timeout, and another writer then got
    "database is locked" (measured). Litestream checkpoints once it has copied the WAL; and what the
    old pages hold of a deleted account can't be read anyway: its data key is destroyed with it
    (store/keys.py), in the key store and, once replicated, in the replica of it."""
    if getattr(db, "replicated", False):
        return False
    busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return busy == 0


def _rollback_leftovers(exc: BaseException | None) -> None:
    connections = getattr(_local, "connections", {})
    for db in connections.values():
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")


def migrate(db: Database) -> None:
    """Apply every pending migration; a no-op when the schema is current."""
    from .migrations import migrations
    migrations.apply(db)


def health(db: Database) -> str:
    """"ok" when the database answers and its schema is current, else what is wrong (read-only)."""
    from .migrations import migrations
    db.execute("SELECT 1").fetchone()
    if migrations.pending(db):
        return "not migrated: run flask --app diary init-db"
    return "ok"


def init_app(app: Flask) -> None:
    app.teardown_request(_rollback_leftovers)
