"""Browser-test helpers (fixtures live in conftest.py): the Chromium to drive, and a real gunicorn
serving a temp SQLite file."""
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("DIARY_CHROMIUM", "/usr/bin/chromium")
# Flags from this workplace's notes: no sandbox as root, and no background calls home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn_server(tmp, seed_demo=False):
    """gunicorn (2 workers, as in `make run`) on a free port over a new database in ``tmp``;
    yields (base URL, what `flask seed-demo` printed, or "" without ``seed_demo``)."""
    env = {**os.environ, "DIARY_DATABASE": str(tmp / "diary.sqlite3"), "DIARY_INSTANCE_PATH": str(tmp),
           "DIARY_SECURE_COOKIES": "0",
           # Every browser test registers from 127.0.0.1 on this one server: the per-address
           # limits (tests/test_limits.py) would stop the suite at 50 registrations an hour.
           "DIARY_LIMITS_PER_ADDRESS": "0",
           # Reminders: the browser tests' stand-in push subscriptions point at 127.0.0.1.
           "DIARY_PUSH_LOOPBACK": "1", "DIARY_PROVIDER_SIGNUP": "open"}
    bin_dir = Path(sys.executable).parent
    subprocess.run([bin_dir / "flask", "--app", "diary", "init-db"], cwd=REPO, env=env, check=True,
                   capture_output=True)
    seeded = ""
    if seed_demo:
        seeded = subprocess.run([bin_dir / "flask", "--app", "diary", "seed-demo"], cwd=REPO, env=env,
                                check=True, capture_output=True, text=True).stdout
    port = free_port()
    log = open(tmp / "gunicorn.log", "w")
    server = subprocess.Popen(
        [bin_dir / "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2", "wsgi:app"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/login", timeout=1)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("gunicorn did not start: " + (tmp / "gunicorn.log").read_text())
            time.sleep(0.2)
    try:
        yield url, seeded
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
