"""Findings of an outside security review, each with the test that failed before its fix (docs/SECURITY.md)."""
import re

import pytest
from helpers import AuthActions, errors_of, share, without_inline_code

from diary.db import get_db


def test_a_download_named_after_a_non_latin_name_is_ascii_with_an_rfc_5987_name(app, provider):
    # gunicorn refuses a header that isn't Latin-1: the provider's export of "Zoë 张" answered 500.
    patient = app.test_client()
    AuthActions(patient).register(email="zoe@example.com", display_name="Zoë 张伟")
    patient_id = share(patient, provider)
    response = provider.get(f"/provider/patients/{patient_id}/export/entries.csv")
    assert response.status_code == 200
    header = response.headers["Content-Disposition"]
    header.encode("ascii")  # raises if not
    assert re.fullmatch(r'attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8\'\'[A-Za-z0-9._%-]+', header), header
    assert "zo%C3%AB-%E5%BC%A0%E4%BC%9F-entries-" in header


def test_every_download_names_itself_both_ways(patient):
    for path in ("/export/entries.csv", "/export/assessments.csv", "/export/fhir.json", "/export/everything.json"):
        header = patient.get(path).headers["Content-Disposition"]
        assert header.startswith('attachment; filename="symptom-diary-') and "; filename*=UTF-8''symptom-diary-" in header


@pytest.mark.parametrize("depth", [5000, 980])
def test_deeply_nested_json_is_a_400_not_a_500(patient, depth):
    body = '{"note": ' + "[" * depth + "]" * depth + "}"
    response = patient.post("/api/v1/entries", data=body, content_type="application/json")
    assert response.status_code == 400, response.status_code
    assert response.get_json() == {"errors": {"body": ["The body is nested too deeply."]}}
    assert patient.get("/api/v1/entries").get_json()["entries"] == []


def test_deleting_the_account_clears_the_device_like_logout(patient):
    from helpers import PASSWORD
    response = patient.post("/account/delete", data={"password": PASSWORD, "confirmation": "delete"})
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_hsts_only_with_secure_cookies(tmp_path, monkeypatch):
    from diary import create_app
    monkeypatch.setenv("DIARY_INSTANCE_PATH", str(tmp_path))
    for secure, expected in ((True, "max-age=31536000; includeSubDomains"), (False, None)):
        app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "d.sqlite3"), "SECRET_KEY": "x",
                          "SESSION_COOKIE_SECURE": secure})
        assert app.test_client().get("/login").headers.get("Strict-Transport-Security") == expected


def test_the_database_file_is_private_and_deleted_text_is_overwritten(app):
    import os
    import stat
    with app.app_context():
        from diary.db import get_db
        assert get_db().execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert stat.S_IMODE(os.stat(app.config["DATABASE"]).st_mode) == 0o600


def test_the_cached_offline_pages_hold_no_csrf_token(patient):
    for path in ("/offline", "/support/offline"):
        assert 'name="csrf-token"' not in without_inline_code(patient.get(path).get_data(as_text=True)), path


def test_openapi_documents_the_400_for_a_missing_csrf_header(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    writes = [(path, method, op) for path, ops in spec["paths"].items() for method, op in ops.items()
              if method in ("post", "put", "patch", "delete") and op["security"]]
    assert writes
    for path, method, op in writes:
        assert "400" in op["responses"], f"{method.upper()} {path}"


@pytest.mark.parametrize("name", ["Pat\u202eevil", "Pat\u200bzero", "\u2066Pat"])
def test_bidi_and_zero_width_characters_are_refused_in_names_and_triggers(patient, name):
    response = patient.post("/account/profile", data={"display_name": name, "timezone": "Europe/London"})
    assert response.status_code == 422, name
    response = patient.post("/api/v1/entries", json={"date": "2026-01-01", "anxiety": 3, "triggers": [name]})
    assert response.status_code == 422 and "triggers" in response.get_json()["errors"]


# Names the outside review got stored: nothing visible (a Hangul filler, a lone zero-width joiner,
# only combining marks), a line break, a tower of 39 combining marks.
UNREADABLE_NAMES = ["\u3164", "\u200d", "\u0301\u0301", "Pat\nnew line", "Pat\ttab",
                    "Z" + "\u0301" * 39, "\u2800\u2800"]


@pytest.mark.parametrize("name", UNREADABLE_NAMES)
def test_unreadable_names_are_refused_in_triggers_and_display_names(app, patient, name):
    response = patient.post("/api/v1/entries", json={"date": "2026-01-01", "anxiety": 3, "triggers": [name]})
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["triggers"], name
    response = patient.post("/account/profile", data={"display_name": name, "timezone": "Europe/London"})
    assert response.status_code == 422, name
    with app.app_context():
        assert get_db().execute("SELECT count(*) FROM entries").fetchone()[0] == 0
        assert get_db().execute("SELECT count(*) FROM triggers").fetchone()[0] == 0


@pytest.mark.parametrize("name", ["Zoë", "e\u0301", "👩\u200d⚕️", "مهدی\u200cزاده", "김 민준"])
def test_real_names_with_joiners_and_accents_still_pass(patient, name):
    response = patient.post("/api/v1/entries", json={"date": "2026-01-01", "anxiety": 3, "triggers": [name]})
    assert response.status_code == 201, response.get_json()


def test_a_nul_byte_in_any_text_is_a_422_naming_the_field(app, patient):
    errors_of(patient.post("/api/v1/entries", json={"date": "2026-01-01", "anxiety": 3, "note": "a\x00b"}),
              422, "note")
    errors_of(patient.post("/api/v1/sessions", json={"date": "2026-01-01", "treatment": "iv_ketamine",
                                                     "reflection": "\x00"}), 422, "reflection")
    errors_of(patient.put("/api/v1/safety-plan", json={"warning_signs": "x\x00"}), 422, "warning_signs")
    response = patient.post("/", data={"date": "2026-01-01", "anxiety": "3", "note": "form\x00note"})
    assert response.status_code == 422 and "NUL" in response.get_data(as_text=True)
    with app.app_context():
        assert get_db().execute("SELECT count(*) FROM entries").fetchone()[0] == 0


def test_logging_in_rotates_the_session_and_its_csrf_token(client, auth):
    from helpers import csrf_meta
    auth.register()
    auth.logout()
    before = csrf_meta(client.get("/login").get_data(as_text=True))
    with client.session_transaction() as session:
        session["planted"] = "by someone who fixed this session before login"
    assert auth.login().status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
    after = csrf_meta(client.get("/").get_data(as_text=True))
    assert after != before
    # A write with the pre-login token is refused.
    response = client.post("/api/v1/entries", json={"date": "2026-01-01", "anxiety": 3}, csrf=False,
                           headers={"X-CSRFToken": before})
    assert response.status_code == 400


SCOPE_RECORDS = {
    "note": "a private-ish note", "reflection": "what came up", "plan": "My dog Biscuit",
}


@pytest.mark.parametrize("scope", ["scores", "full"])
def test_each_scope_shows_exactly_what_its_label_says(app, patient, provider, scope):
    from diary.vocabulary import SCOPE_LABELS
    label = SCOPE_LABELS[scope].lower()
    # What every share includes, said in the label of both scopes.
    for word in ("anxiety scores", "triggers", "sessions", "dose", "side effects", "questionnaires"):
        assert word in label, (scope, word)
    patient.post("/api/v1/entries", json={"date": "2026-01-02", "anxiety": 4, "triggers": ["work"],
                                          "note": SCOPE_RECORDS["note"]})
    patient.post("/api/v1/sessions", json={"date": "2026-01-02", "treatment": "iv_ketamine", "dose_mg": 35,
                                           "anxiety_before": 7, "anxiety_after": 3, "side_effects": ["nausea"],
                                           "reflection": SCOPE_RECORDS["reflection"]})
    patient.put("/api/v1/safety-plan", json={"reasons_for_living": SCOPE_RECORDS["plan"]})
    patient_id = share(patient, provider, scope)
    page = provider.get(f"/provider/patients/{patient_id}").get_data(as_text=True)
    assert "35 mg" in page and "Nausea" in page and "work" in page
    text_shared = all(SCOPE_RECORDS[k] in page for k in SCOPE_RECORDS)
    text_hidden = not any(SCOPE_RECORDS[k] in page for k in SCOPE_RECORDS)
    if scope == "full":
        assert text_shared and all(w in label for w in ("notes", "reflections", "safety plan"))
    else:
        assert text_hidden and "not your notes, reflections or safety plan" in label
