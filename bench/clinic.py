"""A clinic's worth of load: patients and providers using the app at once, through gunicorn.

    .venv/bin/python -m bench.clinic [--patients 1000] [--providers 20] [--users 50] [--duration 60s]

A fresh database is seeded with a clinic (bench/clinic_seed.py: a year of diary per patient,
shares to the providers) and served by gunicorn (gunicorn.conf.py: 2 gthread workers) with the
per-address limits off, as every client comes from 127.0.0.1. locust (bench/locustfile.py, the
`bench` extra) then runs headless for --duration: patients open Today, check in and open
Trends; providers open their dashboard and patients' pages; a newcomer logs in every 2 s; a
monitor asks GET /healthz 10 times a second, the trivial endpoint of the same server in the
same run. Reports per scenario requests/s, median, p95, p99 and errors, the medians and p95s
as multiples of /healthz's, the logins apart, what everyone else saw while all were logging in,
and the server log's "database is locked" and tracebacks. Exits non-zero on any of those.
measure() returns the same figures as a dict.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager

from .checkins import percentile
from .server import BIN, REPO, gunicorn

REFERENCE = "GET /healthz"
SETUP = "setup: "  # the locustfile's prefix for each person's first login
LOGIN = "login: "  # ... and for the newcomers' logins
LOCKED = "database is locked"


@contextmanager
def seeded_clinic(patients, providers):
    """A migrated temporary database holding the clinic: yields (path, accounts, counts, seconds)."""
    from diary.db import close_db, get_db, migrate

    from .clinic_seed import seed_clinic
    with tempfile.TemporaryDirectory() as tmp:
        database = os.path.join(tmp, "clinic.sqlite3")
        app = _app_in(tmp, database)
        with app.app_context():
            db = get_db()
            migrate(db)
            # A throwaway file: no fsync per transaction and a large cache while seeding (the
            # server opens it with synchronous=FULL, as always).
            db.execute("PRAGMA synchronous = OFF")
            db.execute("PRAGMA cache_size = -262144")
            started = time.perf_counter()
            accounts, counts = seed_clinic(db, patients=patients, providers=providers)
            seconds = time.perf_counter() - started
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        close_db(database)
        yield database, accounts, counts, seconds


def _app_in(instance, database):
    """The app on ``database``, its instance folder (keys, secrets) in ``instance``."""
    from diary import create_app
    before = os.environ.get("DIARY_INSTANCE_PATH")
    os.environ["DIARY_INSTANCE_PATH"] = instance
    try:
        return create_app({"DATABASE": database, "SECRET_KEY": "bench", "SESSION_COOKIE_SECURE": False})
    finally:
        if before is None:
            del os.environ["DIARY_INSTANCE_PATH"]
        else:
            os.environ["DIARY_INSTANCE_PATH"] = before


def run_locust(host, port, accounts, *, users, provider_users, duration, think, workdir):
    """Run bench/locustfile.py headless against the server; returns (samples file, locust's log)."""
    accounts_file = os.path.join(workdir, "accounts.json")
    samples_file = os.path.join(workdir, "samples.jsonl")
    with open(accounts_file, "w") as out:
        json.dump(accounts, out)
    spawn_rate = 10
    # The locustfile stops the run --duration after everyone has logged in. Logging in takes
    # a while (argon2 at 64 MiB, everyone at once: ~0.5 s each on 2 busy cores), so locust's own
    # limit, the upper bound, leaves a second a person for it.
    run_time = duration + users + 30
    env = {**os.environ, "CLINIC_ACCOUNTS": accounts_file, "CLINIC_SAMPLES": samples_file,
           "CLINIC_THINK": f"{think[0]},{think[1]}", "CLINIC_PROVIDERS": str(provider_users),
           "CLINIC_PERSONS": str(users - 2), "CLINIC_DURATION": str(duration)}
    command = [str(BIN / "locust"), "-f", str(REPO / "bench" / "locustfile.py"), "--headless",
               "--host", f"http://{host}:{port}", "--users", str(users), "--spawn-rate", str(spawn_rate),
               "--run-time", f"{run_time}s", "--stop-timeout", "5", "--only-summary",
               "--loglevel", "WARNING", "--exit-code-on-error", "0"]
    log = os.path.join(workdir, "locust.log")
    with open(log, "w") as output:
        finished = subprocess.run(command, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT,
                                  timeout=run_time + 60)
    if finished.returncode != 0:
        raise SystemExit(f"locust failed ({finished.returncode}):\n{open(log).read()[-3000:]}")
    return samples_file, log


def read_samples(path):
    """[(end time, name, milliseconds, error or None)] from the locustfile's JSON lines."""
    with open(path) as lines:
        return [tuple(json.loads(line)) for line in lines if line.strip()]


def steady_state(samples, duration):
    """The requests started in the ``duration`` seconds after every simulated person had logged
    in (the last is cut short if locust stopped first), and that window's length."""
    setup_ends = [end for end, name, _, _ in samples if name.startswith(SETUP)]
    start = max(setup_ends) if setup_ends else min(end for end, _, _, _ in samples)
    end = min(start + duration, max(end for end, _, _, _ in samples))
    window = [s for s in samples if start <= s[0] - s[2] / 1000 < end and not s[1].startswith(SETUP)]
    return window, end - start


def span(samples):
    """Seconds from the first request's start to the last one's end."""
    if not samples:
        return 0.0
    return max(end for end, _, _, _ in samples) - min(end - ms / 1000 for end, _, ms, _ in samples)


def figures(samples, seconds):
    """Per request name: count, req/s, median, p95, p99 (ms), errors and their messages."""
    by_name = defaultdict(list)
    for _, name, ms, error in samples:
        by_name[name].append((ms, error))
    result = {}
    for name, rows in sorted(by_name.items()):
        times = [ms for ms, _ in rows]
        errors = [error for _, error in rows if error]
        result[name] = {"requests": len(rows), "rps": len(rows) / seconds if seconds else 0.0,
                        "median": statistics.median(times), "p95": percentile(times, 0.95),
                        "p99": percentile(times, 0.99), "errors": len(errors),
                        "error_messages": sorted(set(errors))}
    return result


def with_ratios(scenarios):
    """Add each scenario's median and p95 as multiples of GET /healthz's in the same run."""
    reference = scenarios.get(REFERENCE)
    for row in scenarios.values():
        row["median_ratio"] = row["median"] / reference["median"] if reference else None
        row["p95_ratio"] = row["p95"] / reference["p95"] if reference else None
    return scenarios


def server_problems(log):
    """How many times the server's output says "database is locked", and how many tracebacks."""
    text = open(log, errors="replace").read()
    return {"database_locked": text.count(LOCKED), "tracebacks": text.count("Traceback"),
            "internal_errors": len(re.findall(r"ERROR diary\.errors", text))}


def measure(patients=1000, providers=20, users=50, provider_users=None, duration=60, think=(0.5, 2.0),
            keep_logs=None):
    """Seed, serve, load; returns {"seed": {...}, "scenarios": {name: {...}}, "logins": {...},
    "server": {...}, "window_seconds", "errors"}. ``keep_logs``: a directory to copy the server's
    and locust's logs and the raw samples into."""
    provider_users = min(providers, provider_users or max(1, users // 10))
    if users < provider_users + 3:
        raise ValueError(f"--users must be at least {provider_users + 3} (providers, a patient, "
                         "the monitor and the newcomer)")
    with seeded_clinic(patients, providers) as (database, accounts, counts, seed_seconds), \
            tempfile.TemporaryDirectory() as workdir:
        server_log = os.path.join(workdir, "gunicorn.log")
        with gunicorn(workers=2, database=database, log=server_log) as (host, port, _):
            samples_file, locust_log = run_locust(host, port, accounts, users=users, duration=duration,
                                                  provider_users=provider_users, think=think, workdir=workdir)
        result = summarize(read_samples(samples_file), duration)
        if keep_logs:
            keep(keep_logs, server_log, locust_log, samples_file)
        result["server"] = server_problems(server_log)
    return {"seed": {"patients": patients, "providers": providers, "seconds": seed_seconds, **counts},
            "users": users, "provider_users": provider_users, "think": list(think), **result}


def summarize(samples, duration):
    """The steady state's scenarios (with ratios to /healthz), the logins apart, what the others
    saw while everyone was logging in (the rush), and the errors of all of them."""
    window, seconds = steady_state(samples, duration)
    scenarios = with_ratios(figures([s for s in window if not s[1].startswith(LOGIN)], seconds))
    setup = [s for s in samples if s[1].startswith(SETUP)]
    newcomers = [s for s in window if s[1].startswith(LOGIN)]
    logins = {**figures(setup, span(setup)), **figures(newcomers, seconds)}
    total = figures([("", "all", ms, error) for _, _, ms, error in window], seconds).get("all")
    rush_end = max((end for end, _, _, _ in setup), default=0.0)
    rush = figures([s for s in samples if s[0] - s[2] / 1000 < rush_end and not s[1].startswith(SETUP)],
                   span(setup))
    return {"window_seconds": seconds, "scenarios": scenarios, "logins": logins, "total": total,
            "rush_seconds": span(setup), "rush": rush,
            "errors": sum(row["errors"] for row in [*scenarios.values(), *logins.values(), *rush.values()])}


def keep(directory, *paths):
    import shutil
    os.makedirs(directory, exist_ok=True)
    for path in paths:
        shutil.copy(path, directory)


def print_report(result):
    seed = result["seed"]
    print(f"Seeded {seed['patients']} patients and {seed['providers']} providers in {seed['seconds']:.1f} s: "
          f"{seed['check-ins']:,} check-ins, {seed['sessions']:,} sessions, "
          f"{seed['questionnaires']:,} questionnaires, {seed['shares']:,} shares")
    print(f"{result['users']} users ({result['provider_users']} providers, a monitor, a newcomer, the rest "
          f"patients), {result['think'][0]}-{result['think'][1]} s between clicks; steady state "
          f"{result['window_seconds']:.0f} s\n")
    header = f"{'scenario':<32} {'req':>6} {'req/s':>7} {'median':>8} {'p95':>8} {'p99':>8} {'errors':>6}"
    print(f"{header}  {'median ×':>8} {'p95 ×':>6}  (× GET /healthz)")
    for name, row in result["scenarios"].items():
        print(f"{line(name, row)}  {ratio(row['median_ratio']):>8} {ratio(row['p95_ratio']):>6}")
    if result["total"]:
        print(line("all of the above and newcomers", result["total"]))
    print("\nLogins (argon2 at 64 MiB). setup: everyone's first, all at once before the steady state"
          " (req/s over that rush); login: a newcomer every 2 s during it")
    for name, row in result["logins"].items():
        print(line(name, row))
    print(f"\nEveryone else during the login rush ({result['rush_seconds']:.0f} s: argon2 takes every thread)")
    for name, row in result["rush"].items():
        print(line(name, row))
    server = result["server"]
    print(f"\nserver log: {server['database_locked']} \"database is locked\", {server['tracebacks']} tracebacks, "
          f"{server['internal_errors']} unhandled errors; {result['errors']} request errors in all")
    for group in ("scenarios", "logins", "rush"):
        for name, row in result[group].items():
            for message in row["error_messages"]:
                print(f"  {name}{' (during the rush)' if group == 'rush' else ''}: {message}")


def ratio(value):
    return "-" if value is None else f"{value:.1f}"


def line(name, row):
    return (f"{name:<32} {row['requests']:>6} {row['rps']:>7.1f} {row['median']:>6.1f}ms {row['p95']:>6.1f}ms "
            f"{row['p99']:>6.1f}ms {row['errors']:>6}")


def seconds(text):
    """'60', '60s' or '2m' -> seconds."""
    match = re.fullmatch(r"(\d+)([sm]?)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r}: say 60, 60s or 2m")
    return int(match.group(1)) * (60 if match.group(2) == "m" else 1)


def think_range(text):
    """'0.5-2' -> (0.5, 2.0)."""
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--providers", type=int, default=20)
    parser.add_argument("--users", type=int, default=50, help="simulated people at once (default 50)")
    parser.add_argument("--provider-users", type=int, help="how many of them are providers (default users/10)")
    parser.add_argument("--duration", type=seconds, default=60, help="steady state, e.g. 60s or 2m")
    parser.add_argument("--think", type=think_range, default=(0.5, 2.0),
                        help="seconds between a person's clicks, e.g. 0.5-2 (default)")
    parser.add_argument("--keep-logs", metavar="DIR", help="copy the server's and locust's logs here")
    args = parser.parse_args()
    result = measure(args.patients, args.providers, args.users, args.provider_users, args.duration,
                     args.think, args.keep_logs)
    print_report(result)
    if result["errors"] or result["server"]["database_locked"]:
        raise SystemExit("errors or \"database is locked\": see above")


if __name__ == "__main__":
    main()
