"""Benchmark the streaming CSV export: rows/s, time to first byte, and the worker's peak memory.

    .venv/bin/python -m bench.export [--sizes 100000 1000000]

For each size, a patient with that many check-ins is bulk-inserted into a fresh SQLite file, a
fresh gunicorn (gthread, 2 workers, gunicorn.conf.py) serves it, and GET /export/entries.csv is
read to the end over HTTP. Memory: the workers' resident set (VmRSS from /proc) is sampled every
20 ms during the export; reported are the peak and its growth over the value just before.
(VmHWM would not do: logging in runs argon2 with 64 MiB, which sets the high-water mark.)
"""
import argparse
import http.client
import os
import re
import tempfile
import threading
import time

from diary import create_app, passwords
from diary.db import close_db, get_db, migrate
from diary.store import users as users_store

from .generate import bulk_entries
from .server import Client, gunicorn

EMAIL, PASSWORD = "export@example.com", "benchmark password"


def worker_rss(port):
    """{pid: VmRSS in MB} for the gunicorn workers listening on ``port`` (children of the arbiter)."""
    peaks = {}
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
                peaks[int(pid)] = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
    return peaks


def run(size):
    with tempfile.TemporaryDirectory() as tmp:
        database = os.path.join(tmp, "export.sqlite3")
        os.environ["DIARY_INSTANCE_PATH"] = tmp
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
        with gunicorn(workers=2, database=database) as (host, port, _):
            client = Client(host, port).login(EMAIL, PASSWORD)
            before = worker_rss(port)
            peak, done = dict(before), threading.Event()

            def sample():
                while not done.wait(0.02):
                    for pid, rss in worker_rss(port).items():
                        peak[pid] = max(peak.get(pid, 0), rss)

            sampler = threading.Thread(target=sample)
            sampler.start()
            conn = http.client.HTTPConnection(host, port, timeout=600)
            started = time.perf_counter()
            conn.request("GET", "/export/entries.csv", headers={"Cookie": client.cookie})
            response = conn.getresponse()
            first = response.read(1)
            first_byte = time.perf_counter() - started
            lines, size_bytes = first.count(b"\n"), len(first)
            while chunk := response.read(1 << 16):
                lines += chunk.count(b"\n")  # bulk notes have no line breaks
                size_bytes += len(chunk)
            elapsed = time.perf_counter() - started
            done.set()
            sampler.join()
        rows = lines - 1  # the header line
        grown = max(peak[pid] - before.get(pid, peak[pid]) for pid in peak)
        print(f"{size:>9,} rows  generated in {generated:5.1f} s | export {elapsed:6.2f} s  "
              f"{rows / elapsed:9,.0f} rows/s  first byte {first_byte * 1000:6.1f} ms  "
              f"{size_bytes / 1e6:6.1f} MB  worker peak RSS {max(peak.values()):6.1f} MB "
              f"(+{grown:.1f} MB during the export)")
        assert rows == size, f"exported {rows} rows, expected {size}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    for size in parser.parse_args().sizes:
        run(size)


if __name__ == "__main__":
    main()
