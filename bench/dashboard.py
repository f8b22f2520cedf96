"""Benchmark the provider dashboard (who needs a call today first) with many sharing patients,
next to a patient's Today page measured in the same run.

    .venv/bin/python -m bench.dashboard [--patients N] [--repeat R]

N patients (default 500), each with a year of check-ins (2 a day), sessions twice a month, a
GAD-7 and PHQ-9 every two weeks, and every tenth one a crisis note today, all share ("scores
only") with one provider. In-process (Flask test client: server time only), the requests are
interleaved (Today, /provider/, /api/v1/patients, Today, ...) so background load hits each side
alike; reports each one's median and p95 and its ratio to Today (goals: GOALS, 5x for the
dashboard, 10x for the outcomes of every patient), then the
dashboard with no stored line valid (the first request of a new day).
``measure(patients, repeat)`` returns the same figures for `make bench`'s table.
"""
import argparse
import datetime as dt
import statistics
import time

from diary.db import close_db, get_db, write_transaction
from diary.security import otp, passwords
from diary.services import records
from diary.store import mfa as mfa_store
from diary.store import users as users_store
from diary.timeutil import utc_now

from .generate import bulk_diary
from .server import logged_in, temp_app

PASSWORD = "benchmark password"
PROVIDER = "dashboard.provider@example.com"
PATIENT = "p1@example.com"  # a year of diary, no crisis note: whose Today page is the yardstick
TOTP_SECRET = otp.new_secret()  # providers must have two-factor on
URLS = ("/provider/", "/api/v1/patients", "/provider/outcomes?period=all")
# Each URL's goal, as a multiple of Today's median: the dashboard and the patient list 5x; the
# outcomes across every patient's year of diary (questionnaires, relief per series) 10x.
GOALS = {"/provider/": 5.0, "/api/v1/patients": 5.0, "/provider/outcomes?period=all": 10.0}


def seed(db, patients):
    """The provider and ``patients`` sharing patients, bulk-inserted in one transaction."""
    digest = passwords.hash_password(PASSWORD)
    provider = users_store.create_user(db, email=PROVIDER, role="provider", password_hash=digest,
                                       display_name="Dr. Bench", timezone="UTC")
    mfa_store.enable(db, provider["id"], TOTP_SECRET, None, [])
    today = dt.date.today()
    now = utc_now()
    with write_transaction(db):
        for n in range(patients):
            user_id = db.execute(
                "INSERT INTO users (email, password_hash, role, display_name, timezone, created_at)"
                " VALUES (?, ?, 'patient', ?, 'UTC', ?)", [f"p{n}@example.com", digest, f"Patient {n:03d}", now],
            ).lastrowid
            bulk_diary(db, user_id, days=365, per_day=2, seed=n)
            if n % 10 == 0:  # through the service, so the safety signal is raised as in real life
                records.create_entry(db, user_id, {"date": today, "anxiety": 8, "triggers": [],
                                                      "note": "I want to end it all", "private": False})
            db.execute("INSERT INTO shares (patient_id, provider_id, scope, created_at) VALUES (?, ?, 'scores', ?)",
                       [user_id, provider["id"], now])


def _timed(client, url):
    started = time.perf_counter()
    status = client.get(url).status_code
    elapsed = time.perf_counter() - started
    assert status == 200, f"{url} answered {status}"
    return elapsed


def _stats(samples):
    ordered = sorted(samples)
    return {"median_ms": statistics.median(ordered) * 1000,
            "p95_ms": ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000}


def measure(patients=500, repeat=20, *, quiet=True):
    """Seed, then time Today and the dashboard URLs interleaved: ``{"patients", "seed_s", "today":
    {median_ms, p95_ms}, url: {median_ms, p95_ms, ratio}, "flagged_first"}`` (ratio: median / Today's)."""
    with temp_app() as (app, database):
        with app.app_context():
            started = time.perf_counter()
            seed(get_db(), patients)
            seeded = time.perf_counter() - started
        close_db(database)
        if not quiet:
            print(f"Seeded {patients} sharing patients in {seeded:.1f} s")
        provider = logged_in(app, PROVIDER, PASSWORD, TOTP_SECRET)
        patient = logged_in(app, PATIENT, PASSWORD)
        listed = provider.get("/api/v1/patients").get_json()["patients"]
        flagged = sum(1 for p in listed if p["safety"])
        samples = {"/": [], **{url: [] for url in URLS}}
        for url in samples:  # warm-up: templates compiled, connection open, anything cached filled
            _timed(provider if url in URLS else patient, url)
        for _ in range(repeat):
            for url in samples:
                samples[url].append(_timed(provider if url in URLS else patient, url))
        cold = _cold(app, provider, max(3, repeat // 5))
        close_db(database)
    today = _stats(samples["/"])
    result = {"patients": patients, "seed_s": seeded, "today": today, "listed": len(listed),
              "flagged_first": flagged > 0 and all(p["safety"] for p in listed[:flagged])}
    for url in URLS:
        result[url] = {**_stats(samples[url]), "ratio": _stats(samples[url])["median_ms"] / today["median_ms"]}
    if cold:
        result["cold"] = {**_stats(cold), "ratio": _stats(cold)["median_ms"] / today["median_ms"]}
    return result


def _cold(app, provider, repeat):
    """/provider/ with no stored line valid (the first request of a new day: every line computed
    again), or [] where lines aren't stored (the code before migration m013)."""
    samples = []
    with app.app_context():
        db = get_db()
        if not db["dashboard_lines"].exists():
            return samples
        for _ in range(repeat):
            with write_transaction(db):
                db.execute("DELETE FROM dashboard_lines")
            samples.append(_timed(provider, "/provider/"))
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    result = measure(args.patients, args.repeat, quiet=False)
    print(f"{result['listed']} patients listed; those with an open safety flag first: {result['flagged_first']}")
    print(f"\nIn-process (Flask test client: server time only), {args.repeat} rounds interleaved")
    today = result["today"]
    print(f"  {'GET / (Today)':<24} median {today['median_ms']:7.1f} ms   p95 {today['p95_ms']:7.1f} ms")
    for url in URLS:
        figures = result[url]
        verdict = "ok" if figures["ratio"] <= GOALS[url] else f"over the {GOALS[url]:g}x goal"
        print(f"  {url:<24} median {figures['median_ms']:7.1f} ms   p95 {figures['p95_ms']:7.1f} ms"
              f"   {figures['ratio']:5.1f}x Today ({verdict})")
    if "cold" in result:
        cold = result["cold"]
        print(f"  {'/provider/, new day':<24} median {cold['median_ms']:7.1f} ms   p95 {cold['p95_ms']:7.1f} ms"
              f"   {cold['ratio']:5.1f}x Today (every line computed again: once a day per patient)")


if __name__ == "__main__":
    main()
