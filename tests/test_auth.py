"""Register, log in, log out, password change, and who may see which page."""
import datetime as dt
import html
from zoneinfo import ZoneInfo

import pytest
from helpers import PASSWORD, SESSION_COOKIE, AuthActions, without_inline_code

from diary.db import get_db

SECRET = "s3cret passphrase"  # distinctive, so "never echoed" can be checked in the page
GOOD_FORM = {
    "email": "Pat@Example.COM",
    "password": SECRET,
    "role": "patient",
    "display_name": "Pat Doe",
    "timezone": "Europe/Berlin",
}


def users(app):
    with app.app_context():
        return [
            dict(zip(("email", "password_hash", "role", "display_name", "timezone"), row))
            for row in get_db().execute(
                "SELECT email, password_hash, role, display_name, timezone FROM users ORDER BY id"
            ).fetchall()
        ]


def entry_count(app):
    with app.app_context():
        return get_db().execute("SELECT count(*) FROM entries").fetchone()[0]


def me_status(client):
    return client.get("/api/v1/me").status_code


def page(response):
    """The page's text, without the stylesheet and scripts every page carries."""
    return html.unescape(without_inline_code(response.get_data(as_text=True)))


# --- register -------------------------------------------------------------------

@pytest.mark.parametrize("role, home", [("patient", "/"), ("provider", "/provider/")])
def test_register(client, app, role, home):
    response = client.post("/register", data={**GOOD_FORM, "role": role})
    assert response.status_code == 302
    assert response.headers["Location"] == home
    [user] = users(app)
    assert user["email"] == "pat@example.com"
    assert user["password_hash"].startswith("$argon2id$")
    assert SECRET not in user["password_hash"]
    assert (user["role"], user["display_name"], user["timezone"]) == (role, "Pat Doe", "Europe/Berlin")
    me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.get_json()["email"] == "pat@example.com"
    assert me.get_json()["role"] == role


@pytest.mark.parametrize("length", [8, 64, 128])
def test_register_accepts_password_lengths(client, app, length):
    password = ("tide pool glass " * 9)[:length]  # not "ppp…", which is refused as weak
    response = client.post("/register", data={**GOOD_FORM, "password": password})
    assert response.status_code == 302
    assert len(users(app)) == 1
    client.post("/logout")
    assert AuthActions(client).login("pat@example.com", password).status_code == 302


@pytest.mark.parametrize("field, value, message", [
    ("email", "not-an-email", "Not a valid email address."),
    ("password", "p" * 7, "Must be between 8 and 128 characters."),
    ("password", "p" * 129, "Must be between 8 and 128 characters."),
    ("role", "admin", "Must be one of: patient, provider."),
    ("display_name", "   ", "Missing data for required field."),
    ("timezone", "Mars/Olympus_Mons", "Not a known time zone"),
])
def test_register_rejects_bad_field(client, app, field, value, message):
    form = {**GOOD_FORM, field: value}
    response = client.post("/register", data=form)
    body = page(response)
    assert response.status_code == 422
    assert f'id="{field}-error">{message}' in body
    # Everything else the user typed is still there...
    if field != "email":
        assert 'value="Pat@Example.COM"' in body
    if field != "display_name":
        assert 'value="Pat Doe"' in body
    if field != "role":
        assert 'name="role" value="patient" checked' in body
    if field != "timezone":
        assert '<option value="Europe/Berlin" selected>' in body
    # ...but never the password, good or bad.
    assert form["password"] not in body
    assert users(app) == []


def test_register_rejects_duplicate_email_case_insensitively(client, app, auth):
    auth.register(email="pat@example.com", display_name="First")
    auth.logout()
    response = client.post("/register", data={**GOOD_FORM, "email": "PAT@example.com"})
    body = page(response)
    assert response.status_code == 422
    assert 'id="email-error">An account with this email already exists.' in body
    assert 'value="PAT@example.com"' in body and 'value="Pat Doe"' in body
    assert SECRET not in body
    assert [u["display_name"] for u in users(app)] == ["First"]
    assert me_status(client) == 401


# --- log in ---------------------------------------------------------------------

@pytest.mark.parametrize("email", ["pat@example.com", "  PAT@Example.com "])
def test_login(client, auth, email):
    auth.register()
    auth.logout()
    assert me_status(client) == 401
    response = auth.login(email=email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    me = client.get("/api/v1/me")
    assert me.status_code == 200 and me.get_json()["email"] == "pat@example.com"


@pytest.mark.parametrize("email, password", [
    ("pat@example.com", "wrong password"),
    ("nobody@example.com", PASSWORD),
])
def test_login_failure_does_not_say_why(client, auth, email, password):
    auth.register()
    auth.logout()
    response = auth.login(email=email, password=password)
    body = page(response)
    assert response.status_code == 422
    assert 'id="password-error">That email and password don\'t match an account.' in body
    assert f'value="{email}"' in body
    assert password not in body
    assert me_status(client) == 401


@pytest.mark.parametrize("target, location", [
    ("/history", "/history"),
    ("/history?from=2024-01-01", "/history?from=2024-01-01"),
    ("//evil.example", "/"),
    ("https://evil.example/", "/"),
    ("http:/evil.example", "/"),
    ("javascript:alert(1)", "/"),
    ("history", "/"),
])
def test_login_next_only_redirects_same_site(client, auth, target, location):
    auth.register()
    auth.logout()
    response = client.post("/login", query_string={"next": target},
                           data={"email": "pat@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == location
    assert me_status(client) == 200


# --- log out --------------------------------------------------------------------

def test_logout_requires_post(patient):
    response = patient.get("/logout")
    assert response.status_code == 405
    assert "That action isn't available here." in page(response)
    assert me_status(patient) == 200


def test_logout_405_as_json_names_allowed_methods(patient):
    response = patient.get("/logout", headers={"Accept": "application/json"})
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert "request" in response.get_json()["errors"]


def test_logout_405_page_names_allowed_methods(patient):
    response = patient.get("/logout")
    assert response.status_code == 405
    assert "POST" in response.headers.get("Allow", "")


def test_logout_kills_copies_of_the_session_cookie(app, patient):
    stolen = patient.get_cookie(SESSION_COOKIE).value
    response = patient.post("/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert me_status(patient) == 401

    replay = app.test_client()
    replay.set_cookie(SESSION_COOKIE, stolen)
    response = replay.get("/api/v1/me")
    assert response.status_code == 401
    assert response.get_json() == {"errors": {"auth": ["Not logged in."]}}
    assert replay.get("/history").status_code == 302


def test_logging_back_in_does_not_revive_old_cookie(app, client, auth):
    auth.register()
    stolen = client.get_cookie(SESSION_COOKIE).value
    auth.logout()
    assert auth.login().status_code == 302
    replay = app.test_client()
    replay.set_cookie(SESSION_COOKIE, stolen)
    assert me_status(replay) == 401
    assert me_status(client) == 200


# --- password change --------------------------------------------------------------

NEW = "a brand new passphrase"


def change_password(client, current=PASSWORD, new=NEW, confirm=NEW):
    return client.post("/account", data={
        "current_password": current, "new_password": new, "confirm_password": confirm,
    })


def password_hash(app):
    return users(app)[0]["password_hash"]


@pytest.mark.parametrize("form, field, message", [
    ({"current": "not my password"}, "current_password", "That isn't your password."),
    ({"confirm": NEW + "!"}, "confirm_password", "Doesn't match the new password."),
    ({"new": "short", "confirm": "short"}, "new_password", "Must be between 8 and 128 characters."),
])
def test_password_change_rejected(app, patient, form, field, message):
    before = password_hash(app)
    response = change_password(patient, **form)
    body = page(response)
    assert response.status_code == 422
    assert f'id="{field}-error">{message}' in body
    assert PASSWORD not in body and NEW not in body
    assert password_hash(app) == before
    assert me_status(patient) == 200


def test_password_change_ends_other_sessions_only(app, patient):
    elsewhere = app.test_client()
    assert AuthActions(elsewhere).login().status_code == 302
    assert me_status(elsewhere) == 200

    response = change_password(patient)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    assert password_hash(app).startswith("$argon2id$")
    assert me_status(patient) == 200
    assert "Password changed." in page(patient.get("/account"))
    assert me_status(elsewhere) == 401

    fresh = AuthActions(app.test_client())
    old = fresh.login(password=PASSWORD)
    assert old.status_code == 422
    assert fresh.login(password=NEW).status_code == 302
    assert me_status(fresh.client) == 200


# --- roles ----------------------------------------------------------------------

def test_patient_cannot_open_provider_dashboard(patient):
    response = patient.get("/provider/")
    assert response.status_code == 403
    assert "This page is for providers only." in page(response)


@pytest.mark.parametrize("path", ["/history", "/sessions/", "/sessions/new", "/triggers"])
def test_provider_cannot_open_patient_pages(provider, path):
    response = provider.get(path)
    assert response.status_code == 403
    assert "This page is for patients only." in page(response)


def test_provider_cannot_check_in(app, provider):
    response = provider.post("/", data={"date": "2024-01-01", "anxiety": "5", "note": "hi"})
    assert response.status_code == 403
    assert "Providers can't write diary entries." in page(response)
    assert entry_count(app) == 0


def test_provider_landing_redirects_to_dashboard(provider):
    response = provider.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/provider/"


@pytest.mark.parametrize("path, next_", [
    ("/history", "/history"),
    ("/history?trigger=work", "/history?trigger%3Dwork"),
    ("/account", "/account"),
    ("/provider/", "/provider/"),
])
def test_anonymous_is_sent_to_login(client, path, next_):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/login?next={next_}"


def test_anonymous_round_trip_through_login_lands_on_the_page(client, auth):
    auth.register()
    auth.logout()
    location = client.get("/history").headers["Location"]
    response = client.post(location, data={"email": "pat@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/history"


def test_anonymous_home_is_the_welcome_page(client):
    response = client.get("/")
    body = page(response)
    assert response.status_code == 200
    assert "A quiet place to track how you feel" in body
    assert 'href="/register"' in body and 'href="/login"' in body
    assert "Log out" not in body


def test_profile_change_moves_the_patients_today(app, patient):
    response = patient.post("/account/profile", data={"display_name": "  Pat B.  ", "timezone": "Pacific/Kiritimati"})
    assert response.status_code == 302
    me = patient.get("/api/v1/me").get_json()
    assert (me["display_name"], me["timezone"]) == ("Pat B.", "Pacific/Kiritimati")
    kiritimati_today = dt.datetime.now(ZoneInfo("Pacific/Kiritimati")).date().isoformat()
    assert f'name="date" value="{kiritimati_today}"' in patient.get("/").get_data(as_text=True)


@pytest.mark.parametrize("form, field, message", [
    ({"display_name": " ", "timezone": "UTC"}, "display_name", "Missing data for required field."),
    ({"display_name": "Pat", "timezone": "Nowhere/Special"}, "timezone", "Not a known time zone"),
    ({"display_name": "Pat"}, "timezone", "Missing data for required field."),
])
def test_bad_profile_change_changes_nothing(patient, form, field, message):
    response = patient.post("/account/profile", data=form)
    assert response.status_code == 422
    assert message in page(response)
    assert f'id="{field}"' in page(response)
    me = patient.get("/api/v1/me").get_json()
    assert (me["display_name"], me["timezone"]) == ("Pat", "Europe/London")


def test_login_lasts_30_days_not_just_the_browser_session(client, auth):
    auth.register()
    cookie = client.get_cookie(SESSION_COOKIE)
    assert cookie.expires is not None
    lifetime = cookie.expires - dt.datetime.now(dt.timezone.utc)
    assert dt.timedelta(days=29) < lifetime <= dt.timedelta(days=30)


@pytest.mark.parametrize("zone", ["Europe", "America", "a" * 300, "../UTC", "UTC/"])
def test_time_zone_that_is_not_a_zone_is_a_clear_error(client, app, auth, zone):
    response = client.post("/register", data={"email": "z@example.com", "password": PASSWORD, "role": "patient",
                                              "display_name": "Z", "timezone": zone})
    assert response.status_code == 422
    assert "Not a known time zone" in page(response)
    auth.register()
    response = client.post("/account/profile", data={"display_name": "Pat", "timezone": zone})
    assert response.status_code == 422
    assert client.get("/api/v1/me").get_json()["timezone"] == "Europe/London"


def test_ten_wrong_passwords_pause_logins_for_that_account(app, client, auth):
    auth.register()
    auth.logout()
    for _ in range(10):
        assert auth.login(password="wrong password").status_code == 422
    response = auth.login()  # even the right password waits now
    assert response.status_code == 429 and "Wait 15 minutes" in page(response)
    assert me_status(client) == 401
    other = app.test_client()
    AuthActions(other).register(email="other@example.com")
    AuthActions(other).logout()
    assert AuthActions(other).login(email="other@example.com").status_code == 302  # others unaffected
    with app.app_context():  # fifteen minutes later
        get_db().execute("UPDATE limit_hits SET at = at - 15 * 60")
    assert auth.login().status_code == 302


def test_confirming_forms_share_the_login_limit(app, patient):
    """A borrowed session can't guess the password through the password-change or delete forms."""
    for _ in range(5):
        assert change_password(patient, current="guess one").status_code == 422
    for _ in range(5):
        response = patient.post("/account/delete", data={"password": "guess two", "confirmation": "delete"})
        assert response.status_code == 422
    response = change_password(patient)  # the right password, too late
    assert response.status_code == 422 and "Too many wrong passwords" in page(response)
    with app.app_context():
        actions = [r[0] for r in get_db().execute("SELECT detail FROM audit_log WHERE action = 'auth.login_failed'")]
    assert actions == ["wrong password (confirming)"] * 10
