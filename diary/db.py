"""The database connection: one per worker thread, opened lazily (after gunicorn forks)."""
import os
import sqlite3
import threading
from contextlib import contextmanager

import sqlite_utils
from flask import current_app

_local = threading.local()

BUSY_TIMEOUT_MS = 5000


def connect(path):
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
    return sqlite_utils.Database(conn)


def get_db():
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
    return db


def close_db(path):
    """Close this thread's connection to ``path`` (tests use a new file each)."""
    connections = getattr(_local, "connections", {})
    db = connections.pop(path, None)
    if db is not None:
        db.close()


@contextmanager
def write_transaction(db):
    """Run a read-then-write as one ``BEGIN IMMEDIATE`` transaction.

    IMMEDIATE takes the write lock up front, so two workers doing
    read-then-write wait on busy_timeout instead of failing with
    "database is locked" at their first write.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


@contextmanager
def read_snapshot(db):
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


def _rollback_leftovers(exc):
    connections = getattr(_local, "connections", {})
    for db in connections.values():
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")


def migrate(db):
    """Apply every pending migration; a no-op when the schema is current."""
    from .migrations import migrations
    migrations.apply(db)


def health(db):
    """"ok" when the database answers and its schema is current, else what is wrong (read-only)."""
    from .migrations import migrations
    db.execute("SELECT 1").fetchone()
    if migrations.pending(db):
        return "not migrated: run flask --app diary init-db"
    return "ok"


def init_app(app):
    app.teardown_request(_rollback_leftovers)
