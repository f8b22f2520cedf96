"""GET /healthz: for load balancers and the benchmarks, the database answers (or 503)."""
import os

from diary import create_app


def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "keys": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers  # no session for a probe


def test_healthz_is_503_when_the_database_cannot_answer(tmp_path, monkeypatch):
    monkeypatch.setenv("DIARY_INSTANCE_PATH", str(tmp_path / "instance"))
    folder = tmp_path / "not-a-database"
    folder.mkdir()
    app = create_app({"TESTING": True, "DATABASE": str(folder)})  # a directory: SQLite can't open it
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unavailable"}


def test_healthz_is_503_when_the_schema_is_not_migrated(tmp_path, monkeypatch):
    monkeypatch.setenv("DIARY_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "empty.sqlite3")})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "not migrated: run flask --app diary init-db"
    assert os.path.exists(tmp_path / "empty.sqlite3")
