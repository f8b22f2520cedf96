"""Start a real gunicorn on a temp database for benchmarks, and a logged-in HTTP client for it."""
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(workers=2, database=None, app="wsgi:app", log=None):
    """Serve ``app`` with gunicorn (the project's gunicorn.conf.py) on a free port; yields (host,
    port, env). ``app="bench.reference:app"`` serves the write benchmark's yardstick instead.
    ``log``: a file path that gets the server's stdout and stderr (tracebacks, "database is
    locked"); by default they are discarded. A given ``database`` is served with the instance
    folder beside it (the benchmarks seed it there): its master key and key store open its words."""
    with tempfile.TemporaryDirectory() as tmp:
        instance = os.path.dirname(os.path.abspath(database)) if database else tmp
        env = {**os.environ, "DIARY_DATABASE": database or os.path.join(tmp, "bench.sqlite3"),
               "DIARY_INSTANCE_PATH": instance, "DIARY_SECURE_COOKIES": "0", "DIARY_PROVIDER_SIGNUP": "open",
               "REFERENCE_DATABASE": os.path.join(tmp, "reference.sqlite3"),
               "DIARY_LIMITS_PER_ADDRESS": "0"}  # every benchmark client comes from 127.0.0.1
        subprocess.run([BIN / "flask", "--app", "diary", "init-db"], cwd=REPO, env=env, check=True,
                       capture_output=True)
        port = _free_port()
        output = open(log, "ab") if log else subprocess.DEVNULL
        server = subprocess.Popen(
            [BIN / "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers), app],
            cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
        )
        try:
            for _ in range(150):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            yield "127.0.0.1", port, env
        finally:
            server.terminate()
            server.wait(timeout=10)
            if log:
                output.close()


class Client:
    """A keep-alive HTTP client holding its cookies (the session's, the language's) and its CSRF token."""

    def __init__(self, host, port):
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies = {}
        self.csrf = ""

    @property
    def cookie(self):
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method, path, body=None, content_type=None):
        headers = {"Cookie": self.cookie, "X-CSRFToken": self.csrf}
        if content_type:
            headers["Content-Type"] = content_type
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for cookie in response.headers.get_all("Set-Cookie") or ():
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name] = value
        return response.status, data

    def post_json(self, path, payload):
        return self.request("POST", path, json.dumps(payload), "application/json")

    def submit(self, path, fields):
        """Post a form the way a browser would: the page's CSRF token first, then the fields."""
        page = self.request("GET", path)[1]
        self.csrf = csrf_token(page)
        form = urllib.parse.urlencode({**fields, "csrf_token": self.csrf})
        status, _ = self.request("POST", path, form, "application/x-www-form-urlencoded")
        assert status == 302, f"POST {path} answered {status}"
        # A login (registering logs in) rotates the CSRF token: take the new one for JSON writes.
        status, body = self.request("GET", "/api/v1/csrf-token")
        if status == 200:
            self.csrf = json.loads(body)["csrf_token"]
        return self

    def register(self, email, password="benchmark password"):
        return self.submit("/register", {"email": email, "password": password, "role": "patient",
                                         "display_name": "Bench", "timezone": "UTC"})

    def login(self, email, password):
        return self.submit("/login", {"email": email, "password": password})


def csrf_token(page):
    """The value of a page's <meta name="csrf-token">."""
    return re.search(rb'name="csrf-token" content="([^"]+)"', page).group(1).decode()


@contextmanager
def temp_app():
    """The app on a migrated temporary SQLite file, for in-process timing: yields (app, database)."""
    from diary import create_app
    from diary.db import close_db, get_db, migrate
    with tempfile.TemporaryDirectory() as tmp:
        database = os.path.join(tmp, "bench.sqlite3")
        os.environ["DIARY_INSTANCE_PATH"] = tmp
        app = create_app({"DATABASE": database, "SECRET_KEY": "bench", "SESSION_COOKIE_SECURE": False})
        with app.app_context():
            migrate(get_db())
        try:
            yield app, database
        finally:
            close_db(database)


def logged_in(app, email, password, totp_secret=None):
    """A Flask test client logged in through the real form (and its second step, for an account
    with two-factor: pass its ``totp_secret``)."""
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data())
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 302, "login failed"
    if response.headers["Location"] == "/login/two-factor":
        import pyotp
        assert totp_secret, f"{email} has two-factor on: pass its totp_secret"
        response = client.post("/login/two-factor", data={"code": pyotp.TOTP(totp_secret).now(), "csrf_token": token})
        assert response.status_code == 302, "second step failed"
    return client
