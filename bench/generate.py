"""Synthetic diaries for benchmarks: years of check-ins and sessions, written in one transaction."""
import datetime as dt
import random

from diary.db import write_transaction
from diary.store import entries as entries_store
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
        trigger_ids = [tid for tid, _, _ in triggers_store.triggers_for_names(db, user_id, TRIGGERS)]
        batch, links = [], []
        for n in range(count):
            entry_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            date = (end - dt.timedelta(days=n // per_day)).isoformat()
            stamp = f"{date}T12:{(n % 3600) // 60:02d}:{n % 60:02d}.000Z"
            batch.append((entry_id, user_id, date, rng.randint(0, 10), "bulk, \"quoted\" note", stamp, stamp))
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
