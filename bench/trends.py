"""Benchmark the Trends page and GET /api/v1/trends on a 5-year diary.

    .venv/bin/python -m bench.trends [--repeat N]

A patient with 5 years of data (3 check-ins a day, 2 sessions a month) is generated into a
temporary SQLite file. Each URL is requested N times (after one warm-up) two ways:
in-process through Flask's test client (server time, no network), and over HTTP through
gunicorn with 2 workers. Reports median and p95 in milliseconds.
"""
import argparse
import statistics
import time

from diary import passwords
from diary.db import close_db, get_db
from diary.store import users as users_store

from .generate import seed_patient
from .server import Client, gunicorn, logged_in, temp_app

URLS = ("/trends?range=90d", "/trends?range=all", "/api/v1/trends?days=90", "/api/v1/trends?days=all")
PASSWORD = "benchmark password"
EMAIL = "five.years@example.com"




def summary(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"median {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


def timed(request, url, repeat):
    request(url)  # warm-up: templates compiled, connection open
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        status = request(url)
        samples.append(time.perf_counter() - started)
        assert status == 200, f"{url} answered {status}"
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with temp_app() as (app, database):
        with app.app_context():
            db = get_db()
            user = users_store.create_user(db, email=EMAIL, role="patient",
                                           password_hash=passwords.hash_password(PASSWORD),
                                           display_name="Five Years", timezone="UTC")
            started = time.perf_counter()
            entries, sessions = seed_patient(db, user["id"])
            print(f"Generated {entries} check-ins and {sessions} sessions in {time.perf_counter() - started:.1f} s")
        close_db(database)

        client = logged_in(app, EMAIL, PASSWORD)
        print("\nIn-process (Flask test client: server time only)")
        for url in URLS:
            print(f"  {url:<28} {summary(timed(lambda u: client.get(u).status_code, url, args.repeat))}")
        close_db(database)

        with gunicorn(workers=2, database=database) as (host, port, _):
            http = Client(host, port).login(EMAIL, PASSWORD)
            print("\nThrough gunicorn (2 workers, HTTP on loopback)")
            for url in URLS:
                print(f"  {url:<28} {summary(timed(lambda u: http.request('GET', u)[0], url, args.repeat))}")


if __name__ == "__main__":
    main()
