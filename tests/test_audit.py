"""The audit log: every provider read is recorded, the patient sees it, nothing can rewrite it.

Also the account events it records, and the limit on wrong share codes it enforces.
"""
import datetime as dt
import re
import sqlite3
from zoneinfo import ZoneInfo

import pytest
from helpers import PASSWORD, AuthActions, errors_of, new_user, share, user_id

from diary.db import get_db

UTC_ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z")
NOTE = "a note about the panic on the tram"
REFLECTION = "a reflection about the colours after the infusion"
WRONG_PASSWORD = "not my password at all"
NEW_PASSWORD = "a brand new passphrase 42"
UNKNOWN_EMAIL = "nobody-here@example.com"


def today():
    """'Today' for the test patients, who live in Europe/London."""
    return dt.datetime.now(ZoneInfo("Europe/London")).date().isoformat()


def invite(patient, scope="full"):
    return patient.post("/api/v1/invites", json={"scope": scope}).get_json()["code"]


def last_id(app):
    with app.app_context():
        return get_db().execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]


def rows_after(app, since):
    """Audit rows written after row ``since``, oldest first, as dicts."""
    with app.app_context():
        cursor = get_db().execute(
            "SELECT at, actor_id, patient_id, action, detail FROM audit_log WHERE id > ? ORDER BY id", [since])
        return [dict(zip(("at", "actor_id", "patient_id", "action", "detail"), row)) for row in cursor]


def assert_recent_utc(at):
    assert UTC_ISO.fullmatch(at), f"{at!r} is not UTC ISO 8601 ending in Z"
    moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    assert abs(dt.datetime.now(dt.timezone.utc) - moment) < dt.timedelta(minutes=1)


# --- provider reads ----------------------------------------------------------------

@pytest.fixture
def care(app, patient, provider):
    """Pat and Sam share with Dr. Lee; Kim, a third patient, doesn't."""
    assert patient.post("/api/v1/entries", json={"date": today(), "anxiety": 5, "note": NOTE}).status_code == 201
    sam = new_user(app, "sam@example.com", "Sam")
    kim = new_user(app, "kim@example.com", "Kim")
    return {"pat": share(patient, provider), "sam": share(sam, provider), "kim": user_id(kim),
            "provider": user_id(provider)}


READS = [  # (path, action, shows every sharing patient?)
    ("/provider/patients/{pat}", "provider.patient_page", False),
    ("/api/v1/patients/{pat}/trends", "api.patient_trends", False),
    ("/api/v1/patients/{pat}/entries", "api.patient_entries", False),
    ("/api/v1/patients", "api.patients", True),
    ("/provider/", "provider.dashboard", True),
    ("/provider/?sort=name", "provider.dashboard", True),
]


@pytest.mark.parametrize("path, action, lists_all", READS)
def test_each_provider_read_writes_one_row_per_patient_shown(app, care, provider, path, action, lists_all):
    for _ in range(2):  # every view, not just the first
        before = last_id(app)
        assert provider.get(path.format(**care)).status_code == 200
        rows = rows_after(app, before)
        expected = [care["pat"], care["sam"]] if lists_all else [care["pat"]]
        assert sorted(row["patient_id"] for row in rows) == sorted(expected)
        for row in rows:
            assert (row["actor_id"], row["action"]) == (care["provider"], action)
            assert_recent_utc(row["at"])


OUTSIDERS = ["no share", "revoked", "different provider"]


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_refused_requests_write_nothing_about_the_patient(app, patient, provider, outsider):
    patient_id = user_id(patient)
    client = provider
    if outsider == "revoked":
        share(patient, provider)
        assert patient.delete(f"/api/v1/care-team/{user_id(provider)}").status_code == 204
    elif outsider == "different provider":
        share(patient, provider)
        client = new_user(app, "other-dr@example.com", "Dr. Other", role="provider")
    before = last_id(app)
    routes = [(re.sub(r"<(?:[^:>]+:)?patient_id>", str(patient_id), rule.rule), method)
              for rule in app.url_map.iter_rules() if "patient_id" in rule.arguments
              for method in rule.methods - {"HEAD", "OPTIONS"}]
    assert len(routes) >= 3
    for path, method in routes:
        assert client.open(path, method=method).status_code == 404, f"{method} {path}"
    for path in ("/provider/", "/api/v1/patients"):
        assert client.get(path).status_code == 200
    assert [row for row in rows_after(app, before) if row["patient_id"] == patient_id] == []


# --- what the patient sees -------------------------------------------------------------

def test_the_patient_sees_each_view_in_the_access_log_newest_first(app, patient, provider, other_patient):
    patient_id = share(patient, provider)
    for path in (f"/provider/patients/{patient_id}", f"/api/v1/patients/{patient_id}/trends",
                 f"/api/v1/patients/{patient_id}/entries"):
        assert provider.get(path).status_code == 200
    response = patient.get("/api/v1/access-log")
    assert response.status_code == 200
    events = response.get_json()["events"]
    assert [e["action"] for e in events] == [
        "api.patient_entries", "api.patient_trends", "provider.patient_page", "share.redeemed"]
    assert {e["actor"] for e in events} == {"Dr. Lee"}
    assert [e["at"] for e in events] == sorted((e["at"] for e in events), reverse=True)
    for event in events:
        assert set(event) == {"at", "actor", "actor_email", "action"} and event["actor_email"] == "dr@example.com"
        assert_recent_utc(event["at"])
    page = patient.get("/care-team").get_data(as_text=True)
    log = page.split("Access log", 1)[1]
    assert "Dr. Lee" in log and "viewed your diary" in log and "read your trends" in log
    assert other_patient.get("/api/v1/access-log").get_json()["events"] == []
    assert "Dr. Lee" not in other_patient.get("/care-team").get_data(as_text=True)


def test_the_access_log_keeps_views_after_revocation(app, patient, provider):
    patient_id = share(patient, provider)
    provider.get(f"/provider/patients/{patient_id}")
    patient.delete(f"/api/v1/care-team/{user_id(provider)}")
    actions = [e["action"] for e in patient.get("/api/v1/access-log").get_json()["events"]]
    assert actions == ["provider.patient_page", "share.redeemed"]


# --- account events --------------------------------------------------------------------

def login_ok(app, client, auth):
    assert AuthActions(app.test_client()).login().status_code == 302


def login_unknown_email(app, client, auth):
    assert AuthActions(app.test_client()).login(UNKNOWN_EMAIL, WRONG_PASSWORD).status_code == 422


def login_wrong_password(app, client, auth):
    assert AuthActions(app.test_client()).login(password=WRONG_PASSWORD).status_code == 422


def logout(app, client, auth):
    assert auth.logout().status_code == 302


def change_password(app, client, auth):
    response = client.post("/account", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                              "confirm_password": NEW_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


AUTH_EVENTS = {  # what happens: (action, is the account the actor? an unknown email has none)
    login_ok: ("auth.login", True),
    login_unknown_email: ("auth.login_failed", False),
    login_wrong_password: ("auth.login_failed", True),
    logout: ("auth.logout", True),
    change_password: ("auth.password_changed", True),
}


@pytest.mark.parametrize("event", AUTH_EVENTS, ids=lambda f: f.__name__)
def test_account_events_write_one_audit_row(app, patient, auth, event):
    account = user_id(patient)
    before = last_id(app)
    event(app, patient, auth)
    action, by_account = AUTH_EVENTS[event]
    [row] = rows_after(app, before)
    assert (row["action"], row["actor_id"], row["patient_id"]) == (action, account if by_account else None, None)
    assert_recent_utc(row["at"])


def test_no_audit_row_holds_a_password_or_diary_text(app, patient, provider, auth):
    assert patient.post("/api/v1/entries", json={"date": today(), "anxiety": 5, "note": NOTE}).status_code == 201
    assert patient.post("/api/v1/sessions", json={"date": today(), "treatment": "iv_ketamine", "anxiety_before": 6,
                                                  "anxiety_after": 2, "reflection": REFLECTION}).status_code == 201
    patient_id = share(patient, provider)
    for path in (f"/provider/patients/{patient_id}", f"/api/v1/patients/{patient_id}/entries", "/provider/"):
        provider.get(path)
    change_password(app, patient, auth)
    auth.logout()
    stranger = AuthActions(app.test_client())
    stranger.login(password=WRONG_PASSWORD)
    stranger.login(UNKNOWN_EMAIL, WRONG_PASSWORD)
    stranger.login(password=NEW_PASSWORD)
    with app.app_context():
        rows = get_db().execute("SELECT * FROM audit_log").fetchall()
    assert len(rows) >= 10
    table = "\n".join(" | ".join(str(value) for value in row) for row in rows)
    for secret in (PASSWORD, NEW_PASSWORD, WRONG_PASSWORD, NOTE, REFLECTION, UNKNOWN_EMAIL):
        assert secret not in table


# --- append-only -------------------------------------------------------------------------

TAMPERING = [
    "UPDATE audit_log SET action = 'nothing to see'",
    "UPDATE audit_log SET at = '2000-01-01T00:00:00.000Z' WHERE id = 1",
    "DELETE FROM audit_log",
    "DELETE FROM audit_log WHERE id = 1",
    "INSERT INTO audit_log (id, at, action) VALUES (1, '2000-01-01T00:00:00.000Z', 'x')"
    " ON CONFLICT (id) DO UPDATE SET action = excluded.action",
    # REPLACE deletes the old row: blocked only because sqlite-utils turns recursive_triggers on.
    "INSERT OR REPLACE INTO audit_log (id, at, action) VALUES (1, '2000-01-01T00:00:00.000Z', 'x')",
]


@pytest.mark.parametrize("sql", TAMPERING)
def test_the_audit_log_is_append_only(app, patient, provider, sql):
    share(patient, provider)
    with app.app_context():
        db = get_db()
        before = db.execute("SELECT * FROM audit_log ORDER BY id").fetchall()
        assert before
        with pytest.raises(sqlite3.DatabaseError):
            db.execute(sql)
        assert db.execute("SELECT * FROM audit_log ORDER BY id").fetchall() == before


# --- redeeming share codes ------------------------------------------------------------

def fail_by_api(provider):
    assert provider.post("/api/v1/invites/redeem", json={"code": "ZZZZ-ZZZZ"}).status_code == 422


def fail_by_form(provider):
    assert provider.post("/provider/redeem", data={"code": "ZZZZ-ZZZZ"}).status_code == 422


@pytest.mark.parametrize("failures, status", [(9, 200), (10, 429)])
def test_wrong_codes_are_limited_per_provider_per_hour(app, patient, provider, failures, status):
    code = invite(patient)
    for n in range(failures):
        (fail_by_api if n % 2 else fail_by_form)(provider)  # both doors count
    response = provider.post("/api/v1/invites/redeem", json={"code": code})
    assert response.status_code == status, response.get_data(as_text=True)
    if status == 429:
        assert errors_of(response, 429, "code")["code"]
        assert provider.post("/provider/redeem", data={"code": code}).status_code == 429
        assert patient.get("/api/v1/care-team").get_json()["providers"] == []
        assert provider.get("/api/v1/patients").get_json()["patients"] == []
        other = new_user(app, "other-dr@example.com", "Dr. Other", role="provider")
        assert other.post("/api/v1/invites/redeem", json={"code": code}).status_code == 200
        assert [p["display_name"] for p in patient.get("/api/v1/care-team").get_json()["providers"]] == [
            "Dr. Other"]
    else:
        assert [p["display_name"] for p in patient.get("/api/v1/care-team").get_json()["providers"]] == [
            "Dr. Lee"]


def test_wrong_codes_older_than_an_hour_no_longer_count(app, patient, provider):
    for _ in range(10):
        fail_by_api(provider)
    code = invite(patient)
    assert provider.post("/api/v1/invites/redeem", json={"code": code}).status_code == 429
    with app.app_context():  # an hour and a minute later
        get_db().execute("UPDATE limit_hits SET at = at - 61 * 60")
    assert provider.post("/api/v1/invites/redeem", json={"code": code}).status_code == 200


def expired_code(app, patient, provider):
    code = invite(patient)
    with app.app_context():
        get_db().execute("UPDATE invites SET expires_at = '2020-01-01T00:00:00.000Z' WHERE code = ?", [code])
    return code


def used_code(app, patient, provider):
    code = invite(patient)
    assert new_user(app, "first-dr@example.com", "Dr. First", role="provider").post(
        "/api/v1/invites/redeem", json={"code": code}).status_code == 200
    return code


def cancelled_code(app, patient, provider):
    code = invite(patient)
    assert patient.delete(f"/api/v1/invites/{code}").status_code == 204
    return code


def unknown_code(app, patient, provider):
    return "ZZZZ-ZZZZ"


REFUSED_CODES = {expired_code: "expired", used_code: "used", cancelled_code: "cancelled", unknown_code: "match"}


@pytest.mark.parametrize("make_code", REFUSED_CODES, ids=lambda f: f.__name__)
def test_refused_codes_say_why_on_the_code_field(app, patient, provider, make_code):
    code = make_code(app, patient, provider)
    errors = errors_of(provider.post("/api/v1/invites/redeem", json={"code": code}), 422, "code")
    assert REFUSED_CODES[make_code] in errors["code"][0]
    assert provider.get("/api/v1/patients").get_json()["patients"] == []


def test_each_refusal_has_its_own_message(app, patient, provider):
    messages = {make_code.__name__: provider.post("/api/v1/invites/redeem", json={
        "code": make_code(app, patient, provider)}).get_json()["errors"]["code"][0]
        for make_code in REFUSED_CODES}
    assert len(set(messages.values())) == len(REFUSED_CODES), messages
