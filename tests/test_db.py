"""The SQLite layer: PRAGMAs, migrations, transactions."""
import sqlite3
import threading

import pytest
from helpers import with_keys

from diary import db as db_module
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


def add_user(db, email):
    db.execute("INSERT INTO users (email, password_hash, role, display_name, timezone, created_at)"
               " VALUES (?, 'x', 'patient', 'A', 'UTC', 'now')", [email])


def test_a_nested_write_that_fails_rolls_back_alone(app):
    """A write_transaction inside another is a savepoint: its failure undoes its own writes only
    (two levels deep too), and the outer transaction goes on to commit."""
    with app.app_context():
        db = get_db()
        with write_transaction(db):
            add_user(db, "outer@example.com")
            with write_transaction(db):
                add_user(db, "kept@example.com")
                with pytest.raises(RuntimeError):
                    with write_transaction(db):
                        add_user(db, "undone@example.com")
                        raise RuntimeError("boom")
            with pytest.raises(RuntimeError):
                with write_transaction(db):
                    add_user(db, "undone-too@example.com")
                    with write_transaction(db):
                        add_user(db, "undone-as-well@example.com")
                    raise RuntimeError("boom")
        emails = [row[0] for row in db.execute("SELECT email FROM users ORDER BY id")]
        assert emails == ["outer@example.com", "kept@example.com"]
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


def test_m006_keeps_sessions_saved_before_it(tmp_path):
    """A dose in mg becomes dose_unit mg with that value; plain side-effect names read as unrated."""
    from diary.store import entries as entries_store
    from diary.store import sessions as sessions_store

    db = with_keys(connect(str(tmp_path / "old.sqlite3")), tmp_path / "keys.sqlite3")
    migrations.apply(db, stop_before="m006_times_side_effect_detail_dose_units_blood_pressure")
    db.execute("INSERT INTO users (id, email, password_hash, role, display_name, timezone, created_at)"
               " VALUES (1, 'a@b.c', 'x', 'patient', 'A', 'UTC', 'now')")
    for session_id, dose in (("s1", 35.0), ("s2", None)):
        db.execute("INSERT INTO treatment_sessions (id, user_id, date, treatment, dose_mg, anxiety_before,"
                   " anxiety_after, side_effects, created_at, updated_at)"
                   " VALUES (?, 1, '2026-01-05', 'iv_ketamine', ?, 7, 3, '[\"dissociation\", \"nausea\"]', 'now', 'now')",
                   [session_id, dose])
    db.execute("INSERT INTO entries (id, user_id, date, anxiety, created_at, updated_at)"
               " VALUES ('e1', 1, '2026-01-05', 4, 'now', 'now')")
    migrate(db)

    old = sessions_store.get_session(db, 1, "s1")
    assert (old["dose_unit"], old["dose_value"], old["weight_kg"], old["dose_mg"], old["time"]) == (
        "mg", 35.0, None, 35.0, None)
    assert old["side_effects"] == [{"name": "dissociation", "severity": None, "hours": None},
                                   {"name": "nausea", "severity": None, "hours": None}]
    assert [old[f"bp_{w}_{p}"] for w in ("before", "after") for p in ("systolic", "diastolic")] == [None] * 4
    undosed = sessions_store.get_session(db, 1, "s2")
    assert (undosed["dose_unit"], undosed["dose_value"], undosed["dose_mg"]) == (None, None, None)
    assert entries_store.get_entry(db, 1, "e1")["time"] is None


@pytest.mark.parametrize("table, column, value", [
    ("entries", "time", "24:00"), ("entries", "time", "9:30"), ("treatment_sessions", "time", "12:60"),
    ("treatment_sessions", "dose_unit", "g"), ("treatment_sessions", "weight_kg", 19.5),
    ("treatment_sessions", "bp_before_systolic", 300), ("treatment_sessions", "bp_after_diastolic", 20),
])
def test_database_checks_back_up_the_new_session_and_entry_fields(app, table, column, value):
    with app.app_context():
        db = get_db()
        db.execute("INSERT INTO users (id, email, password_hash, role, display_name, timezone, created_at)"
                   " VALUES (1, 'a@b.c', 'x', 'patient', 'A', 'UTC', 'now')")
        extra = {"entries": "anxiety", "treatment_sessions": "treatment"}[table]
        extra_value = 5 if table == "entries" else "other"
        with pytest.raises(sqlite3.IntegrityError):
            db.execute(f"INSERT INTO {table} (id, user_id, date, {extra}, {column}, created_at, updated_at)"
                       " VALUES ('x', 1, '2026-01-01', ?, ?, 'now', 'now')", [extra_value, value])


def test_a_writer_whose_turn_does_not_come_goes_ahead_on_sqlites_own_lock(app, monkeypatch):
    """The threads of a process take turns to write (a lock of their own, docs/PERFORMANCE.md); if the turn
    doesn't come in time, the write goes ahead, kept apart from others by SQLite's lock alone."""
    monkeypatch.setattr(db_module, "WRITE_TURN_TIMEOUT", 0.05)
    db, other = connect(app.config["DATABASE"]), connect(app.config["DATABASE"])
    assert db.write_turn is other.write_turn  # one per file and process
    other.close()
    db.write_turn.acquire()  # held elsewhere in this process, by a writer that never finishes
    try:
        with write_transaction(db):
            add_user(db, "late@example.com")
    finally:
        db.write_turn.release()
    assert db.execute("SELECT email FROM users").fetchall() == [("late@example.com",)]
    db.close()
