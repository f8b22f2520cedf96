"""Shared fixtures: an app on its own temp SQLite file per test, a CSRF-aware client, AuthActions.
The plain helpers they use (and the test modules import) are in helpers.py."""
import shutil

import pytest
from helpers import FAST_HASHING, AuthActions, DiaryClient, TotpClock, enrol

from diary import create_app
from diary.db import close_db, connect, get_db, migrate
from diary.security import otp


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """A database file with every migration applied, made once per test run: each test's app starts
    from a copy of it (a file copy instead of ~20 ms of migrations per test)."""
    path = str(tmp_path_factory.mktemp("template") / "diary.sqlite3")
    db = connect(path)
    migrate(db)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def app(tmp_path, monkeypatch, migrated_database):
    monkeypatch.setenv("DIARY_INSTANCE_PATH", str(tmp_path / "instance"))
    db_path = str(tmp_path / "diary.sqlite3")
    shutil.copy2(migrated_database, db_path)  # with its 0600 mode
    copy = connect(db_path)
    # Its own id, as a database made afresh gets (migration m014): results kept in memory
    # (services/memo.py) are filed under it.
    copy.conn.execute("UPDATE database_id SET id = lower(hex(randomblob(16)))")
    copy.close()
    # PUSH_LOOPBACK: reminders go to the suite's own local push service (tests/push_service.py).
    # PROVIDER_SIGNUP open: tests register clinicians as `make run` lets a newcomer (test_signup.py
    # holds the invitation and closed policies).
    app = create_app({"TESTING": True, "DATABASE": db_path, "PUSH_LOOPBACK": True, "PROVIDER_SIGNUP": "open",
                      **FAST_HASHING})
    app.test_client_class = DiaryClient
    with app.app_context():
        migrate(get_db())  # nothing left to apply: the copy is current
    yield app
    close_db(db_path)


@pytest.fixture(autouse=True)
def totp_clock(monkeypatch):
    """The app's TOTP codes go by a clock the test moves (helpers.TotpClock), never by waiting."""
    clock = TotpClock()
    monkeypatch.setattr(otp, "clock", clock)
    return clock


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def patient(client, auth):
    """The client, logged in as a freshly registered patient."""
    auth.register()
    return client


@pytest.fixture
def other_patient(app):
    """A second, separate browser logged in as a different patient."""
    other = app.test_client()
    AuthActions(other).register(email="sam@example.com", display_name="Sam")
    return other


@pytest.fixture
def provider(app):
    """A separate browser logged in as a provider (enrolled in two-factor, as providers must be)."""
    client = app.test_client()
    AuthActions(client).register(email="dr@example.com", role="provider", display_name="Dr. Lee")
    enrol(app, "dr@example.com")
    return client
