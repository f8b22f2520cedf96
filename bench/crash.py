"""Crash safety, the long run: SIGKILL gunicorn at random moments while clients write check-ins
with their own ids, restart it on the same file, and check that every acknowledged id is there
exactly once, as sent, and that PRAGMA integrity_check is ok. tests/test_crash_safety.py runs 20
cycles of the same code in `make test`.

    .venv/bin/python -m bench.crash [--cycles 200] [--clients 4]
"""
import argparse
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "correct horse battery"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on a fixed port over ``folder``'s database, started and SIGKILLed at will."""

    def __init__(self, folder):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DIARY_DATABASE": str(folder / "diary.sqlite3"), "DIARY_INSTANCE_PATH": str(folder),
                    "DIARY_SECURE_COOKIES": "0", "DIARY_LIMITS_PER_ADDRESS": "0", "PORT": str(self.port)}
        self.log = open(folder / "gunicorn.log", "a")
        self.process = None
        subprocess.run([BIN / "flask", "--app", "diary", "init-db"], cwd=REPO, env=self.env, check=True,
                       capture_output=True)

    def start(self):
        # A session of its own, so one killpg reaches the arbiter and every worker at once.
        self.process = subprocess.Popen([BIN / "gunicorn", "wsgi:app"], cwd=REPO, env=self.env, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.05)
        raise AssertionError("gunicorn did not start: see gunicorn.log")

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.kill()
        self.log.close()


def logged_in(url):
    """A client session registered as a new patient, with the CSRF header set (as the pages' scripts)."""
    session = requests.Session()
    page = session.get(url + "/register").text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    email = f"p{uuid.uuid4().hex[:8]}@example.com"
    response = session.post(url + "/register", data={
        "email": email, "password": PASSWORD, "role": "patient", "display_name": "Crash Test",
        "timezone": "UTC", "csrf_token": token}, allow_redirects=False)
    assert response.status_code == 302, response.text
    session.headers["X-CSRFToken"] = session.get(url + "/api/v1/csrf-token").json()["csrf_token"]
    return session


def writer(url, session, sent, acknowledged, stop, lock):
    """Write check-ins, each with its own id; retry an unanswered one (same id) until it's answered,
    as the offline outbox does."""
    pending = None
    while not stop.is_set():
        if pending is None:
            pending = {"id": str(uuid.uuid4()), "date": "2026-01-01", "anxiety": random.randint(0, 10),
                       "note": f"note {random.random()}"}
        try:
            response = session.post(url + "/api/v1/entries", json=pending, timeout=5)
        except requests.RequestException:
            time.sleep(0.02)  # the server is down: try the same id again
            continue
        assert response.status_code in (200, 201), response.text
        with lock:
            sent[pending["id"]] = pending
            acknowledged.add(pending["id"])
        pending = None


def run_cycles(folder, cycles, clients=4, seed=1):
    """Returns (acknowledged ids, what was sent per id, the database path)."""
    rng = random.Random(seed)
    server = Server(folder)
    sent, acknowledged, lock = {}, set(), threading.Lock()
    try:
        server.start()
        sessions = [logged_in(server.url) for _ in range(clients)]
        for _ in range(cycles):
            stop = threading.Event()
            threads = [threading.Thread(target=writer, args=(server.url, s, sent, acknowledged, stop, lock))
                       for s in sessions]
            for thread in threads:
                thread.start()
            time.sleep(rng.uniform(0.05, 0.4))
            server.kill()  # mid-write: requests in flight never get their answer
            stop.set()
            for thread in threads:
                thread.join()
            server.start()
    finally:
        server.stop()
    return acknowledged, sent, folder / "diary.sqlite3"


def check(acknowledged, sent, path):
    """Every acknowledged check-in is in the database at ``path`` once, as sent (its note opened
    with the key store and master key of the instance folder beside it, as the server kept them)."""
    from diary.db import connect
    from diary.security.fields import MasterKeys
    from diary.store import entries as entries_store
    from diary.store import keys as keys_store
    db = connect(str(path))
    try:
        keys_store.attach(db, str(path.parent / "keys.sqlite3"),
                          MasterKeys.from_text((path.parent / "master_key").read_text()))
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = {row[0]: row for row in db.execute("SELECT id, date, anxiety, user_id FROM entries")}
        assert len(rows) == db.execute("SELECT count(*) FROM entries").fetchone()[0]  # ids are unique
        missing = acknowledged - set(rows)
        assert not missing, f"{len(missing)} acknowledged check-ins lost"
        for entry_id in acknowledged:
            entry, stored = sent[entry_id], entries_store.get_entry(db, rows[entry_id][3], entry_id)
            assert (stored["date"], stored["anxiety"], stored["note"]) == (
                entry["date"], entry["anxiety"], entry["note"])
    finally:
        db.close()
    return len(acknowledged)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=200)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        acknowledged, sent, path = run_cycles(Path(folder), args.cycles, clients=args.clients)
        count = check(acknowledged, sent, path)
    print(f"{args.cycles} SIGKILL cycles, {args.clients} clients, {time.perf_counter() - started:.0f} s: "
          f"{count} acknowledged check-ins, 0 lost, 0 duplicated, integrity_check ok")


if __name__ == "__main__":
    main()
