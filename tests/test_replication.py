"""Continuous replication with Litestream (docs/OPERATIONS.md), with Litestream's real binary.

The tests marked ``replication`` start the app the way `make run` and production do (scripts/serve:
`litestream replicate -exec gunicorn`) on a temporary folder, replicating to a file:// replica or to
an S3-compatible server (moto's), and lose, restore and drill it. `make check` leaves them to
`make test`. The rest (the serve script's plan, the generated configuration, /healthz without a
Litestream, the SQLite settings) need no binary.
"""
import datetime as dt
import html
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pyotp
import pytest
from helpers import PASSWORD, with_keys

from bench.server import Client
from diary import create_app
from diary.db import LITESTREAM_AUTOCHECKPOINT_PAGES, connect, forget_old_pages, get_db
from diary.replication import litestream

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SERVE = [str(BIN / "python"), str(REPO / "scripts" / "serve")]
EMAIL = "pat@example.com"


def free_port():
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, what, timeout=30.0, every=0.05):
    """Poll ``condition()`` until it returns something true (returned), or fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(every)


class Site:
    """One deployment in a temporary folder: its settings, and the app served with scripts/serve."""

    def __init__(self, folder, replica_url, **env):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.instance = self.folder / "instance"
        self.database = self.instance / "diary.sqlite3"
        self.keys = self.instance / "keys.sqlite3"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DIARY_INSTANCE_PATH": str(self.instance), "DIARY_DATABASE": str(self.database),
                    "DIARY_KEY_STORE": str(self.keys), "DIARY_REPLICA_URL": replica_url or "",
                    "DIARY_SECURE_COOKIES": "0", "DIARY_LIMITS_PER_ADDRESS": "0", "DIARY_PROVIDER_SIGNUP": "open",
                    "HOST": "127.0.0.1", "PORT": str(self.port), "WORKERS": "2", **env}
        self.server = None
        self.log = self.folder / "serve.log"

    @property
    def socket(self):
        return litestream.socket_path(str(self.database))

    def start(self):
        """scripts/serve in a process group of its own; returns when /healthz answers."""
        output = open(self.log, "a")
        self.server = subprocess.Popen(SERVE, cwd=REPO, env=self.env, stdout=output, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        output.close()

        def answering():
            if self.server.poll() is not None:
                pytest.fail(f"scripts/serve stopped ({self.server.returncode}):\n{self.log.read_text()[-3000:]}")
            try:
                return urllib.request.urlopen(self.url + "/healthz", timeout=2).status == 200
            except OSError:  # not listening yet, or a 503
                return False
        wait_for(answering, "the app to answer", timeout=60)
        return self

    def kill(self):
        """SIGKILL Litestream and gunicorn (the whole process group): a machine losing power."""
        if self.server is not None and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait(timeout=10)
        self.server = None

    def stop(self):
        """SIGTERM to Litestream, which passes it to gunicorn, then ships what is pending and exits."""
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait(timeout=10)
        self.server = None

    def sync(self):
        """`litestream sync -wait`: returns once the replica holds every write made so far."""
        for path in (self.database, self.keys):
            subprocess.run([litestream.binary(), "sync", "-wait", "-socket", self.socket, str(path)],
                           env=litestream.environment(), check=True, capture_output=True, timeout=60)

    def lose_files(self):
        """The database, the key store, their -wal and -shm and Litestream's local state, gone (a new
        disk); instance/'s keys and secrets are kept, as docs/OPERATIONS.md asks."""
        for path in (self.database, self.keys):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            shutil.rmtree(path.parent / f".{path.name}-litestream", ignore_errors=True)
        assert not self.database.exists()

    def flask(self, *arguments, check=False):
        return subprocess.run([str(BIN / "flask"), "--app", "diary", *arguments], cwd=REPO, env=self.env,
                              capture_output=True, text=True, timeout=120, check=check)

    def health(self):
        try:
            response = urllib.request.urlopen(self.url + "/healthz", timeout=5)
            return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.kill()


def patient(site, email=EMAIL):
    client = Client("127.0.0.1", site.port)
    client.register(email, PASSWORD)
    return client


def check_in(client, note="", **fields):
    entry = {"id": str(uuid.uuid4()), "date": dt.date.today().isoformat(), "anxiety": 4, "note": note,
             "triggers": ["work"], **fields}
    status, body = client.post_json("/api/v1/entries", entry)
    assert status == 201, body
    return entry


def entries(client):
    status, body = client.request("GET", "/api/v1/entries?limit=200")
    assert status == 200, body
    return {row["id"]: row for row in json.loads(body)["entries"]}


def drill_line(result):
    """The drill's one line (the app may log a warning of its own on stderr before it)."""
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("Restore drill")]
    assert len(lines) == 1, result.stdout + result.stderr
    return lines[0]


def restore_copy(site, out, timestamp=None):
    """The database as the replica holds it (at ``timestamp``), restored to ``out``: its entry ids."""
    config = str(site.folder / "restore.yml")
    site.flask("litestream-config", "--output", config, check=True)
    arguments = litestream.restore_arguments(config, str(site.database), output=str(out), timestamp=timestamp)
    subprocess.run([litestream.binary(), *arguments], env=litestream.environment(), check=True, capture_output=True)
    with sqlite3.connect(out) as conn:
        return {row[0] for row in conn.execute("SELECT id FROM entries")}


# --- the real binary ---------------------------------------------------------------------------------

@pytest.mark.replication
def test_every_acknowledged_check_in_is_restored_on_start_after_losing_the_disk(tmp_path):
    replica = tmp_path / "replica"
    with Site(tmp_path / "site", f"file://{replica}") as site:
        site.start()
        client = patient(site)
        written = [check_in(client, note=f"note {n}", anxiety=n % 11) for n in range(12)]
        site.sync()
        site.kill()
        site.lose_files()

        site.start()  # restores both files from the replica before init-db and gunicorn
        client = Client("127.0.0.1", site.port).login(EMAIL, PASSWORD)
        found = entries(client)
        assert set(found) == {entry["id"] for entry in written}
        assert {found[entry["id"]]["note"] for entry in written} == {entry["note"] for entry in written}
        log = site.log.read_text()
        assert log.count("replicating to") == 4  # two files, two starts
        assert (replica / "database").is_dir() and (replica / "keys").is_dir()


@pytest.mark.replication
def test_point_in_time_restore_brings_back_a_deleted_check_in(tmp_path):
    with Site(tmp_path / "site", f"file://{tmp_path / 'replica'}") as site:
        site.start()
        client = patient(site)
        kept, deleted = check_in(client), check_in(client, note="to be deleted")
        site.sync()
        before_deletion = dt.datetime.now(dt.timezone.utc)
        # Litestream dates each transaction it ships to the millisecond: be clear of that moment.
        wait_for(lambda: dt.datetime.now(dt.timezone.utc) > before_deletion + dt.timedelta(milliseconds=20),
                 "a moment later", every=0.005)
        status, _ = client.request("DELETE", f"/api/v1/entries/{deleted['id']}")
        assert status == 204
        site.sync()
        at = before_deletion.isoformat(timespec="milliseconds").replace("+00:00", "Z")

        assert restore_copy(site, tmp_path / "then.sqlite3", timestamp=at) == {kept["id"], deleted["id"]}
        assert restore_copy(site, tmp_path / "now.sqlite3") == {kept["id"]}
        drill = site.flask("restore-drill", "--at", at)
        assert drill.returncode == 0, drill.stderr
        assert drill_line(drill).startswith(f"Restore drill passed: at {at[:19]}")
        assert len(drill.stdout.strip().splitlines()) == 1


@pytest.mark.replication
def test_the_drill_passes_then_fails_on_a_replica_behind_missing_or_corrupt(tmp_path):
    replica = tmp_path / "replica"
    with Site(tmp_path / "site", f"file://{replica}") as site:
        site.start()
        client = patient(site)
        for n in range(3):
            check_in(client, note=f"note {n}")
        drill = site.flask("restore-drill")  # while serving: Litestream ships what is pending first
        assert drill.returncode == 0, drill.stderr
        lines = drill.stdout.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Restore drill passed: latest replica")
        assert "integrity ok" in lines[0] and "3 check-ins and 1 accounts as live" in lines[0]
        assert "the newest note opens" in lines[0]

        # A server given another master key: the restored words don't open.
        site.env["DIARY_MASTER_KEY"] = "ab" * 32
        drill = site.flask("restore-drill")
        assert drill.returncode == 1
        assert drill_line(drill).startswith("Restore drill FAILED: the restored key store doesn't open every account's words")
        del site.env["DIARY_MASTER_KEY"]
        site.stop()

        # Written while Litestream isn't running: the replica is behind the live database.
        made = site.flask("create-user", "--email", "late@example.com", "--role", "patient",
                          "--display-name", "Late", "--password", PASSWORD)
        assert made.returncode == 0, made.stderr
        drill = site.flask("restore-drill")
        assert drill.returncode == 1
        assert drill_line(drill).startswith("Restore drill FAILED: the replica is behind or wrong: users")

        # No replica at all.
        missing = site.flask("restore-drill", "--at", "2020-01-01T00:00:00Z")
        assert missing.returncode == 1 and drill_line(missing).startswith("Restore drill FAILED")
        site.env["DIARY_REPLICA_URL"] = f"file://{tmp_path / 'nothing-here'}"
        drill = site.flask("restore-drill")
        assert drill.returncode == 1
        assert drill_line(drill).startswith("Restore drill FAILED: the database replica at file://")

        # Every file of the replica damaged in the middle.
        site.env["DIARY_REPLICA_URL"] = f"file://{replica}"
        for path in (replica / "database").rglob("*.ltx"):
            data = bytearray(path.read_bytes())
            middle = len(data) // 2
            data[middle:middle + 64] = bytes(64)
            path.write_bytes(bytes(data))
        drill = site.flask("restore-drill")
        assert drill.returncode == 1
        assert drill_line(drill).startswith("Restore drill FAILED: the database replica")


@pytest.mark.replication
def test_healthz_reports_the_replica_and_503_once_it_falls_behind(tmp_path):
    replica = tmp_path / "replica"
    with Site(tmp_path / "site", f"file://{replica}", DIARY_REPLICA_MAX_LAG="2") as site:
        site.start()
        client = patient(site)
        check_in(client)
        status, body = site.health()
        assert status == 200
        assert body["replication"]["state"] == "ok" and body["replication"]["lag_seconds"] <= 2
        assert body["replication"]["max_lag_seconds"] == 2

        # The replica becomes unwritable (a file where its folder was): Litestream can't ship the next write.
        # (Moved aside in one step: Litestream may be writing into it, and removing it file by file
        # raced that, "Directory not empty".)
        replica.rename(tmp_path / "replica-gone")
        replica.write_text("not a folder")
        check_in(client)
        status, body = wait_for(lambda: (lambda s, b: (s, b) if s == 503 else None)(*site.health()),
                                "/healthz to report the replica behind", timeout=30)
        assert body["status"] == "degraded" and body["database"] == "ok"
        assert body["replication"]["state"] == "behind" and body["replication"]["lag_seconds"] > 2


@pytest.mark.replication
def test_deleting_an_account_under_litestream_never_holds_up_other_writers(tmp_path):
    """forget_old_pages' TRUNCATE checkpoint can't succeed beside Litestream's read transaction: under
    replication it is skipped, so neither the deletion nor a check-in written meanwhile waits."""
    with Site(tmp_path / "site", f"file://{tmp_path / 'replica'}") as site:
        site.start()
        leaving = patient(site, "leaving@example.com")
        patient(site, "staying@example.com")
        check_in(leaving, note="gone soon")
        site.sync()
        failures, slowest = [], []
        done = threading.Event()

        writer = Client("127.0.0.1", site.port).login("staying@example.com", PASSWORD)

        def keep_writing():
            while not done.is_set():
                started = time.perf_counter()
                status, body = writer.post_json("/api/v1/entries", {
                    "id": str(uuid.uuid4()), "date": dt.date.today().isoformat(), "anxiety": 3, "triggers": []})
                slowest.append(time.perf_counter() - started)
                if status != 201:
                    failures.append((status, body))

        thread = threading.Thread(target=keep_writing)
        thread.start()
        try:
            wait_for(lambda: len(slowest) >= 5, "the other patient's first check-ins")
            started = time.perf_counter()
            leaving.submit("/account/delete", {"password": PASSWORD, "confirmation": "delete"})
            took = time.perf_counter() - started
            written = len(slowest)
            wait_for(lambda: len(slowest) >= written + 5, "check-ins after the deletion")
        finally:
            done.set()
            thread.join()
        assert failures == []
        assert took < 3 and max(slowest) < 3  # the busy timeout is 5 s
        assert "database is locked" not in site.log.read_text()


def restore_key_store(site, out):
    """The key store as its replica holds it now (it is only ever restored at its latest state)."""
    config = str(site.folder / "restore.yml")
    site.flask("litestream-config", "--output", config, check=True)
    arguments = litestream.restore_arguments(config, str(site.keys), output=str(out))
    subprocess.run([litestream.binary(), *arguments], env=litestream.environment(), check=True, capture_output=True)


# Words used nowhere else, in each kind of field that holds a patient's words; the display name is
# stored plain (it is how a clinician knows whose diary it is), which shows the search can see text.
WORDS = {"note": "Quillfeather lighthouse dream", "trigger": "Zanzibarcommute",
         "reflection": "Marmalade infusion reflection", "plan": "Auntie Wobblesworth"}
PLAIN_NAME = "Pat Quokkafield"


@pytest.mark.replication
def test_a_replica_holds_none_of_the_words_and_after_a_deletion_none_of_them_opens(tmp_path):
    """The replica, restored to a plain SQLite file, holds no word a patient wrote. Restored to a
    moment before the patient deleted their account, it still holds their sealed rows, but the key
    store (restored, as always, at its latest state) no longer holds the key that opened them."""
    from diary.security.fields import MasterKeys, Unreadable
    from diary.store import entries as entries_store
    from diary.store import keys as keys_store
    from diary.store import mfa as mfa_store
    from diary.store import safety as safety_store
    from diary.store import sessions as sessions_store

    with Site(tmp_path / "site", f"file://{tmp_path / 'replica'}") as site:
        site.start()
        client = Client("127.0.0.1", site.port).submit("/register", {
            "email": EMAIL, "password": PASSWORD, "role": "patient", "display_name": PLAIN_NAME, "timezone": "UTC"})
        check_in(client, note=WORDS["note"], triggers=[WORDS["trigger"]])
        status, body = client.post_json("/api/v1/sessions", {
            "date": dt.date.today().isoformat(), "treatment": "iv_ketamine", "anxiety_before": 7, "anxiety_after": 3,
            "reflection": WORDS["reflection"]})
        assert status == 201, body
        status, body = client.request("PUT", "/api/v1/safety-plan", json.dumps({
            "warning_signs": "", "coping_strategies": "", "distractions": "", "people_to_ask": WORDS["plan"],
            "professionals": "", "safer_environment": "", "reasons_for_living": ""}), "application/json")
        assert status == 200, body
        # Two-factor on, through the enrolment page and a code of the secret it shows.
        page = html.unescape(client.request("GET", "/account/two-factor")[1].decode())
        secret = re.search(r"otpauth://totp/[^\s<\"]*[?&]secret=([A-Z2-7]+)", page).group(1)
        status, _ = client.request("POST", "/account/two-factor/confirm", urllib.parse.urlencode({
            "code": pyotp.TOTP(secret).now(), "password": PASSWORD, "csrf_token": client.csrf}),
            "application/x-www-form-urlencoded")
        assert status == 200
        client.csrf = json.loads(client.request("GET", "/api/v1/csrf-token")[1])["csrf_token"]  # a new session
        patient_id = json.loads(client.request("GET", "/api/v1/me")[1])["id"]
        site.sync()
        before_deletion = dt.datetime.now(dt.timezone.utc)
        wait_for(lambda: dt.datetime.now(dt.timezone.utc) > before_deletion + dt.timedelta(milliseconds=20),
                 "a moment later", every=0.005)
        status, _ = client.request("POST", "/account/delete", urllib.parse.urlencode({
            "password": PASSWORD, "confirmation": "delete", "csrf_token": client.csrf}),
            "application/x-www-form-urlencoded")
        assert status == 302
        site.sync()
        at = before_deletion.isoformat(timespec="milliseconds").replace("+00:00", "Z")

        then = tmp_path / "then.sqlite3"
        restore_copy(site, then, timestamp=at)
        data = then.read_bytes()
        assert PLAIN_NAME.encode() in data  # the search sees what is stored plain...
        assert [word for word in [*WORDS.values(), secret] if word.encode() in data or word.lower().encode() in data] == []
        keys_now = tmp_path / "keys-now.sqlite3"
        restore_key_store(site, keys_now)
        master = MasterKeys.from_text((site.instance / "master_key").read_text())
        old = with_keys(connect(str(then)), keys_now, master)
        try:
            assert old.execute("SELECT count(*) FROM entries WHERE user_id = ?", [patient_id]).fetchone()[0] == 1
            assert isinstance(keys_store.reader(old, patient_id), keys_store.MissingKey)
            for read in (entries_store.list_entries, sessions_store.list_sessions, safety_store.get_plan,
                         mfa_store.get_secret):
                with pytest.raises(Unreadable):
                    read(old, patient_id)
        finally:
            old.close()


@pytest.mark.replication
def test_s3_replica_restores_and_drills_through_an_s3_compatible_server(tmp_path):
    """moto's S3 server stands in for S3. Litestream 0.5 can't run with AWS_CA_BUNDLE set (this
    machine sets it): scripts/serve and the drill run it without (docs/OPERATIONS.md)."""
    boto3 = pytest.importorskip("boto3")
    from moto.server import ThreadedMotoServer
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    credentials = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1"}
    try:
        endpoint = f"http://127.0.0.1:{port}"
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                     aws_secret_access_key="testing").create_bucket(Bucket="diary-replica")
        url = f"s3://diary-replica/clinic?endpoint={endpoint}&forcePathStyle=true"
        with Site(tmp_path / "site", url, DIARY_REPLICA_MAX_LAG="2", **credentials) as site:
            site.start()
            client = patient(site)
            written = {check_in(client)["id"] for _ in range(5)}
            site.sync()
            site.kill()
            site.lose_files()
            site.start()
            assert set(entries(Client("127.0.0.1", site.port).login(EMAIL, PASSWORD))) == written
            drill = site.flask("restore-drill")
            assert drill.returncode == 0, drill.stderr
            assert "5 check-ins" in drill.stdout

            server.stop()  # the replica is unreachable from now on
            client = Client("127.0.0.1", site.port).login(EMAIL, PASSWORD)
            check_in(client)
            status, body = wait_for(lambda: (lambda s, b: (s, b) if s == 503 else None)(*site.health()),
                                    "/healthz to report the unreachable replica", timeout=30)
            assert body["replication"]["state"] == "behind"
    finally:
        server.stop()


# --- no binary needed -----------------------------------------------------------------------------------

def serve_plan(tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DIARY_")}
    environment.update({"DIARY_INSTANCE_PATH": str(tmp_path), **env})
    done = subprocess.run([*SERVE, "--dry-run"], cwd=REPO, env=environment, capture_output=True, text=True,
                          check=True, timeout=60)
    return done.stdout.splitlines()


def test_make_run_without_a_replica_url_starts_no_litestream(tmp_path):
    assert serve_plan(tmp_path) == [f"{BIN / 'flask'} --app diary init-db",
                                    f"{BIN / 'gunicorn'} --access-logfile - wsgi:app"]
    assert "$(RUN_ENV) $(SERVE)\n" in (REPO / "Makefile").read_text()


def test_with_a_replica_url_serve_restores_before_it_migrates_then_replicates(tmp_path):
    plan = serve_plan(tmp_path, DIARY_REPLICA_URL="file:///mnt/backup/diary")
    config = tmp_path / "litestream.yml"
    assert plan[0] == f"{BIN / 'flask'} --app diary litestream-config --output {config}"
    restores = plan[1:3]
    for line, path in zip(restores, ("diary.sqlite3", "keys.sqlite3")):
        assert line.split()[1:] == ["restore", "-config", str(config), "-if-replica-exists", "-if-db-not-exists",
                                    str(tmp_path / path)]
    assert plan[3] == f"{BIN / 'flask'} --app diary init-db"  # never an empty database before the restores
    assert plan[4].split()[1:5] == ["replicate", "-config", str(config), "-exec"]
    assert plan[4].endswith(f"'{BIN / 'gunicorn'} --access-logfile - wsgi:app'")
    assert len(plan) == 5


def test_litestream_config_names_both_files_each_with_its_own_replica(runner, app):
    app.config["REPLICA_URL"] = "s3://bucket/diary?endpoint=http://127.0.0.1:9000&forcePathStyle=true"
    result = runner.invoke(args=["litestream-config"])
    assert result.exit_code == 0, result.output
    config = json.loads(result.output)
    assert config["socket"] == {"enabled": True, "path": litestream.socket_path(app.config["DATABASE"])}
    assert [(db["path"], db["replica"]["url"]) for db in config["dbs"]] == [
        (os.path.abspath(app.config["DATABASE"]),
         "s3://bucket/diary/database?endpoint=http://127.0.0.1:9000&forcePathStyle=true"),
        (os.path.abspath(app.config["KEY_STORE"]),
         "s3://bucket/diary/keys?endpoint=http://127.0.0.1:9000&forcePathStyle=true"),
    ]
    assert all(db["replica"]["sync-interval"] == "1s" for db in config["dbs"])


def test_litestream_config_without_a_replica_url_says_so(runner, app):
    app.config["REPLICA_URL"] = None
    result = runner.invoke(args=["litestream-config"])
    assert result.exit_code != 0 and "DIARY_REPLICA_URL is not set" in result.output


@pytest.mark.parametrize("url", ["/mnt/backup", "file://relative/path", "file:relative"])
def test_a_replica_url_litestream_cannot_use_is_refused(url):
    with pytest.raises(ValueError):
        litestream.replica_url(url, "database")


def test_a_long_folder_gets_a_socket_path_unix_sockets_accept(tmp_path):
    deep = tmp_path / ("x" * 120) / "diary.sqlite3"
    assert len(litestream.socket_path(str(deep)).encode()) <= 100
    assert litestream.socket_path(str(deep)) == litestream.socket_path(str(deep))


def test_healthz_without_litestream_answering_is_503_unknown(tmp_path, app):
    app.config["REPLICA_URL"] = f"file://{tmp_path / 'replica'}"
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "degraded" and body["database"] == "ok"
    assert body["replication"]["state"] == "unknown" and body["replication"]["lag_seconds"] is None
    assert "no answer from Litestream" in body["replication"]["problem"]


def test_healthz_without_replication_says_nothing_of_it(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok" and "replication" not in response.get_json()


def test_under_replication_the_app_leaves_checkpoints_to_litestream(tmp_path, monkeypatch, migrated_database):
    monkeypatch.setenv("DIARY_INSTANCE_PATH", str(tmp_path / "instance"))
    path = str(tmp_path / "diary.sqlite3")
    shutil.copy2(migrated_database, path)
    app = create_app({"TESTING": True, "DATABASE": path, "REPLICA_URL": f"file://{tmp_path / 'replica'}"})
    with app.app_context():
        db = get_db()
        assert db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == LITESTREAM_AUTOCHECKPOINT_PAGES
        reader = sqlite3.connect(path)  # a reader holding a snapshot, as Litestream does
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM users").fetchone()
        started = time.perf_counter()
        assert forget_old_pages(db) is False
        assert time.perf_counter() - started < 0.5  # no wait for the busy timeout
        reader.rollback()
        reader.close()
    plain = create_app({"TESTING": True, "DATABASE": str(tmp_path / "other.sqlite3")})
    with plain.app_context():
        assert get_db().execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
