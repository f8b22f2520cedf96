"""Benchmark the streamed exports next to a raw sqlite3 → csv.writer pass over the same file.

    .venv/bin/python -m bench.export [--sizes 100000 1000000] [--repeat 3] [--no-json]

For each size, a patient with that many check-ins is bulk-inserted into a fresh SQLite file and a
fresh gunicorn (gthread, 2 workers, gunicorn.conf.py) serves it. Then, interleaved (app, reference,
app, reference…) so background load hits both sides alike:

- app: GET /export/entries.csv read to the end over HTTP (a keep-alive client, 64 KiB reads);
- reference: in this process, one plain ``sqlite3`` connection selects the same patient's
  check-ins with the CSV's columns in the CSV's order (trigger names joined by "; " in SQL, the
  sessions' columns as empty strings), ordered like the export, and ``csv.writer.writerows``
  writes the cursor to /dev/null (a text file, UTF-8, newline=""). No formula guard, no HTTP.

Each app run is paired with the reference run right after it; reported are the medians of
``--repeat`` runs (rows/s of each side, and the ratio app rows/s ÷ reference rows/s of each pair:
a pair shares the machine's load of the moment). The same is reported per CPU second (the
workers' CPU time during the download, the reference's own), which other load on the machine
disturbs much less than wall time; the client's own work is not counted there.
GET /export/fhir.json and GET /export/everything.json are then downloaded once each.

Memory: the workers' resident set (VmRSS from /proc) is sampled every 20 ms during each download;
reported is the growth of the peak over the value just before that download. (VmHWM would not do:
logging in runs argon2 with 64 MiB, which sets the high-water mark.)
"""
import argparse
import csv
import http.client
import os
import re
import sqlite3
import statistics
import tempfile
import threading
import time

from diary import create_app
from diary.db import close_db, get_db, migrate
from diary.security import passwords
from diary.store import users as users_store

from .generate import bulk_entries
from .server import Client, gunicorn

EMAIL, PASSWORD = "export@example.com", "benchmark password"
JSON_DOWNLOADS = ("/export/fhir.json", "/export/everything.json")

# The reference: entries.csv's 16 columns for check-ins, built by SQLite alone.
REFERENCE_SQL = """
    SELECT e.id, 'checkin', e.date, e.anxiety,
           coalesce((SELECT group_concat(name, '; ') FROM (
               SELECT t.name FROM entry_triggers et JOIN triggers t ON t.id = et.trigger_id
               WHERE et.entry_id = e.id ORDER BY t.name_key)), ''),
           coalesce(e.note, ''), '', '', '', '', '', '', e.created_at, e.updated_at,
           CASE WHEN e.private THEN 'true' ELSE 'false' END, coalesce(e.time, '')
    FROM entries e WHERE e.user_id = ? ORDER BY e.date, e.created_at, e.id
"""


def workers(port):
    """The pids of the gunicorn workers listening on ``port`` (children of the arbiter)."""
    pids = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmdline = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ")
            status = open(f"/proc/{pid}/status").read()
        except OSError:
            continue
        if b"gunicorn" in cmdline and f"127.0.0.1:{port}".encode() in cmdline:
            ppid = int(re.search(r"PPid:\s+(\d+)", status).group(1))
            parent = open(f"/proc/{ppid}/cmdline", "rb").read()
            if b"gunicorn" in parent:  # a worker, not the arbiter
                pids.append(int(pid))
    return pids


def worker_rss(pids):
    """{pid: VmRSS in MB} for ``pids``. Only their status files are read: scanning all of /proc
    every 20 ms would take a good share of a core from the client during the download."""
    rss = {}
    for pid in pids:
        with open(f"/proc/{pid}/status") as status:
            rss[pid] = int(re.search(r"VmRSS:\s+(\d+)", status.read()).group(1)) / 1024
    return rss


def cpu_seconds(pids):
    """User + system CPU time the processes ``pids`` have used so far (from /proc/PID/stat)."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def generate(database, size):
    """A migrated SQLite file with one patient holding ``size`` check-ins; returns (user id, seconds)."""
    app = create_app({"DATABASE": database, "SECRET_KEY": "bench"})
    with app.app_context():
        db = get_db()
        migrate(db)
        user = users_store.create_user(db, email=EMAIL, role="patient", display_name="Export",
                                       password_hash=passwords.hash_password(PASSWORD), timezone="UTC")
        started = time.perf_counter()
        bulk_entries(db, user["id"], size)
        generated = time.perf_counter() - started
    close_db(database)
    return user["id"], generated


def reference_pass(database, user_id):
    """The yardstick: rows, seconds and CPU seconds for sqlite3 → csv.writer → /dev/null."""
    started, cpu_started = time.perf_counter(), time.process_time()
    conn = sqlite3.connect(database)
    try:
        with open(os.devnull, "w", newline="", encoding="utf-8") as sink:
            cursor = conn.execute(REFERENCE_SQL, [user_id])
            writer = csv.writer(sink, lineterminator="\r\n")
            writer.writerow(("id",) * 16)  # a header row, as the export has
            rows = 0
            while batch := cursor.fetchmany(2000):
                writer.writerows(batch)
                rows += len(batch)
    finally:
        conn.close()
    return rows, time.perf_counter() - started, time.process_time() - cpu_started


def download(host, port, cookie, path):
    """Read ``path`` to the end: {seconds, first_byte, bytes, lines, rss_growth, peak_rss, server_cpu}."""
    pids = workers(port)
    before, cpu_before = worker_rss(pids), cpu_seconds(pids)
    peak, done = dict(before), threading.Event()

    def sample():
        while not done.wait(0.02):
            for pid, rss in worker_rss(pids).items():
                peak[pid] = max(peak.get(pid, 0), rss)

    sampler = threading.Thread(target=sample)
    sampler.start()
    conn = http.client.HTTPConnection(host, port, timeout=600)
    try:
        started = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        assert response.status == 200, f"GET {path} answered {response.status}"
        first = response.read(1)
        first_byte = time.perf_counter() - started
        lines, size_bytes, last = first.count(b"\n"), len(first), first
        while chunk := response.read(1 << 16):
            lines += chunk.count(b"\n")  # bulk notes have no line breaks
            size_bytes += len(chunk)
            last = chunk
        elapsed = time.perf_counter() - started
    finally:
        done.set()
        sampler.join()
        conn.close()
    server_cpu = cpu_seconds(pids) - cpu_before
    return {"seconds": elapsed, "server_cpu": server_cpu, "first_byte": first_byte, "bytes": size_bytes,
            "lines": lines, "tail": last[-64:],
            "rss_growth": max(peak[pid] - before.get(pid, peak[pid]) for pid in peak),
            "peak_rss": max(peak.values())}


def measure(size, repeat=3, json_downloads=True):
    """Export ``size`` check-ins through the app and through the reference, side by side.

    Returns {size, generate_s, app_rows_s, reference_rows_s, ratio, ratios (each pair's), app_cpu_rows_s,
    reference_cpu_rows_s, cpu_ratio, first_byte_ms,
    csv_mb, csv_rss_growth_mb, peak_rss_mb, downloads: {path: {seconds, mb, rss_growth_mb, peak_rss_mb}}}.
    """
    with tempfile.TemporaryDirectory() as tmp:
        database = os.path.join(tmp, "export.sqlite3")
        os.environ["DIARY_INSTANCE_PATH"] = tmp
        user_id, generated = generate(database, size)
        with gunicorn(workers=2, database=database) as (host, port, _):
            cookie = Client(host, port).login(EMAIL, PASSWORD).cookie
            apps, references = [], []
            for _ in range(repeat):
                apps.append(download(host, port, cookie, "/export/entries.csv"))
                rows, seconds, cpu = reference_pass(database, user_id)
                assert rows == size, f"the reference wrote {rows} rows, expected {size}"
                references.append((seconds, cpu))
            for run in apps:
                assert run["lines"] - 1 == size, f"exported {run['lines'] - 1} rows, expected {size}"
            downloads = {}
            for path in JSON_DOWNLOADS if json_downloads else ():
                run = download(host, port, cookie, path)
                assert run["tail"].rstrip().endswith(b"}"), f"{path} did not end its document"
                downloads[path] = {"seconds": run["seconds"], "mb": run["bytes"] / 1e6,
                                   "rss_growth_mb": run["rss_growth"], "peak_rss_mb": run["peak_rss"]}
    return {"size": size, "generate_s": generated,
            "app_rows_s": statistics.median(size / run["seconds"] for run in apps),
            "reference_rows_s": statistics.median(size / seconds for seconds, _ in references),
            "ratio": statistics.median(seconds / run["seconds"] for run, (seconds, _) in zip(apps, references)),
            "ratios": [seconds / run["seconds"] for run, (seconds, _) in zip(apps, references)],
            # The same per CPU second (the workers' for the app, this process's for the reference):
            # much less sensitive to other load on the machine than wall time.
            "app_cpu_rows_s": statistics.median(size / run["server_cpu"] for run in apps),
            "reference_cpu_rows_s": statistics.median(size / cpu for _, cpu in references),
            "cpu_ratio": statistics.median(cpu / run["server_cpu"] for run, (_, cpu) in zip(apps, references)),
            "first_byte_ms": statistics.median(run["first_byte"] for run in apps) * 1000,
            "csv_mb": apps[0]["bytes"] / 1e6, "csv_rss_growth_mb": max(run["rss_growth"] for run in apps),
            "peak_rss_mb": max(run["peak_rss"] for run in apps), "downloads": downloads}


def report(result):
    print(f"{result['size']:>9,} check-ins (generated in {result['generate_s']:.1f} s)")
    print(f"  entries.csv   app {result['app_rows_s']:9,.0f} rows/s  reference {result['reference_rows_s']:9,.0f}"
          f" rows/s  ratio {result['ratio']:4.0%} (goal >= 60%;"
          f" runs {', '.join(f'{r:.0%}' for r in result['ratios'])})  first byte {result['first_byte_ms']:.1f} ms"
          f"  {result['csv_mb']:.1f} MB  worker RSS +{result['csv_rss_growth_mb']:.1f} MB"
          f" (peak {result['peak_rss_mb']:.1f} MB)")
    print(f"  per CPU second: app (server) {result['app_cpu_rows_s']:9,.0f} rows/s  reference"
          f" {result['reference_cpu_rows_s']:9,.0f} rows/s  ratio {result['cpu_ratio']:4.0%}")
    for path, run in result["downloads"].items():
        print(f"  {path.rsplit('/', 1)[-1]:<15} {run['seconds']:6.2f} s  {run['mb']:7.1f} MB"
              f"  worker RSS +{run['rss_growth_mb']:.1f} MB (peak {run['peak_rss_mb']:.1f} MB)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side, interleaved; medians are reported")
    parser.add_argument("--no-json", action="store_true", help="skip the FHIR and everything.json downloads")
    args = parser.parse_args()
    for size in args.sizes:
        report(measure(size, args.repeat, not args.no_json))


if __name__ == "__main__":
    main()
