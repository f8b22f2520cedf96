"""bench/generate.py's seeders write what they say through today's store and schema (the
benchmarks themselves never run in `make test`; a seeder calling a renamed store function broke
`make bench` once)."""
import datetime as dt

from helpers import user_id

from bench.generate import bulk_diary, bulk_entries, seed_patient
from diary.db import get_db, write_transaction
from diary.services import trends as trends_service

END = dt.date(2026, 11, 24)


def count(db, table, user_id):
    return db.execute(f"SELECT count(*) FROM {table} WHERE user_id = ?", [user_id]).fetchone()[0]


def test_seed_patient_writes_through_the_store(app, patient):
    uid = user_id(patient)
    with app.app_context():
        db = get_db()
        entries, sessions = seed_patient(db, uid, years=0.1, per_day=2, sessions_per_month=1, end=END)
        assert (entries, sessions) == (count(db, "entries", uid), count(db, "treatment_sessions", uid))
        assert entries == 2 * round(365.25 * 0.1) and sessions >= 1
        # The per-day totals (m012) were kept by the same writes.
        assert db.execute("SELECT sum(checkins) FROM checkin_days WHERE user_id = ?", [uid]).fetchone()[0] == entries


def test_bulk_diary_and_bulk_entries_write_what_they_count(app, patient):
    uid = user_id(patient)
    with app.app_context():
        db = get_db()
        with write_transaction(db):
            entries, sessions = bulk_diary(db, uid, days=30, per_day=2, end=END)
        assert (entries, sessions) == (60, count(db, "treatment_sessions", uid)) == (60, 2)
        assert count(db, "assessments", uid) == 6  # a GAD-7 and a PHQ-9 every two weeks
        trends = trends_service.gather_between(db, uid, END - dt.timedelta(days=29), END, END)
        assert sum(day["count"] for day in trends["days"]) == 60
        bulk_entries(db, uid, 100, end=END)
        assert count(db, "entries", uid) == 160
