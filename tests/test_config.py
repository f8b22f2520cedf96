"""Configuration from the environment: secret key, database path, cookie flags, body limit."""
import stat

import pytest
from helpers import FAST_HASHING, SESSION_COOKIE, AuthActions, DiaryClient

from diary import create_app
from diary.db import close_db, get_db, migrate


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """A clean environment whose instance folder lives in tmp_path."""
    for name in ("DIARY_SECRET_KEY", "DIARY_DATABASE", "DIARY_SECURE_COOKIES"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "instance"
    monkeypatch.setenv("DIARY_INSTANCE_PATH", str(path))
    return path


@pytest.fixture
def make_app(instance):
    """create_app() as a deployment would call it (no DATABASE or SECRET_KEY overrides)."""
    opened = []

    def make():
        app = create_app({"TESTING": True, **FAST_HASHING})
        app.test_client_class = DiaryClient
        with app.app_context():
            migrate(get_db())
        opened.append(app.config["DATABASE"])
        return app

    yield make
    for path in opened:
        close_db(path)


def session_cookie_header(app):
    """The Set-Cookie header of a real login."""
    client = app.test_client()
    response = AuthActions(client).register()
    name = app.config["SESSION_COOKIE_NAME"]
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert client.get("/api/v1/me").status_code == 200
    return [part.strip() for part in header.split(";")]


# --- secret key -------------------------------------------------------------------

def test_secret_key_generated_once_and_reused(make_app, instance):
    first = make_app()
    key_file = instance / "secret_key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.secret_key == key_file.read_text().strip()
    assert len(first.secret_key) == 64
    assert [p.name for p in instance.iterdir() if p.name.startswith(".secret_key")] == []

    second = make_app()
    assert second.secret_key == first.secret_key


def test_session_survives_a_restart_with_the_generated_key(make_app):
    first = make_app()
    client = first.test_client()
    AuthActions(client).register()
    cookie = client.get_cookie(SESSION_COOKIE).value

    restarted = make_app().test_client()
    restarted.set_cookie(SESSION_COOKIE, cookie)
    response = restarted.get("/api/v1/me")
    assert response.status_code == 200
    assert response.get_json()["email"] == "pat@example.com"


def test_environment_secret_key_wins(make_app, instance, monkeypatch):
    (instance).mkdir(parents=True)
    (instance / "secret_key").write_text("from-the-file")
    monkeypatch.setenv("DIARY_SECRET_KEY", "from-the-environment")
    app = make_app()
    assert app.secret_key == "from-the-environment"
    assert (instance / "secret_key").read_text() == "from-the-file"


def test_environment_secret_key_writes_no_file(make_app, instance, monkeypatch):
    monkeypatch.setenv("DIARY_SECRET_KEY", "from-the-environment")
    assert make_app().secret_key == "from-the-environment"
    assert not (instance / "secret_key").exists()


# --- database ---------------------------------------------------------------------

def test_database_defaults_to_instance_folder(make_app, instance):
    app = make_app()
    assert app.config["DATABASE"] == str(instance / "diary.sqlite3")
    assert (instance / "diary.sqlite3").exists()


def test_diary_database_is_honoured(make_app, instance, tmp_path, monkeypatch):
    path = tmp_path / "elsewhere" / "custom.sqlite3"
    monkeypatch.setenv("DIARY_DATABASE", str(path))
    app = make_app()
    assert app.config["DATABASE"] == str(path)
    AuthActions(app.test_client()).register()
    assert path.exists()
    assert not (instance / "diary.sqlite3").exists()
    with app.app_context():
        assert get_db().execute("SELECT email FROM users").fetchall() == [("pat@example.com",)]


# --- cookies ----------------------------------------------------------------------

def test_session_cookie_flags_by_default(make_app):
    parts = session_cookie_header(make_app())
    assert "HttpOnly" in parts
    assert "SameSite=Lax" in parts
    assert "Secure" in parts


def test_a_secure_session_cookie_is_host_only_by_its_name(make_app):
    """ASVS 5.0 3.3.1/3.3.3: the __Host- prefix makes browsers refuse it without Secure, with a
    Domain, or with a Path other than /, so no sibling subdomain can plant or overwrite it."""
    parts = session_cookie_header(make_app())
    assert parts[0].startswith("__Host-diary_session=")
    assert "Path=/" in parts and not any(p.lower().startswith("domain=") for p in parts)


def test_over_plain_http_the_cookie_keeps_its_plain_name(make_app, monkeypatch):
    monkeypatch.setenv("DIARY_SECURE_COOKIES", "0")
    assert session_cookie_header(make_app())[0].startswith("diary_session=")


@pytest.mark.parametrize("value", ["0", "false", "off"])
def test_secure_cookies_can_be_switched_off(make_app, monkeypatch, value):
    monkeypatch.setenv("DIARY_SECURE_COOKIES", value)
    parts = session_cookie_header(make_app())
    assert "Secure" not in parts
    assert "HttpOnly" in parts
    assert "SameSite=Lax" in parts


@pytest.mark.parametrize("value", ["1", "true", ""])
def test_secure_cookies_stay_on(make_app, monkeypatch, value):
    monkeypatch.setenv("DIARY_SECURE_COOKIES", value)
    assert "Secure" in session_cookie_header(make_app())


# --- request size -----------------------------------------------------------------

def test_max_content_length_is_set(make_app):
    app = make_app()
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024


def test_oversized_request_is_refused(make_app):
    app = make_app()
    client = app.test_client()
    AuthActions(client).register()
    note = "x" * (1024 * 1024 + 1)
    response = client.post("/api/v1/entries", json={"date": "2024-03-01", "anxiety": 3, "note": note})
    assert response.status_code == 413
    assert list(response.get_json()["errors"]) == ["body"]
    with app.app_context():
        assert get_db().execute("SELECT count(*) FROM entries").fetchone()[0] == 0
