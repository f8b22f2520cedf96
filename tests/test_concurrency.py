"""Two processes (two gunicorn workers, or the app and a CLI) writing and reading the same SQLite
file at once: every write lands, none twice, and nobody sees "database is locked"."""
import datetime as dt
import multiprocessing
import uuid

from helpers import with_keys

from diary.db import connect, migrate
from diary.schemas.entries import EntryIn
from diary.security.fields import MasterKeys
from diary.services import records
from diary.store import entries as entries_store
from diary.store import users as users_store

WRITES = 300
MASTER_KEY = "11" * 32  # the processes' shared master key (each opens the key store itself)


def write_and_read(path, user_id, start, results):
    """One process: WRITES check-ins through the real service (one transaction each, safety checks
    included), each followed by a read of the newest page, as a patient's phone would."""
    db = with_keys(connect(path), path + ".keys", MasterKeys.from_text(MASTER_KEY))
    schema = EntryIn(today=dt.date(2026, 12, 31))
    errors, ids = [], []
    start.wait()
    for n in range(WRITES):
        data = schema.load({"id": str(uuid.uuid4()), "date": "2026-06-01", "anxiety": n % 11,
                            "triggers": ["work"] if n % 2 else [], "note": f"{user_id}-{n}"})
        try:
            records.create_entry(db, user_id, data)
            ids.append(str(data["id"]))
            entries_store.list_entries(db, user_id, limit=20)
        except Exception as error:  # noqa: BLE001 - any failure is the finding
            errors.append(repr(error))
    db.close()
    results.put((user_id, ids, errors))


def test_two_processes_write_and_read_at_once(tmp_path):
    path = str(tmp_path / "diary.sqlite3")
    db = with_keys(connect(path), path + ".keys", MasterKeys.from_text(MASTER_KEY))
    migrate(db)
    users = [users_store.create_user(db, email=f"p{n}@example.com", password_hash="x", role="patient",
                                     display_name=f"P{n}", timezone="UTC")["id"] for n in range(2)]
    db.close()
    context = multiprocessing.get_context("spawn")  # two fresh interpreters, as two workers are
    start, results = context.Event(), context.Queue()
    processes = [context.Process(target=write_and_read, args=(path, user_id, start, results)) for user_id in users]
    for process in processes:
        process.start()
    start.set()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    db = connect(path)
    try:
        for user_id, ids, errors in outcomes:
            assert errors == []  # no "database is locked", nothing else either
            stored = [row[0] for row in db.execute("SELECT id FROM entries WHERE user_id = ?", [user_id])]
            assert sorted(stored) == sorted(ids) and len(ids) == WRITES
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        db.close()
