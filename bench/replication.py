"""Replication with Litestream on, next to off, in the same run (`make bench-replication`).

    .venv/bin/python -m bench.replication [--requests 2000] [--clients 4] [--rounds 6]
                                          [--patients 1000] [--users 50] [--duration 60s]

1. Check-in writes. Two servers on their own temporary databases, started as `make run` starts
   them (scripts/serve, gunicorn.conf.py's 2 workers): one without DIARY_REPLICA_URL, one with a
   file:// replica (Litestream replicating the database and the key store). Clients write check-ins
   (bench/checkins.py's load generator) to each in alternating rounds; reports req/s and p95 of each
   and the ratio. Goal: replication on keeps >= 90 % of the throughput of off.
2. Recovery point under a clinic's load. The clinic of bench/clinic.py (seeded, then locust's
   patients and providers for --duration) is served with replication on. Every acknowledged
   check-in (POST /api/v1/entries answered 201) is timed until it is in the replica: a sampler polls
   Litestream's control socket every 10 ms for the transaction id of each WAL read it starts (a read
   started after the answer holds the check-in) and lists the replica's files for the newest
   transaction id there. The lag of a check-in is the time from its answer to the first listing
   holding that transaction: p50, p99 and the worst, in seconds. Goal: p99 <= 2 s.
Exits non-zero when a goal is missed. ``measure()`` returns the figures as a dict.
"""
import argparse
import datetime as dt
import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from diary.replication import litestream

from .checkins import patients, percentile, run, summary
from .clinic import read_samples, run_locust, seconds, seeded_clinic, server_problems, steady_state
from .server import BIN, REPO, _free_port

GOAL_RATIO = 0.90
GOAL_LAG_P99 = 2.0
CHECK_IN = "POST /api/v1/entries"


@contextmanager
def served(folder, replica=None, database=None, log=None):
    """scripts/serve (gunicorn, under Litestream when ``replica`` is a URL) on ``database`` (default:
    a new one in ``folder``), instance files in the database's folder; yields (host, port, env)."""
    database = database or os.path.join(folder, "diary.sqlite3")
    instance = os.path.dirname(database)
    port = _free_port()
    env = {**os.environ, "DIARY_DATABASE": database, "DIARY_INSTANCE_PATH": instance,
           "DIARY_KEY_STORE": os.path.join(instance, "keys.sqlite3"), "DIARY_REPLICA_URL": replica or "",
           "DIARY_SECURE_COOKIES": "0", "DIARY_PROVIDER_SIGNUP": "open", "DIARY_LIMITS_PER_ADDRESS": "0",
           "HOST": "127.0.0.1", "PORT": str(port), "WORKERS": "2"}
    output = open(log or os.devnull, "ab")
    server = subprocess.Popen([str(BIN / "python"), str(REPO / "scripts" / "serve")], cwd=REPO, env=env,
                              stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 600  # a big clinic's first snapshot is uploaded before serving
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"scripts/serve did not start (see {log})")
                time.sleep(0.2)
        yield "127.0.0.1", port, env
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        output.close()


def compare_writes(off, on, requests, clients, rounds, report=print):
    """Check-ins written to each server in alternating rounds; each side's summary and the ratios."""
    sides = {"off": patients(*off[:2], clients), "on": patients(*on[:2], clients)}
    from .checkins import entry_payload

    def write(side, per_client):
        return run(sides[side], per_client, lambda client, i: client.post_json("/api/v1/entries", entry_payload(i)))

    for side in sides:
        write(side, 25)  # warm up
    per_client = max(1, requests // clients // rounds)
    results = {"off": [], "on": []}
    for number in range(rounds):
        order = ("off", "on") if number % 2 == 0 else ("on", "off")
        for side in order:
            results[side].append(write(side, per_client))
        last = {side: summary([results[side][-1]]) for side in sides}
        report(f"round {number + 1}: off {last['off']['rate']:5.0f} req/s, on {last['on']['rate']:5.0f} req/s "
               f"-> {last['on']['rate'] / last['off']['rate']:.0%}")
    off_figures, on_figures = summary(results["off"]), summary(results["on"])
    return {"off": off_figures, "on": on_figures, "ratio": on_figures["rate"] / off_figures["rate"],
            "p95_ratio": on_figures["p95_ms"] / off_figures["p95_ms"]}


def _epoch(text):
    text = text.replace("Z", "+00:00")
    if "." in text:  # Go's nanoseconds: Python reads microseconds
        head, _, tail = text.partition(".")
        digits = "".join(c for c in tail if c.isdigit())
        text = f"{head}.{digits[:6]}{tail[len(digits):]}"
    return dt.datetime.fromisoformat(text).timestamp()


class Sampler(threading.Thread):
    """Every ``every`` s: the WAL reads Litestream has started (start time -> transaction id) and the
    newest transaction id in the replica, with when it was first seen there."""

    def __init__(self, control, database, replica_folder, every=0.01):
        super().__init__(daemon=True)
        self.control, self.database, self.every = control, database, every
        self.level0 = Path(replica_folder) / "ltx" / "0"
        self.reads = {}  # start time (epoch) -> txid
        self.replica = []  # (first seen, newest txid in the replica)
        self.stopping = threading.Event()

    def replica_txid(self):
        names = os.listdir(self.level0) if self.level0.is_dir() else []
        return max((int(name.split("-")[1].split(".")[0], 16) for name in names if name.endswith(".ltx")), default=0)

    def run(self):
        while not self.stopping.is_set():
            try:
                state = litestream.ask(self.control, "GET", f"/debug/sync-status?path={self.database}")["databases"][0]
                if state.get("operation") == "sync" and not state.get("active") and state.get("txid"):
                    self.reads.setdefault(_epoch(state["started_at"]), state["txid"])
                txid = self.replica_txid()
                if not self.replica or txid > self.replica[-1][1]:
                    self.replica.append((time.time(), txid))
            except (OSError, ValueError, KeyError, IndexError, litestream.LitestreamError):
                pass
            self.stopping.wait(self.every)

    def lag(self, acknowledged):
        """Seconds from ``acknowledged`` (epoch) until the replica held it; None if not seen by the end."""
        txid = next((self.reads[start] for start in sorted(self.reads) if start >= acknowledged), None)
        if txid is None:
            return None
        return next((seen - acknowledged for seen, newest in self.replica if newest >= txid), None)


def clinic_lag(patients_count, providers, users, duration, think, workdir, report=print):
    """The clinic under locust, served with replication on: the lag of each acknowledged check-in."""
    replica = os.path.join(workdir, "clinic-replica")
    with seeded_clinic(patients_count, providers) as (database, accounts, counts, _):
        report(f"seeded {counts['check-ins']:,} check-ins; serving with replication to file://{replica}")
        log = os.path.join(workdir, "clinic-serve.log")
        with served(workdir, replica=f"file://{replica}", database=database, log=log) as (host, port, env):
            control = litestream.socket_path(database)
            for path in (database, env["DIARY_KEY_STORE"]):
                litestream.sync(control, path, timeout=600)  # the first snapshot, before the clock starts
            sampler = Sampler(control, database, os.path.join(replica, "database"))
            sampler.start()
            samples_file, _ = run_locust(host, port, accounts, users=users, duration=duration,
                                         provider_users=max(1, users // 10), think=think, workdir=workdir)
            time.sleep(3)  # the last check-ins' way to the replica (sync interval 1 s)
            sampler.stopping.set()
            sampler.join()
        problems = server_problems(log)
    window, _ = steady_state(read_samples(samples_file), duration)
    acknowledged = [end for end, name, _, error in window if name == CHECK_IN and not error]
    lags = [lag for lag in (sampler.lag(end) for end in acknowledged) if lag is not None]
    errors = sum(1 for _, _, _, error in window if error)
    if not lags:
        raise SystemExit("no acknowledged check-in was seen in the replica")
    return {"check_ins": len(acknowledged), "timed": len(lags), "p50": statistics.median(lags),
            "p99": percentile(lags, 0.99), "max": max(lags), "errors": errors, "server": problems}


def measure(requests=2000, clients=4, rounds=6, patients_count=1000, providers=20, users=50, duration=60,
            think=(0.5, 2.0), report=print):
    with tempfile.TemporaryDirectory() as workdir:
        off_folder, on_folder = (os.path.join(workdir, side) for side in ("off", "on"))
        os.makedirs(off_folder)
        os.makedirs(on_folder)
        with served(off_folder) as off, \
                served(on_folder, replica=f"file://{os.path.join(workdir, 'replica')}") as on:
            writes = compare_writes(off, on, requests, clients, rounds, report)
        lag = clinic_lag(patients_count, providers, users, duration, think, workdir, report)
    return {"writes": writes, "lag": lag}


def print_report(result):
    writes, lag = result["writes"], result["lag"]
    for side in ("off", "on"):
        row = writes[side]
        print(f"replication {side:<3}  {row['requests']:>6} check-ins  {row['rate']:6.0f} req/s  "
              f"median {row['median_ms']:5.1f} ms  p95 {row['p95_ms']:5.1f} ms  failures {len(row['failures'])}")
    print(f"check-in writes with replication on: {writes['ratio']:.0%} of off's req/s (goal >= {GOAL_RATIO:.0%}), "
          f"p95 {writes['p95_ratio']:.2f}x off's")
    print(f"recovery point under the clinic's load: {lag['timed']} of {lag['check_ins']} acknowledged check-ins "
          f"timed into the replica: p50 {lag['p50']:.2f} s, p99 {lag['p99']:.2f} s (goal <= {GOAL_LAG_P99:g} s), "
          f"worst {lag['max']:.2f} s; {lag['errors']} request errors, "
          f"{lag['server']['database_locked']} \"database is locked\", {lag['server']['tracebacks']} tracebacks")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="check-ins written to each side")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--patients", type=int, default=1000, help="the clinic's patients")
    parser.add_argument("--users", type=int, default=50, help="people using the clinic at once")
    parser.add_argument("--duration", type=seconds, default=60, help="the clinic's steady state, e.g. 60s or 2m")
    args = parser.parse_args()
    result = measure(args.requests, args.clients, args.rounds, args.patients, users=args.users,
                     duration=args.duration)
    print_report(result)
    writes, lag = result["writes"], result["lag"]
    missed = writes["ratio"] < GOAL_RATIO or lag["p99"] > GOAL_LAG_P99 or lag["errors"] \
        or lag["server"]["database_locked"] or writes["on"]["failures"] or writes["off"]["failures"]
    if missed:
        raise SystemExit("a goal was missed: see above")


if __name__ == "__main__":
    main()
