"""Sharing, from both sides: share codes, the care team page, the provider dashboard and patient page."""
import base64
import datetime as dt
import re
import zlib

import pytest
from helpers import AuthActions, errors_of, new_user, share

from diary.db import get_db
from diary.store.sharing import CODE_ALPHABET


def test_share_code_is_readable_aloud_and_expires_in_72_hours(patient):
    response = patient.post("/api/v1/invites", json={})
    assert response.status_code == 201
    invite = response.get_json()
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{16}}", invite["code"]) and invite["scope"] == "scores"
    expires = dt.datetime.fromisoformat(invite["expires_at"].replace("Z", "+00:00"))
    left = expires - dt.datetime.now(dt.timezone.utc)
    assert dt.timedelta(hours=71, minutes=59) < left <= dt.timedelta(hours=72)
    codes = {patient.post("/api/v1/invites", json={}).get_json()["code"] for _ in range(20)}
    assert len(codes) == 20


def test_a_new_code_is_shown_on_the_answer_and_never_travels_in_a_cookie(app, patient):
    """The session cookie is signed, not encrypted: a flash message there carried a live code an
    outside review read back by base64-decoding the Set-Cookie header."""
    response = patient.post("/care-team/invites", data={"scope": "full"})
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        [code] = get_db().execute("SELECT code FROM invites").fetchone()
    shown = "-".join(code[i:i + 4] for i in range(0, 16, 4))
    page = response.get_data(as_text=True)
    assert f"Your new share code is {shown}" in page
    for header in response.headers.getlist("Set-Cookie"):
        value = header.split(";", 1)[0].split("=", 1)[1].lstrip(".")
        payload = value.split(".", 1)[0]
        decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        try:
            decoded = zlib.decompress(decoded)
        except zlib.error:
            pass
        assert code.encode() not in decoded and shown.encode() not in decoded
    assert shown not in patient.get("/care-team").get_data(as_text=True).split("Codes not used yet")[0]


def test_the_access_log_names_the_clinicians_account_not_only_the_name_they_chose(app, patient, provider):
    """A provider renamed themselves "A deleted account" (or a colleague's name) in an outside
    review; the patient's log showed only that."""
    patient_id = share(patient, provider)
    assert provider.get(f"/provider/patients/{patient_id}").status_code == 200
    provider.post("/account/profile", data={"display_name": "A deleted account", "timezone": "Europe/London"})
    assert provider.get(f"/provider/patients/{patient_id}").status_code == 200
    events = patient.get("/api/v1/access-log").get_json()["events"]
    assert {(e["actor"], e["actor_email"]) for e in events} == {
        ("Dr. Lee", "dr@example.com"), ("A deleted account", "dr@example.com")}
    page = patient.get("/care-team").get_data(as_text=True)
    assert page.count("dr@example.com") >= 3  # the care team card and both log lines


def test_pending_codes_are_listed_and_can_be_cancelled(patient, provider):
    code = patient.post("/api/v1/invites", json={}).get_json()["code"]
    page = patient.get("/care-team").get_data(as_text=True)
    shown = "-".join(code[i:i + 4] for i in range(0, 16, 4))
    assert shown in page
    assert patient.post(f"/care-team/invites/{code}/cancel").status_code == 302
    page = patient.get("/care-team").get_data(as_text=True)
    assert f"Code {shown} cancelled." in page and 'class="code"' not in page
    assert patient.post(f"/care-team/invites/{code}/cancel").status_code == 404
    errors = errors_of(provider.post("/api/v1/invites/redeem", json={"code": code}), 422, "code")
    assert "cancelled" in errors["code"][0]


def test_codes_are_accepted_with_dashes_spaces_and_lower_case(patient, provider):
    code = patient.post("/api/v1/invites", json={}).get_json()["code"]
    typed = f" {code[:4].lower()}-{code[4:]} "
    response = provider.post("/provider/redeem", data={"code": typed})
    assert response.status_code == 302 and response.headers["Location"].startswith("/provider/patients/")


@pytest.mark.parametrize("code", ["", "   ", "x" * 41])
def test_redeem_needs_a_code(provider, code):
    errors_of(provider.post("/api/v1/invites/redeem", json={"code": code}), 422, "code")


def test_a_code_works_once(patient, provider, app):
    code = patient.post("/api/v1/invites", json={}).get_json()["code"]
    assert provider.post("/api/v1/invites/redeem", json={"code": code}).status_code == 200
    other = new_user(app, "dr2@example.com", "Dr. Two", role="provider")
    errors = errors_of(other.post("/api/v1/invites/redeem", json={"code": code}), 422, "code")
    assert "already been used" in errors["code"][0]


def test_care_team_lists_and_revokes(patient, provider):
    share(patient, provider, "full")
    [member] = patient.get("/api/v1/care-team").get_json()["providers"]
    assert (member["display_name"], member["email"], member["scope"]) == ("Dr. Lee", "dr@example.com", "full")
    assert member["since"].endswith("Z")
    page = patient.get("/care-team").get_data(as_text=True)
    assert "Dr. Lee" in page and "Stop sharing with Dr. Lee" in page
    assert patient.delete(f"/api/v1/care-team/{member['id']}").status_code == 204
    assert patient.get("/api/v1/care-team").get_json() == {"providers": []}
    assert patient.delete(f"/api/v1/care-team/{member['id']}").status_code == 404


def test_stopping_sharing_asks_first_on_a_page_of_its_own(patient, provider):
    """A full-width red button right under Save stopped sharing in one tap: now the care team page
    links to a confirmation page (a plain form, no JavaScript) saying what the clinician loses."""
    share(patient, provider, "full")
    [member] = patient.get("/api/v1/care-team").get_json()["providers"]
    page = patient.get("/care-team").get_data(as_text=True)
    assert f'action="/care-team/providers/{member["id"]}/revoke"' not in page
    assert f'href="/care-team/providers/{member["id"]}/stop"' in page
    confirm = patient.get(f"/care-team/providers/{member['id']}/stop")
    assert confirm.status_code == 200
    text = confirm.get_data(as_text=True)
    assert "Stop sharing with Dr. Lee?" in text and "can no longer see your diary" in text
    assert f'action="/care-team/providers/{member["id"]}/revoke"' in text and 'href="/care-team"' in text
    assert patient.get("/api/v1/care-team").get_json()["providers"]  # asking changed nothing
    assert patient.get("/care-team/providers/999/stop").status_code == 404


def test_the_scope_choice_shows_its_whole_label(patient, provider):
    share(patient, provider, "full")
    page = patient.get("/care-team").get_data(as_text=True)
    assert 'class="scope-select"' in page


def test_revoke_from_the_page_is_one_action(patient, provider):
    share(patient, provider, "scores")
    [member] = patient.get("/api/v1/care-team").get_json()["providers"]
    response = patient.post(f"/care-team/providers/{member['id']}/revoke")
    assert response.status_code == 302
    assert "They can no longer see your diary." in patient.get("/care-team").get_data(as_text=True)
    assert provider.get("/api/v1/patients").get_json() == {"patients": []}


def test_changing_scope(patient, provider):
    share(patient, provider, "scores")
    [member] = patient.get("/api/v1/care-team").get_json()["providers"]
    assert patient.post(f"/care-team/providers/{member['id']}/scope", data={"scope": "full"}).status_code == 302
    assert patient.get("/api/v1/care-team").get_json()["providers"][0]["scope"] == "full"
    response = patient.post(f"/care-team/providers/{member['id']}/scope", data={"scope": "everything"})
    assert response.status_code == 422 and "Must be one of: scores, full." in response.get_data(as_text=True)


def test_sharing_again_with_the_same_provider_updates_the_scope(patient, provider):
    share(patient, provider, "scores")
    share(patient, provider, "full")
    [member] = patient.get("/api/v1/care-team").get_json()["providers"]
    assert member["scope"] == "full"


def today_iso():
    return dt.date.today().isoformat()


def days_ago(n):
    return (dt.date.today() - dt.timedelta(days=n)).isoformat()


@pytest.fixture
def shared(patient, provider):
    """Pat shares (full) with Dr. Lee: two weeks of check-ins, a session and a private note."""
    for n in range(14):
        patient.post("/api/v1/entries", json={"date": days_ago(n), "anxiety": 8 if n < 7 else 5,
                                               "triggers": ["work"], "note": f"note {n}"})
    patient.post("/api/v1/sessions", json={"date": days_ago(3), "treatment": "iv_ketamine",
                                            "anxiety_before": 8, "anxiety_after": 4, "reflection": "shared reflection"})
    patient_id = share(patient, provider, "full")
    return patient_id


def test_dashboard_shows_the_patient_with_flags(shared, provider):
    [row] = provider.get("/api/v1/patients").get_json()["patients"]
    assert row["id"] == shared and row["display_name"] == "Pat"
    assert row["mean_7"] == 8 and row["last_entry_date"] is not None
    assert row["flags"] == ["high", "rising"]
    page = provider.get("/provider/").get_data(as_text=True)
    assert "7-day average 7 or more" in page and "Rising" in page and "<svg class=\"sparkline\"" in page
    assert "IV ketamine infusion" in page  # last session


def test_dashboard_puts_flagged_patients_first_and_sorts(app, shared, provider):
    calm = app.test_client()
    AuthActions(calm).register(email="calm@example.com", display_name="Aaron Calm")
    calm.post("/api/v1/entries", json={"date": today_iso(), "anxiety": 1})
    share(calm, provider, "scores")
    page = provider.get("/provider/").get_data(as_text=True)
    assert page.index(">Pat<") < page.index(">Aaron Calm<")
    page = provider.get("/provider/?sort=name").get_data(as_text=True)
    assert page.index(">Aaron Calm<") < page.index(">Pat<")
    assert provider.get("/provider/?sort=nonsense").status_code == 200


def test_patient_page_is_read_only_and_shows_shared_data(shared, provider):
    response = provider.get(f"/provider/patients/{shared}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Pat" in html and "note 1" in html and "shared reflection" in html
    assert "<svg class=\"chart\"" in html and "/history?" not in html  # no links into the provider's own pages
    main = html.split('<main id="main">', 1)[1]
    # Read-only: the diary can't be changed from here. The one form is the clinician's own setting
    # of when questionnaires fall due, which changes no record of the patient's.
    forms = re.findall(r'<form[^>]*action="([^"]+)"', main)
    assert forms == [f"/provider/patients/{shared}/questionnaire-schedule"]
    assert "/edit" not in main and "/delete" not in main


def test_redeem_from_the_dashboard_with_a_bad_code_keeps_it_and_explains(provider):
    response = provider.post("/provider/redeem", data={"code": "ZZZZ-ZZZZ"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "doesn&#39;t match any share code" in html and 'value="ZZZZ-ZZZZ"' in html


def test_patients_cannot_redeem_and_providers_cannot_share(patient, provider):
    assert patient.post("/api/v1/invites/redeem", json={"code": "ABCDEFGH"}).status_code == 403
    assert provider.post("/api/v1/invites", json={}).status_code == 403
    assert provider.get("/care-team").status_code == 403


def test_expired_code(app, patient, provider):
    code = patient.post("/api/v1/invites", json={}).get_json()["code"]
    with app.app_context():
        get_db().execute("UPDATE invites SET expires_at = '2020-01-01T00:00:00.000Z' WHERE code = ?", [code])
    errors = errors_of(provider.post("/api/v1/invites/redeem", json={"code": code}), 422, "code")
    assert "expired" in errors["code"][0]
    assert code not in patient.get("/care-team").get_data(as_text=True)
