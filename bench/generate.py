"""Synthetic diaries for benchmarks: years of check-ins and sessions, written in one transaction."""
import datetime as dt
import random

from diary.db import write_transaction
from diary.store import entries as entries_store
from diary.store import keys as keys_store
from diary.store import sessions as sessions_store
from diary.store import triggers as triggers_store

TRIGGERS = ("work", "sleep", "social", "health", "money", "caffeine", "family", "news", "exercise", "commute")


def seed_patient(db, user_id, *, years=5, per_day=3, sessions_per_month=2, end=None, seed=1):
    """Fill a patient's diary back from ``end`` (default today); returns (entries, sessions) counts."""
    rng = random.Random(seed)
    end = end or dt.date.today()
    start = end - dt.timedelta(days=round(365.25 * years) - 1)
    entries = sessions = 0
    with write_transaction(db):
        day = start
        while day <= end:
            for _ in range(per_day):
                triggers = rng.sample(TRIGGERS, k=rng.randint(0, 3))
                entries_store.create_entry(db, user_id, {
                    "date": day, "anxiety": rng.randint(0, 10), "triggers": triggers,
                    "note": "benchmark note", "private": rng.random() < 0.05,
                })
                entries += 1
            if day.day in (1, 15)[:sessions_per_month]:
                sessions_store.create_session(db, user_id, {
                    "date": day, "treatment": "iv_ketamine", "dose_mg": 35.0, "anxiety_before": 7,
                    "anxiety_after": 3, "side_effects": ["nausea"], "reflection": "benchmark", "private": False,
                })
                sessions += 1
            day += dt.timedelta(days=1)
    return entries, sessions


def bulk_entries(db, user_id, count, *, per_day=50, end=None, seed=2):
    """Insert ``count`` check-ins fast (executemany, one transaction): for export benchmarks only.

    Every third check-in gets one or two of ten triggers. Dates run back from ``end``.
    """
    import uuid
    rng = random.Random(seed)
    end = end or dt.date.today()
    with write_transaction(db):
        key = keys_store.writer(db, user_id)  # notes are sealed, as the store seals them
        trigger_ids = [tid for tid, _, _ in triggers_store.triggers_for_names(db, user_id, TRIGGERS)]
        batch, links = [], []
        for n in range(count):
            entry_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            date = (end - dt.timedelta(days=n // per_day)).isoformat()
            stamp = f"{date}T12:{(n % 3600) // 60:02d}:{n % 60:02d}.000Z"
            note = key.seal(entries_store.NOTE, "bulk, \"quoted\" note")
            batch.append((entry_id, user_id, date, rng.randint(0, 10), note, stamp, stamp))
            if n % 3 == 0:
                links.extend((entry_id, t) for t in rng.sample(trigger_ids, k=rng.randint(1, 2)))
            if len(batch) >= 10_000:
                _flush(db, batch, links)
        _flush(db, batch, links)


def _flush(db, batch, links):
    db.conn.executemany("INSERT INTO entries (id, user_id, date, anxiety, note, created_at, updated_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
    db.conn.executemany("INSERT INTO entry_triggers (entry_id, trigger_id) VALUES (?, ?)", links)
    batch.clear()
    links.clear()


def bulk_diary(db, user_id, *, days=365, per_day=2, end=None, seed=1):
    """A year (``days``) of a patient's diary inserted fast (executemany; call inside a transaction):
    ``per_day`` check-ins a day with 0-3 triggers (5 % private), a session on the 1st and 15th, a
    GAD-7 and a PHQ-9 every two weeks. For benchmarks with many patients only."""
    import json
    import uuid

    from diary.insights.questionnaires import INSTRUMENTS, score
    rng = random.Random(seed)
    end = end or dt.date.today()
    data_key = keys_store.writer(db, user_id)  # notes and reflections are sealed, as the store seals them
    trigger_ids = [tid for tid, _, _ in triggers_store.triggers_for_names(db, user_id, TRIGGERS)]
    entries, links, sessions, assessments = [], [], [], []
    for back in range(days - 1, -1, -1):
        day = end - dt.timedelta(days=back)
        date = day.isoformat()
        for n in range(per_day):
            entry_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            stamp = f"{date}T{8 + 6 * n:02d}:00:00.000Z"
            note = data_key.seal(entries_store.NOTE, "benchmark note")
            entries.append((entry_id, user_id, date, rng.randint(0, 10), note, int(rng.random() < 0.05), stamp, stamp))
            links.extend((entry_id, t) for t in rng.sample(trigger_ids, k=rng.randint(0, 3)))
        stamp = f"{date}T12:00:00.000Z"
        if day.day in (1, 15):
            sessions.append((str(uuid.UUID(int=rng.getrandbits(128), version=4)), user_id, date, "iv_ketamine",
                             35.0, "mg", 35.0, 7, 3, '[{"name": "nausea", "severity": null, "hours": null}]',
                             data_key.seal(sessions_store.REFLECTION, "benchmark"), stamp, stamp))
        if back % 14 == 0:
            level = (seed + back // 14) % 4
            for key, answers in (("gad7", [level] * 7), ("phq9", [level] * 8 + [0])):
                result = score(INSTRUMENTS[key], answers)
                assessments.append((str(uuid.UUID(int=rng.getrandbits(128), version=4)), user_id, key, date,
                                    json.dumps(answers), result.total, result.severity, stamp, stamp))
    db.conn.executemany("INSERT INTO entries (id, user_id, date, anxiety, note, private, created_at, updated_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", entries)
    db.conn.executemany("INSERT INTO entry_triggers (entry_id, trigger_id) VALUES (?, ?)", links)
    db.conn.executemany(
        "INSERT INTO treatment_sessions (id, user_id, date, treatment, dose_mg, dose_unit, dose_value,"
        " anxiety_before, anxiety_after, side_effects, reflection, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", sessions)
    db.conn.executemany(
        "INSERT INTO assessments (id, user_id, instrument, date, answers, total, severity, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", assessments)
    return len(entries), len(sessions)
