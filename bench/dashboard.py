"""Benchmark the provider dashboard (who needs a call today first) with many sharing patients.

    .venv/bin/python -m bench.dashboard [--patients N] [--repeat R]

N patients (default 100), each with a year of check-ins (2 a day), sessions twice a month, a
GAD-7 and PHQ-9 every two weeks, and every tenth one a crisis note, all share with one provider.
Reports in-process (Flask test client) median and p95 for /provider/ and GET /api/v1/patients.
"""
import argparse
import datetime as dt
import time

from diary import otp, passwords
from diary.db import close_db, get_db
from diary.services import records
from diary.store import mfa as mfa_store
from diary.store import sharing as sharing_store
from diary.store import users as users_store

from .generate import seed_patient
from .server import logged_in, temp_app
from .trends import summary, timed

PASSWORD = "benchmark password"
PROVIDER = "dashboard.provider@example.com"
TOTP_SECRET = otp.new_secret()  # providers must have two-factor on
URLS = ("/provider/", "/api/v1/patients")


def seed(db, patients):
    digest = passwords.hash_password(PASSWORD)
    provider = users_store.create_user(db, email=PROVIDER, role="provider", password_hash=digest,
                                       display_name="Dr. Bench", timezone="UTC")
    mfa_store.enable(db, provider["id"], TOTP_SECRET, None, [])
    today = dt.date.today()
    for n in range(patients):
        user = users_store.create_user(db, email=f"p{n}@example.com", role="patient", password_hash=digest,
                                       display_name=f"Patient {n:03d}", timezone="UTC")
        seed_patient(db, user["id"], years=1, per_day=2, seed=n)
        for weeks in range(0, 52, 2):
            date = today - dt.timedelta(weeks=weeks)
            level = (n + weeks) % 4
            for instrument, answers in (("gad7", [level] * 7), ("phq9", [level] * 8 + [0])):
                records.create_assessment(db, user["id"], {"instrument": instrument, "date": date,
                                                           "answers": answers, "private": False})
        if n % 10 == 0:
            records.create(db, "entry", user["id"], {"date": today, "anxiety": 8, "triggers": [],
                                                     "note": "I want to end it all", "private": False})
        invite = sharing_store.create_invite(db, user["id"], "scores")
        sharing_store.redeem_invite(db, provider["id"], invite["code"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with temp_app() as (app, database):
        with app.app_context():
            started = time.perf_counter()
            seed(get_db(), args.patients)
            print(f"Seeded {args.patients} sharing patients in {time.perf_counter() - started:.1f} s")
        close_db(database)
        client = logged_in(app, PROVIDER, PASSWORD, TOTP_SECRET)
        flagged = client.get("/api/v1/patients").get_json()["patients"]
        print(f"{sum(1 for p in flagged if p['safety'])} with an open safety flag, listed first: "
              f"{all(p['safety'] for p in flagged[:args.patients // 10])}")
        print("\nIn-process (Flask test client: server time only)")
        for url in URLS:
            print(f"  {url:<20} {summary(timed(lambda u: client.get(u).status_code, url, args.repeat))}")
        close_db(database)


if __name__ == "__main__":
    main()
