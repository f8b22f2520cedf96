"""A clinic's database for the load test (bench/clinic.py): patients with a year of diary each,
sharing with the clinic's providers.

Each patient has 1-3 check-ins a day (a third tagged with one or two triggers, 5 % private), a
treatment session every four to five weeks, a GAD-7 and a PHQ-9 every two weeks, and shares with
one or two of the providers (so a provider of 20 sees ~75 of 1,000). Providers have two-factor on.
Check-ins and questionnaires are bulk-inserted in one transaction (SQLite's own triggers keep
the per-day totals, as for any write); sessions, safety signals and shares go through the real
store and services.
"""
import datetime as dt
import json
import random
import uuid

from diary.db import write_transaction
from diary.insights.questionnaires import INSTRUMENTS, score
from diary.security import otp, passwords
from diary.services import records
from diary.store import mfa as mfa_store
from diary.store import sessions as sessions_store
from diary.store import sharing as sharing_store
from diary.store import triggers as triggers_store
from diary.store import users as users_store

from .generate import TRIGGERS

PASSWORD = "clinic benchmark password"
CHECKIN_TIMES = ("08:10", "13:40", "21:25")
SIDE_EFFECTS = ("nausea", "dizziness", "dissociation", "headache")
# Every this-many-th patient has a crisis note today and a PHQ-9 with item 9 answered: the
# providers' dashboards list them first, as a real clinic's would.
FLAGGED_EVERY = 25


def patient_email(n):
    return f"patient{n:04d}@clinic.example"


def provider_email(n):
    return f"provider{n:02d}@clinic.example"


def seed_clinic(db, *, patients, providers, days=365, end=None, seed=14):
    """Fill ``db`` (migrated, empty) with the clinic; returns the accounts and the row counts.

    The accounts: ``{"password", "patients": [email], "providers": [{"email", "totp_secret",
    "patients": [patient id]}]}``, what the load generator needs to log in and browse.
    """
    rng = random.Random(seed)
    end = end or dt.date.today()
    digest = passwords.hash_password(PASSWORD)  # argon2 is deliberately slow: hash once
    with write_transaction(db):
        patient_ids = _patient_accounts(db, patients, digest, end - dt.timedelta(days=days))
        provider_accounts = [_provider_account(db, n, digest) for n in range(providers)]
        counts = {"check-ins": 0, "sessions": 0, "questionnaires": 0}
        for n, patient_id in enumerate(patient_ids):
            patient_rng = random.Random(rng.getrandbits(64))
            counts["check-ins"] += _checkins(db, patient_id, patient_rng, days, end)
            counts["sessions"] += _sessions(db, patient_id, patient_rng, days, end)
            counts["questionnaires"] += _questionnaires(db, patient_id, patient_rng, days, end)
            if n % FLAGGED_EVERY == 0:
                _safety_signals(db, patient_id, end)
            for provider in _providers_of(n, providers):
                _share(db, patient_id, provider_accounts[provider], "full" if n % 2 else "scores")
    counts["shares"] = sum(len(p["patients"]) for p in provider_accounts)
    accounts = {"password": PASSWORD, "patients": [patient_email(n) for n in range(patients)],
                "providers": [{k: p[k] for k in ("email", "totp_secret", "patients")} for p in provider_accounts]}
    return accounts, counts


def _patient_accounts(db, count, digest, joined):
    created_at = f"{joined.isoformat()}T09:00:00.000Z"
    db.conn.executemany(
        "INSERT INTO users (email, password_hash, role, display_name, timezone, created_at)"
        " VALUES (?, ?, 'patient', ?, 'UTC', ?)",
        [(patient_email(n), digest, f"Patient {n:04d}", created_at) for n in range(count)])
    return [row[0] for row in db.execute(
        "SELECT id FROM users WHERE role = 'patient' ORDER BY email").fetchall()]


def _provider_account(db, n, digest):
    user = users_store.create_user(db, email=provider_email(n), password_hash=digest, role="provider",
                                   display_name=f"Dr. Provider {n:02d}", timezone="UTC")
    secret = otp.new_secret()
    mfa_store.enable(db, user["id"], secret, None, [])  # providers must have two-factor on
    return {"id": user["id"], "email": user["email"], "totp_secret": secret, "patients": []}


def _providers_of(n, providers):
    """One provider for every patient, a second one for every other patient."""
    first = n % providers
    second = (n * 7 + 3) % providers
    return [first, second] if n % 2 and second != first else [first]


def _checkins(db, user_id, rng, days, end):
    """1-3 check-ins a day around the patient's own level; returns how many."""
    trigger_ids = [tid for tid, _, _ in triggers_store.triggers_for_names(db, user_id, TRIGGERS)]
    level = rng.uniform(3, 7)
    rows, links = [], []
    for back in range(days - 1, -1, -1):
        date = (end - dt.timedelta(days=back)).isoformat()
        level = min(9.0, max(1.0, level + rng.gauss(0, 0.4)))
        for time in sorted(rng.sample(CHECKIN_TIMES, k=rng.randint(1, 3))):
            entry_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            stamp = f"{date}T{time}:00.000Z"
            anxiety = min(10, max(0, round(level + rng.gauss(0, 1.2))))
            rows.append((entry_id, user_id, date, time, anxiety, "", int(rng.random() < 0.05), stamp, stamp))
            if rng.random() < 1 / 3:
                links.extend((entry_id, t) for t in rng.sample(trigger_ids, k=rng.randint(1, 2)))
    db.conn.executemany("INSERT INTO entries (id, user_id, date, time, anxiety, note, private, created_at,"
                        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.conn.executemany("INSERT INTO entry_triggers (entry_id, trigger_id) VALUES (?, ?)", links)
    return len(rows)


def _sessions(db, user_id, rng, days, end):
    """A session every 28-35 days, through the real store; returns how many."""
    back, count = days - 1 - rng.randint(0, 27), 0
    while back >= 0:
        sessions_store.create_session(db, user_id, {
            "date": end - dt.timedelta(days=back), "time": "10:00", "treatment": "iv_ketamine",
            "dose_mg": 35.0, "anxiety_before": rng.randint(5, 9), "anxiety_after": rng.randint(1, 5),
            "side_effects": [{"name": name, "severity": rng.choice(("mild", "moderate")), "hours": 2}
                             for name in rng.sample(SIDE_EFFECTS, k=rng.randint(0, 2))],
            "reflection": "", "private": False,
        })
        back -= rng.randint(28, 35)
        count += 1
    return count


def _questionnaires(db, user_id, rng, days, end):
    """A GAD-7 and a PHQ-9 every two weeks, scored by the real scoring; PHQ-9 item 9 stays 0 here
    (a self-harm answer raises a safety signal: _safety_signals adds those through the service)."""
    rows = []
    for back in range(days - 1, -1, -14):
        date = (end - dt.timedelta(days=back)).isoformat()
        stamp = f"{date}T09:30:00.000Z"
        for key, instrument in INSTRUMENTS.items():
            answers = [rng.randint(0, 3) for _ in instrument.items]
            if key == "phq9":
                answers[-1] = 0
            result = score(instrument, answers)
            rows.append((str(uuid.UUID(int=rng.getrandbits(128), version=4)), user_id, key, date,
                         json.dumps(answers), rng.choice((None, 0, 1, 2)), result.total, result.severity,
                         stamp, stamp))
    db.conn.executemany("INSERT INTO assessments (id, user_id, instrument, date, answers, difficulty, total,"
                        " severity, private, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                        rows)
    return len(rows)


def _safety_signals(db, user_id, today):
    """A crisis note today and a PHQ-9 with item 9 answered, through the services that raise flags."""
    records.create_entry(db, user_id, {"date": today, "anxiety": 8, "triggers": [],
                                          "note": "I want to end it all", "private": False})
    records.create_assessment(db, user_id, {"instrument": "phq9", "date": today,
                                            "answers": [2, 2, 2, 1, 1, 1, 1, 1, 1], "private": False})


def _share(db, patient_id, provider, scope):
    """The patient makes a share code and the provider redeems it (the real store functions)."""
    invite = sharing_store.create_invite(db, patient_id, scope)
    sharing_store.redeem_invite(db, provider["id"], invite["code"])
    provider["patients"].append(patient_id)
