"""No input makes the app answer 500: every route, every method, hostile bodies."""
import re

import pytest

GARBAGE_PATH_VALUES = ["0", "-1", "999999999999999999999", "x" * 300, "%00", "..%2F..%2Fetc", "ü"]
FORMS = [
    {},
    {"date": "", "anxiety": "", "note": "", "triggers": ""},
    {"date": "0000-00-00", "anxiety": "1e308", "triggers": [",,,", "  "], "private": "maybe"},
    {"date": "2026-02-30", "anxiety": "NaN", "dose_mg": "inf", "treatment": "<script>", "side_effects": ""},
    {"anxiety": "--5", "anxiety_before": "²", "anxiety_after": "9" * 5000, "dose_mg": "1" * 5000},
    {"email": "x" * 5000, "password": "\x00" * 50, "role": "admin", "timezone": "../../etc/passwd"},
    {"email": "a@b.co", "password": "long enough", "role": "patient", "display_name": "A", "timezone": "Europe"},
    {"display_name": "A", "timezone": "a" * 300, "into": "²", "name": "x"},
    {"name": "\u202e" * 50, "into": "9" * 30, "current_password": "", "new_password": "a", "confirm_password": "b"},
]
BODIES = [
    {"json": None, "data": b"\xff\xfe\x00 not utf-8", "content_type": "application/json"},
    {"data": b"{\"anxiety\": 5", "content_type": "application/json"},
    {"json": []},
    {"json": "a string"},
    {"json": 12},
    {"json": {"date": None, "anxiety": None, "triggers": None, "note": None, "private": None}},
    {"json": {"date": ["2026-01-01"], "anxiety": {"$gt": 1}, "triggers": [1, None, {}], "note": 5}},
    {"json": {"id": "not-a-uuid", "anxiety": 10 ** 400, "dose_mg": 1e400, "side_effects": "nausea"}},
    {"json": {"treatment": None, "anxiety_before": -0.0, "anxiety_after": "10", "reflection": []}},
    {"data": '{"date": "2024-01-01", "anxiety": 3, "note": "\\ud800", "triggers": ["\\udfff"],'
             ' "reflection": "\\ud800", "treatment": "other", "anxiety_before": 1, "anxiety_after": 1}',
     "content_type": "application/json"},
    {"data": "anxiety=5&date=2026-01-01", "content_type": "application/x-www-form-urlencoded"},
    {"data": b"--x\r\nbroken multipart", "content_type": "multipart/form-data; boundary=x"},
]
QUERIES = ["from=2026-13-45", "to=%ff", "trigger=" + "t" * 500, "limit=-5&offset=abc", "page=-3",
           "page=99999999999999999999", "offset=99999999999999999999", "from=2026-01-01&from=garbage", "next=//evil.example"]


def concrete_paths(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "auth.logout"):  # logout takes no input, and ends the test's login
            continue
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        if not rule.arguments:
            yield rule.rule, methods
            continue
        for value in GARBAGE_PATH_VALUES:
            path = rule.rule
            for name in rule.arguments:
                path = re.sub(rf"<(?:[^:>]+:)?{name}>", value, path)
            yield path, methods


@pytest.fixture(params=["anonymous", "patient", "provider"])
def any_client(request, client, auth):
    if request.param != "anonymous":
        auth.register(email=f"{request.param}@example.com", role=request.param)
    return client


def test_no_route_answers_500_to_hostile_forms_or_queries(app, any_client):
    for path, methods in concrete_paths(app):
        for method in methods:
            if method == "GET":
                for query in QUERIES:
                    response = any_client.get(f"{path}?{query}")
                    assert response.status_code < 500, f"GET {path}?{query}"
                    response.get_data()  # a streamed download's body too: an error mid-stream is a failure
                    response.close()
            else:
                for form in FORMS:
                    response = any_client.open(path, method=method, data=form)
                    assert response.status_code < 500, f"{method} {path} {form}"


def test_no_api_route_answers_500_to_hostile_bodies(app, client, auth):
    auth.register()
    for path, methods in concrete_paths(app):
        if not path.startswith("/api/"):
            continue
        for method in methods:
            if method == "GET":
                continue
            for body in BODIES:
                response = client.open(path, method=method, **body)
                assert response.status_code < 500, f"{method} {path} {body}"
                assert response.is_json, f"{method} {path} answered {response.mimetype}"
                assert set(response.get_json()) <= {"errors", "id", "date", "anxiety", "triggers", "note",
                                                    "private", "created_at", "updated_at", "treatment",
                                                    "dose_mg", "anxiety_before", "anxiety_after",
                                                    "side_effects", "reflection"}


@pytest.fixture
def busy_database(app):
    """Another process holds the write lock, and the app waits for it 50 ms instead of 5 s."""
    import sqlite3

    from diary.db import get_db
    with app.app_context():
        get_db().execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(app.config["DATABASE"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield lambda: other.execute("ROLLBACK")
    if other.in_transaction:
        other.execute("ROLLBACK")
    other.close()


def test_a_write_that_finds_the_database_busy_is_a_503_and_changes_nothing(app, patient, busy_database, caplog):
    response = patient.post("/api/v1/entries", json={"date": "2026-01-01", "anxiety": 4, "note": "later"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.get_json() == {"errors": {"request": [
        "The diary is busy right now. Nothing was saved: try again in a moment."]}}
    page = patient.post("/", data={"date": "2026-01-01", "anxiety": "4", "note": "later"})
    assert page.status_code == 503 and "Nothing was saved" in page.get_data(as_text=True)
    assert not [r for r in caplog.records if r.exc_info]  # a busy moment, not a bug: no traceback


def test_after_the_busy_moment_the_same_write_goes_through(app, patient, busy_database):
    payload = {"id": "6f1c8f2e-3b1a-4c55-9a57-1f0d2c3b4a59", "date": "2026-01-01", "anxiety": 4}
    assert patient.post("/api/v1/entries", json=payload).status_code == 503
    assert patient.get("/api/v1/entries").get_json()["entries"] == []
    busy_database()  # the other process is done
    assert patient.post("/api/v1/entries", json=payload).status_code == 201
    assert [e["id"] for e in patient.get("/api/v1/entries").get_json()["entries"]] == [payload["id"]]
