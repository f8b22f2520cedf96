"""Benchmark the Trends page and GET /api/v1/trends on a 5-year diary.

    .venv/bin/python -m bench.trends [--repeat N]

A patient with 5 years of data (2 check-ins a day, a session a month: the yardstick of docs/PERFORMANCE.md) is
generated into a temporary SQLite file. The URLs, Today first, are requested in turn N times
(after one warm-up) two ways: in-process through Flask's test client (server time, no network),
and over HTTP through gunicorn with 2 workers. Reports bytes, median and p95 in milliseconds,
and the all-time page as a multiple of Today's (goal: at most 3x).
"""
import argparse
import statistics
import time

from diary.db import close_db, get_db
from diary.security import passwords
from diary.services import trends as trends_service
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


def interleaved(request, urls, repeat):
    """{url: [seconds, ...]} with the urls taken in turn, ``repeat`` rounds after a warm-up, so
    background load on the shared machine falls on each of them alike."""
    samples = {url: [] for url in urls}
    for url in urls:
        request(url)
    for _ in range(repeat):
        for url in urls:
            started = time.perf_counter()
            status = request(url)
            samples[url].append(time.perf_counter() - started)
            assert status == 200, f"{url} answered {status}"
    return samples


def seed(app, database, years=5, per_day=2, sessions_per_month=1):
    """The five-year patient of docs/PERFORMANCE.md's yardstick (3,650 check-ins, 60 sessions by default)."""
    with app.app_context():
        db = get_db()
        user = users_store.create_user(db, email=EMAIL, role="patient",
                                       password_hash=passwords.hash_password(PASSWORD),
                                       display_name="Five Years", timezone="UTC")
        counts = seed_patient(db, user["id"], years=years, per_day=per_day, sessions_per_month=sessions_per_month)
    close_db(database)
    return counts


COLD = "/trends?range=all&cold"  # the same page with nothing kept from before (after a write)


def measure(repeat=30):
    """The all-time Trends page next to the same patient's Today page, in-process: {"today_ms",
    "trends_ms", "ratio", "bytes"} (medians; the page as a reload finds it, its trends kept from
    the request before), and "cold_ms", "cold_ratio": the page as the first view after a write
    finds it, computed afresh."""
    with temp_app() as (app, database):
        seed(app, database)
        client = logged_in(app, EMAIL, PASSWORD)
        size = len(client.get("/trends?range=all").get_data())

        def request(url):
            if url == COLD:
                trends_service.MEMO.clear()
                url = "/trends?range=all"
            return client.get(url).status_code
        samples = interleaved(request, ["/", "/trends?range=all", COLD], repeat)
        close_db(database)
    today, trends, cold = (statistics.median(samples[url]) * 1000 for url in ("/", "/trends?range=all", COLD))
    return {"today_ms": today, "trends_ms": trends, "ratio": trends / today, "bytes": size,
            "cold_ms": cold, "cold_ratio": cold / today}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with temp_app() as (app, database):
        started = time.perf_counter()
        entries, sessions = seed(app, database)
        print(f"Generated {entries} check-ins and {sessions} sessions in {time.perf_counter() - started:.1f} s")

        client = logged_in(app, EMAIL, PASSWORD)
        urls = ("/", *URLS)
        for url in urls:
            print(f"  {url:<28} {len(client.get(url).get_data()):>8,} bytes")
        print("\nIn-process (Flask test client: server time only), interleaved")
        samples = interleaved(lambda u: client.get(u).status_code, urls, args.repeat)
        for url in urls:
            print(f"  {url:<28} {summary(samples[url])}")
        ratio = statistics.median(samples["/trends?range=all"]) / statistics.median(samples["/"])
        print(f"all-time Trends: {ratio:.1f}x the Today page (goal <= 3x)")
        close_db(database)

        with gunicorn(workers=2, database=database) as (host, port, _):
            http = Client(host, port).login(EMAIL, PASSWORD)
            print("\nThrough gunicorn (2 workers, HTTP on loopback), interleaved")
            samples = interleaved(lambda u: http.request("GET", u)[0], urls, args.repeat)
            for url in urls:
                print(f"  {url:<28} {summary(samples[url])}")
            ratio = statistics.median(samples["/trends?range=all"]) / statistics.median(samples["/"])
            print(f"all-time Trends: {ratio:.1f}x the Today page (goal <= 3x)")


if __name__ == "__main__":
    main()
