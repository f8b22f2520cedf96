"""The signed cookie that carries a login (Flask's own session cookie): an altered or expired cookie
is refused, also after the good one was seen, and each request gets its own copy of what it says."""
import time

from flask import session
from helpers import SESSION_COOKIE


def me(client):
    return client.get("/api/v1/me").status_code


def cookie(client):
    return client.get_cookie(SESSION_COOKIE).value


def test_a_cookie_altered_after_the_good_one_was_seen_is_refused(patient):
    assert me(patient) == 200
    good = cookie(patient)
    for position in (5, len(good) // 2, len(good) - 3):  # payload, then signature
        altered = good[:position] + ("A" if good[position] != "A" else "B") + good[position + 1:]
        patient.set_cookie(SESSION_COOKIE, altered)
        assert me(patient) == 401, position
    patient.set_cookie(SESSION_COOKIE, good)
    assert me(patient) == 200


def test_a_cookie_older_than_its_lifetime_is_refused_even_when_seen_before(app, patient, monkeypatch):
    assert me(patient) == 200
    app.config["PERMANENT_SESSION_LIFETIME"] = 60  # shorter than the patient's 30-day login
    assert me(patient) == 200
    later = time.time() + 120
    monkeypatch.setattr(time, "time", lambda: later)
    assert me(patient) == 401


def test_a_change_a_request_does_not_save_never_reaches_the_next_request(app, client):
    """Each request gets its own copy of what the cookie says: changing a list inside the session
    without marking it modified is lost, as with Flask's own sessions, and never leaks into the
    next request sending the same cookie."""
    @app.get("/_start")
    def start():
        session["items"] = []
        return ""

    @app.get("/_append")
    def append():
        session["items"].append("x")
        return str(len(session["items"]))

    client.get("/_start")
    assert [client.get("/_append").get_data(as_text=True) for _ in range(3)] == ["1", "1", "1"]
