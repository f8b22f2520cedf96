"""CSRF protection is really on: forms and JSON writes without a token are refused."""
import html
import re
import time

import pytest
from helpers import PASSWORD, SESSION_COOKIE, AuthActions, csrf_meta, stored

from diary.db import get_db

ENTRY = {"date": "2024-03-01", "anxiety": 4, "triggers": ["work"], "note": "first"}
ENTRY_ID = "6f1c2a8e-3b7d-4c55-9a0e-2d4b8f6e1a10"


def count(app, table):
    with app.app_context():
        return get_db().execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def password_hash(app):
    with app.app_context():
        return get_db().execute("SELECT password_hash FROM users").fetchone()[0]


def assert_csrf_page(response):
    assert response.status_code == 400
    assert "The CSRF token is missing." in html.unescape(response.get_data(as_text=True))


def assert_csrf_json(response):
    assert response.status_code == 400
    body = response.get_json()
    assert list(body) == ["errors"] and list(body["errors"]) == ["csrf_token"]
    [message] = body["errors"]["csrf_token"]
    assert "CSRF token is missing" in message


# --- HTML forms -------------------------------------------------------------------

def test_register_without_token(client, app):
    response = client.post("/register", csrf=False, data={
        "email": "pat@example.com", "password": PASSWORD, "role": "patient",
        "display_name": "Pat", "timezone": "UTC",
    })
    assert_csrf_page(response)
    assert count(app, "users") == 0


def test_login_without_token(client, auth):
    auth.register()
    auth.logout()
    response = client.post("/login", csrf=False, data={"email": "pat@example.com", "password": PASSWORD})
    assert_csrf_page(response)
    assert client.get("/api/v1/me").status_code == 401


def test_checkin_without_token(patient, app):
    response = patient.post("/", csrf=False, data={"date": "2024-03-01", "anxiety": "4"})
    assert_csrf_page(response)
    assert count(app, "entries") == 0


def test_logout_without_token(patient, app):
    stolen = patient.get_cookie(SESSION_COOKIE).value
    response = patient.post("/logout", csrf=False)
    assert_csrf_page(response)
    assert patient.get("/api/v1/me").status_code == 200
    copy = app.test_client()
    copy.set_cookie(SESSION_COOKIE, stolen)
    assert copy.get("/api/v1/me").status_code == 200


def test_password_change_without_token(patient, app):
    before = password_hash(app)
    response = patient.post("/account", csrf=False, data={
        "current_password": PASSWORD, "new_password": "another passphrase",
        "confirm_password": "another passphrase",
    })
    assert_csrf_page(response)
    assert password_hash(app) == before
    assert AuthActions(app.test_client()).login().status_code == 302


@pytest.mark.parametrize("token, message", [
    ("", "The CSRF token is missing."),
    ("not-a-token", "The CSRF token is invalid."),
])
def test_form_with_bad_token(client, app, token, message):
    client.get("/register")  # a real visitor has a session (and its token) by now
    response = client.post("/register", csrf=False, data={
        "email": "pat@example.com", "password": PASSWORD, "role": "patient",
        "display_name": "Pat", "timezone": "UTC", "csrf_token": token,
    })
    assert response.status_code == 400
    assert message in html.unescape(response.get_data(as_text=True))
    assert count(app, "users") == 0


def test_forms_work_with_the_token_from_the_page(client, app):
    token = csrf_meta(client.get("/register").get_data(as_text=True))
    response = client.post("/register", csrf=False, data={
        "email": "pat@example.com", "password": PASSWORD, "role": "patient",
        "display_name": "Pat", "timezone": "UTC", "csrf_token": token,
    })
    assert response.status_code == 302
    assert count(app, "users") == 1

    token = csrf_meta(client.get("/").get_data(as_text=True))
    response = client.post("/", csrf=False, data={"date": "2024-03-01", "anxiety": "4", "csrf_token": token})
    assert response.status_code == 302
    assert count(app, "entries") == 1

    response = client.post("/logout", csrf=False, data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/api/v1/me").status_code == 401


# --- JSON API ---------------------------------------------------------------------

@pytest.fixture
def entry(patient):
    response = patient.post("/api/v1/entries", json={**ENTRY, "id": ENTRY_ID})
    assert response.status_code == 201
    return response.get_json()


def stored_entry(patient):
    return patient.get(f"/api/v1/entries/{ENTRY_ID}")


def test_api_create_without_token(patient, app):
    assert_csrf_json(patient.post("/api/v1/entries", json=ENTRY, csrf=False))
    assert count(app, "entries") == 0


def test_api_patch_without_token(patient, entry):
    assert_csrf_json(patient.patch(f"/api/v1/entries/{ENTRY_ID}", json={"anxiety": 9}, csrf=False))
    assert stored_entry(patient).get_json() == stored(entry)


def test_api_delete_without_token(patient, entry, app):
    assert_csrf_json(patient.delete(f"/api/v1/entries/{ENTRY_ID}", csrf=False))
    assert stored_entry(patient).status_code == 200
    assert count(app, "entries") == 1


def test_api_token_from_another_session_is_refused(patient, app):
    stranger = app.test_client()
    token = csrf_meta(stranger.get("/login").get_data(as_text=True))
    response = patient.post("/api/v1/entries", json=ENTRY, csrf=False, headers={"X-CSRFToken": token})
    assert response.status_code == 400
    assert "csrf_token" in response.get_json()["errors"]
    assert count(app, "entries") == 0


def test_api_writes_work_with_the_meta_token(patient, app):
    token = csrf_meta(patient.get("/").get_data(as_text=True))
    headers = {"X-CSRFToken": token}

    created = patient.post("/api/v1/entries", json={**ENTRY, "id": ENTRY_ID}, csrf=False, headers=headers)
    assert created.status_code == 201
    assert created.get_json()["anxiety"] == 4

    patched = patient.patch(f"/api/v1/entries/{ENTRY_ID}", json={"anxiety": 9}, csrf=False, headers=headers)
    assert patched.status_code == 200
    assert patched.get_json()["anxiety"] == 9
    assert stored_entry(patient).get_json()["anxiety"] == 9

    deleted = patient.delete(f"/api/v1/entries/{ENTRY_ID}", csrf=False, headers=headers)
    assert deleted.status_code == 204
    assert stored_entry(patient).status_code == 404
    assert count(app, "entries") == 0


# --- every post form carries the token ----------------------------------------------

POST_FORM = re.compile(r'<form\b[^>]*method="post"[^>]*>(.*?)</form>', re.S | re.I)
HIDDEN_TOKEN = re.compile(r'<input type="hidden" name="csrf_token" value="([^"]+)">')


@pytest.fixture
def records(patient):
    """A check-in with a trigger and a treatment session, so the edit/delete pages exist."""
    patient.post("/api/v1/entries", json={**ENTRY, "id": ENTRY_ID})
    patient.post("/api/v1/entries", json={**ENTRY, "triggers": ["sleep"]})
    session = patient.post("/api/v1/sessions", json={
        "date": "2024-03-01", "treatment": "psychotherapy", "anxiety_before": 6, "anxiety_after": 3,
    })
    assert session.status_code == 201
    triggers = re.findall(r'/triggers/(\d+)/delete', patient.get("/triggers").get_data(as_text=True))
    assert len(triggers) == 2
    return {"entry": ENTRY_ID, "session": session.get_json()["id"], "trigger": triggers[0]}


def assert_forms_carry_token(response, status=200):
    assert response.status_code == status
    text = response.get_data(as_text=True)
    forms = POST_FORM.findall(text)
    assert forms, "expected at least one post form"
    for form in forms:
        tokens = HIDDEN_TOKEN.findall(form)
        assert tokens == [csrf_meta(text)], form


@pytest.mark.parametrize("path", ["/register", "/login"])
def test_anonymous_forms_carry_token(client, path):
    assert_forms_carry_token(client.get(path))


@pytest.mark.parametrize("path", [
    "/", "/history", "/account", "/triggers", "/sessions/", "/sessions/new",
    "/entries/{entry}/edit", "/entries/{entry}/delete",
    "/sessions/{session}/edit", "/sessions/{session}/delete", "/triggers/{trigger}/delete",
])
def test_patient_forms_carry_token(patient, records, path):
    assert_forms_carry_token(patient.get(path.format(**records)))


@pytest.mark.parametrize("path", ["/provider/", "/account"])
def test_provider_forms_carry_token(provider, path):
    assert_forms_carry_token(provider.get(path))


@pytest.mark.parametrize("path, status", [("/no-such-page", 404), ("/provider/", 403)])
def test_error_pages_carry_token(patient, path, status):
    assert_forms_carry_token(patient.get(path), status)


# --- a token belongs to its own session and login ---------------------------------------------------

def api_write(client, token):
    return client.post("/api/v1/entries", json=ENTRY, csrf=False, headers={"X-CSRFToken": token})


def csrf_message(response):
    assert response.status_code == 400
    [message] = response.get_json()["errors"]["csrf_token"]
    return message


def test_a_token_used_in_its_own_session_is_still_refused_in_another(app, patient, other_patient):
    token = csrf_meta(other_patient.get("/").get_data(as_text=True))
    assert api_write(other_patient, token).status_code == 201
    patient.get("/")  # the patient's session has its own token
    assert csrf_message(api_write(patient, token)).startswith("The CSRF tokens do not match.")
    assert count(app, "entries") == 1


def test_a_token_altered_after_the_good_one_was_used_is_refused(app, patient):
    token = csrf_meta(patient.get("/").get_data(as_text=True))
    assert api_write(patient, token).status_code == 201
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert csrf_message(api_write(patient, altered)).startswith("The CSRF token is invalid.")
    assert count(app, "entries") == 1


def test_a_token_from_an_earlier_login_is_refused_after_logging_in_again(app, patient, auth):
    token = csrf_meta(patient.get("/").get_data(as_text=True))
    assert api_write(patient, token).status_code == 201
    auth.logout()
    auth.login()
    patient.get("/")  # the new login's token
    assert csrf_message(api_write(patient, token)).startswith("The CSRF tokens do not match.")
    assert count(app, "entries") == 1


def test_tokens_still_expire_when_a_time_limit_is_set(app, patient, monkeypatch):
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    token = csrf_meta(patient.get("/").get_data(as_text=True))
    assert api_write(patient, token).status_code == 201
    later = time.time() + 2 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert csrf_message(api_write(patient, token)).startswith("The CSRF token has expired.")
