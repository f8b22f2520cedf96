"""The SQLite layer: PRAGMAs, migrations, transactions."""
import sqlite3
import threading

import pytest

from diary.db import connect, get_db, migrate, write_transaction
from diary.migrations import migrations


def test_migrations_apply_to_an_empty_database_and_reapply_as_a_no_op(tmp_path):
    db = connect(str(tmp_path / "empty.sqlite3"))
    assert db.table_names() == []
    migrate(db)
    tables = set(db.table_names())
    assert {"users", "entries", "triggers", "entry_triggers", "treatment_sessions"} <= tables
    applied = [m.name for m in migrations.applied(db)]
    schema = db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    migrate(db)
    assert [m.name for m in migrations.applied(db)] == applied
    assert db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema
    assert migrations.pending(db) == []


def test_tables_are_strict(app):
    with app.app_context():
        db = get_db()
        for table in ("users", "entries", "triggers", "entry_triggers", "treatment_sessions"):
            assert db.execute("SELECT strict FROM pragma_table_list WHERE name = ?", [table]).fetchone() == (1,)
        with pytest.raises(sqlite3.IntegrityError):  # STRICT: no text in an INTEGER column
            db.execute("INSERT INTO users (email, password_hash, role, display_name, timezone, created_at,"
                       " session_version) VALUES ('a@b.c', 'x', 'patient', 'A', 'UTC', 'now', 'one')")


@pytest.mark.parametrize("pragma, expected", [
    ("journal_mode", "wal"), ("synchronous", 2), ("foreign_keys", 1), ("busy_timeout", 5000),
])
def test_connection_pragmas(app, pragma, expected):
    with app.app_context():
        assert get_db().execute(f"PRAGMA {pragma}").fetchone()[0] == expected


def test_database_checks_back_up_the_schemas(app):
    """Even code that skipped validation can't store an out-of-range score or an orphan."""
    with app.app_context():
        db = get_db()
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO entries (id, user_id, date, anxiety, created_at, updated_at)"
                       " VALUES ('x', 999, '2026-01-01', 5, 'now', 'now')")
        db.execute("INSERT INTO users (email, password_hash, role, display_name, timezone, created_at)"
                   " VALUES ('a@b.c', 'x', 'patient', 'A', 'UTC', 'now')")
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO entries (id, user_id, date, anxiety, created_at, updated_at)"
                       " VALUES ('x', 1, '2026-01-01', 11, 'now', 'now')")


def test_write_transaction_rolls_back_on_error(app):
    with app.app_context():
        db = get_db()
        with pytest.raises(RuntimeError):
            with write_transaction(db):
                db.execute("INSERT INTO users (email, password_hash, role, display_name, timezone,"
                           " created_at) VALUES ('a@b.c', 'x', 'patient', 'A', 'UTC', 'now')")
                raise RuntimeError("boom")
        assert db.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 0
        assert not db.conn.in_transaction


def test_concurrent_writers_wait_instead_of_failing(app):
    """Two connections doing read-then-write at once both succeed (BEGIN IMMEDIATE + busy_timeout)."""
    path = app.config["DATABASE"]
    errors, barrier = [], threading.Barrier(4)

    def writer(n):
        db = connect(path)
        try:
            barrier.wait()
            for i in range(25):
                with write_transaction(db):
                    count = db.execute("SELECT COUNT(*) FROM users").fetchone()[0]
                    db.execute("INSERT INTO users (email, password_hash, role, display_name, timezone,"
                               " created_at) VALUES (?, 'x', 'patient', 'A', 'UTC', 'now')",
                               [f"w{n}-{i}-{count}@example.com"])
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            db.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM users").fetchone()[0] == 100
