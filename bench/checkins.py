"""Benchmark the check-in write path and the Today page through gunicorn (2 workers).

    make bench            # or: .venv/bin/python -m bench.checkins [--requests N] [--clients C]

Reports requests/second and latency median / p95 as seen by the clients. The clients run
on the same 2-core machine as the server, so figures are a floor, not a ceiling.
"""
import argparse
import datetime as dt
import statistics
import threading
import time
import uuid

from .server import Client, gunicorn


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run(name, clients, requests_per_client, make_request):
    latencies, failures = [], []
    lock = threading.Lock()

    def worker(client):
        mine = []
        for i in range(requests_per_client):
            start = time.perf_counter()
            status = make_request(client, i)
            mine.append(time.perf_counter() - start)
            if status >= 300:
                failures.append(status)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(client,)) for client in clients]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    total = len(latencies)
    rate, p95 = total / elapsed, percentile(latencies, 0.95)
    print(f"{name:<34} {total:>6} req  {rate:>7.0f} req/s  "
          f"median {statistics.median(latencies) * 1000:6.1f} ms  "
          f"p95 {p95 * 1000:6.1f} ms  failures {len(failures)}")
    return failures, rate, p95


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per scenario")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients")
    args = parser.parse_args()
    per_client = args.requests // args.clients
    today = dt.date.today()

    def entry(i):
        # Spread over the past year, as a real diary is: Today lists one day's check-ins.
        return {"id": str(uuid.uuid4()), "date": (today - dt.timedelta(days=i % 365)).isoformat(),
                "anxiety": i % 11, "triggers": ["work", "sleep"][: i % 3], "note": "benchmark"}

    # The yardstick first, on the same machine and gunicorn settings (bench/reference.py).
    with gunicorn(workers=2, app="bench.reference:app") as (host, port, _):
        clients = [Client(host, port) for _ in range(args.clients)]
        reference_failures, reference_rate, reference_p95 = run(
            "reference: one plain INSERT", clients, per_client,
            lambda client, i: client.post_json("/insert", entry(i))[0])
    with gunicorn(workers=2) as (host, port, _):
        clients = [Client(host, port).register(f"bench{n}@example.com") for n in range(args.clients)]

        def create_entry(client, i):
            return client.post_json("/api/v1/entries", entry(i))[0]

        def today_page(client, i):
            return client.request("GET", "/")[0]

        def list_entries(client, i):
            return client.request("GET", "/api/v1/entries?limit=100")[0]

        failures, rate, p95 = run("POST /api/v1/entries", clients, per_client, create_entry)
        failures += reference_failures
        failures += run("GET / (Today)", clients, per_client, today_page)[0]
        failures += run("GET /api/v1/entries?limit=100", clients, per_client, list_entries)[0]
    print(f"check-in write: {rate / reference_rate:.0%} of the reference's req/s (goal >= 60%), "
          f"p95 {p95 / reference_p95:.1f}x the reference's (goal <= 3x)")
    if failures:
        raise SystemExit(f"{len(failures)} requests failed: {sorted(set(failures))}")


if __name__ == "__main__":
    main()
