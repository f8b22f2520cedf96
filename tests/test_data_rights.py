"""Download everything, delete everything."""
from pathlib import Path

import pytest
from helpers import PASSWORD, AuthActions
from push_service import Browser

from diary.db import get_db

CRISIS_NOTE = "Some days I want to end it all"
PLAN = {"warning_signs": "Not sleeping", "coping_strategies": "A long walk", "distractions": "The library",
        "people_to_ask": "Alex 07700 900123", "professionals": "Clinic 020 7946 0000",
        "safer_environment": "Pills with Alex", "reasons_for_living": "My dog"}


@pytest.fixture
def full_diary(patient, provider):
    patient.post("/api/v1/entries", json={"date": "2026-01-01", "anxiety": 6, "triggers": ["work"],
                                           "note": "a note", "private": True})
    patient.post("/api/v1/sessions", json={"date": "2026-01-02", "treatment": "psychotherapy",
                                            "anxiety_before": 6, "anxiety_after": 4, "reflection": "a reflection"})
    code = patient.post("/api/v1/invites", json={"scope": "full"}).get_json()["code"]
    patient_id = provider.post("/api/v1/invites/redeem", json={"code": code}).get_json()["patient"]["id"]
    provider.get(f"/provider/patients/{patient_id}")
    patient.post("/api/v1/invites", json={})  # a pending code too
    patient.post("/api/v1/entries", json={"date": "2026-01-03", "anxiety": 9, "note": CRISIS_NOTE, "private": True})
    patient.post("/api/v1/assessments", json={"instrument": "phq9", "date": "2026-01-04",
                                               "answers": [1, 1, 1, 1, 1, 1, 1, 1, 1], "difficulty": 2})
    patient.post("/api/v1/assessments", json={"instrument": "gad7", "date": "2026-01-05",
                                               "answers": [2, 2, 2, 2, 2, 2, 2], "private": True})
    assert patient.post("/api/v1/push/subscriptions", json=Browser("https://fcm.googleapis.com/fcm/send/pat").subscription(
        remind_at="20:30", days=[0, 3]), headers={"User-Agent": "Mozilla/5.0 (Android 14) Firefox/133.0"}).status_code == 201
    assert patient.put("/api/v1/safety-plan", json=PLAN).status_code == 200
    assert provider.post(f"/api/v1/patients/{patient_id}/safety/acknowledge").status_code == 204
    return patient_id


def test_download_everything(full_diary, patient):
    response = patient.get("/export/everything.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="symptom-diary-everything-')
    data = response.get_json()
    assert data["account"]["email"] == "pat@example.com" and data["account"]["id"] == full_diary
    assert [e["note"] for e in data["entries"]] == ["a note", CRISIS_NOTE] and data["entries"][0]["private"] is True
    assert [s["reflection"] for s in data["sessions"]] == ["a reflection"]
    assert data["triggers"] == [{"id": data["triggers"][0]["id"], "name": "work", "entry_count": 1}]
    assert [(s["provider"], s["scope"], s["revoked_at"]) for s in data["shares"]] == [("Dr. Lee", "full", None)]
    assert len(data["share_codes"]) == 2
    assert {e["action"] for e in data["access_log"]} >= {"share.redeemed", "provider.patient_page"}
    assert [e["action"] for e in data["account_events"]] == ["auth.registered"]
    # Reminder settings per browser; not the endpoint or keys (they would let anyone push to it).
    [reminder] = data["reminders"]
    assert {k: reminder[k] for k in ("device", "remind_at", "days", "last_sent_at", "sent")} == {
        "device": "Firefox on Android", "remind_at": "20:30", "days": [0, 3], "last_sent_at": None, "sent": []}
    assert "fcm.googleapis.com" not in response.get_data(as_text=True)
    assert "password" not in response.get_data(as_text=True)


def test_download_includes_questionnaires_and_safety(full_diary, patient):
    data = patient.get("/export/everything.json").get_json()
    assessments = data["assessments"]  # the private GAD-7 too
    assert [(a["instrument"], a["date"], a["total"], a["severity"], a["private"]) for a in assessments] == [
        ("phq9", "2026-01-04", 9, "mild", False), ("gad7", "2026-01-05", 14, "moderate", True)]
    assert assessments[0]["answers"] == [1] * 9 and assessments[0]["difficulty"] == 2
    assert assessments[1]["difficulty"] is None and "support" not in assessments[1]
    assert data["assessments"][0] == patient.get(f"/api/v1/assessments/{assessments[0]['id']}").get_json()
    plan = data["safety_plan"]
    assert {k: v for k, v in plan.items() if k != "updated_at"} == PLAN and plan["updated_at"]
    alerts = data["safety_alerts"]
    assert all(set(alert) == {"source", "reason", "date", "detail", "raised_at"} for alert in alerts)
    assert sorted((a["source"], a["reason"], a["date"]) for a in alerts) == [
        ("assessment", "phq9_item9", "2026-01-04"), ("entry", "crisis_language", "2026-01-03")]
    assert {a["source"]: a["detail"] for a in alerts} == {"assessment": "several days", "entry": ""}
    assert "end it all" not in str(alerts)
    [acknowledgement] = data["safety_acknowledgements"]
    assert set(acknowledgement) == {"at", "provider"} and acknowledgement["provider"] == "Dr. Lee"


def test_download_of_an_empty_account_has_every_section(patient):
    data = patient.get("/export/everything.json").get_json()
    assert (data["assessments"], data["safety_alerts"], data["safety_acknowledgements"]) == ([], [], [])
    assert data["safety_plan"] == {**{k: "" for k in PLAN}, "updated_at": None}


def counts(app, user_id):
    with app.app_context():
        db = get_db()
        return {
            "entries": db.execute("SELECT COUNT(*) FROM entries WHERE user_id = ?", [user_id]).fetchone()[0],
            "entry_triggers": db.execute("SELECT COUNT(*) FROM entry_triggers").fetchone()[0],
            "triggers": db.execute("SELECT COUNT(*) FROM triggers WHERE user_id = ?", [user_id]).fetchone()[0],
            "sessions": db.execute("SELECT COUNT(*) FROM treatment_sessions WHERE user_id = ?", [user_id]).fetchone()[0],
            "shares": db.execute("SELECT COUNT(*) FROM shares WHERE patient_id = ?", [user_id]).fetchone()[0],
            "invites": db.execute("SELECT COUNT(*) FROM invites WHERE patient_id = ?", [user_id]).fetchone()[0],
            **{table: db.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", [user_id]).fetchone()[0]
               for table, column in (("assessments", "user_id"), ("safety_plans", "user_id"),
                                     ("safety_events", "patient_id"), ("safety_acknowledgements", "patient_id"),
                                     ("push_subscriptions", "user_id"))},
        }


@pytest.mark.parametrize("form, field", [
    ({"password": "wrong password", "confirmation": "delete"}, "password"),
    ({"password": PASSWORD, "confirmation": "yes"}, "confirmation"),
    ({"password": PASSWORD}, "confirmation"),
])
def test_deletion_needs_the_password_and_the_typed_word(app, full_diary, patient, form, field):
    before = counts(app, full_diary)
    response = patient.post("/account/delete", data=form)
    assert response.status_code == 422 and f'id="{field}-error"' in response.get_data(as_text=True)
    assert counts(app, full_diary) == before


def test_delete_my_account(app, full_diary, patient, provider, client):
    assert "Delete my account" in patient.get("/account/delete").get_data(as_text=True)
    before = counts(app, full_diary)
    assert all(before.values())
    response = patient.post("/account/delete", data={"password": PASSWORD, "confirmation": " Delete "})
    assert response.status_code == 302
    assert counts(app, full_diary) == {k: 0 for k in before}
    assert patient.get("/api/v1/me").status_code == 401
    assert provider.get(f"/provider/patients/{full_diary}").status_code == 404  # access ends at once
    assert provider.get("/api/v1/patients").get_json() == {"patients": []}
    assert AuthActions(client).login().status_code == 422  # the old password opens nothing
    with app.app_context():
        db = get_db()
        row = db.execute("SELECT email, display_name, password_hash, deleted_at FROM users WHERE id = ?",
                         [full_diary]).fetchone()
        kept = db.execute("SELECT action FROM audit_log WHERE patient_id = ? OR actor_id = ?",
                          [full_diary, full_diary]).fetchall()
        dump = " ".join(str(r) for r in db.execute("SELECT * FROM audit_log").fetchall())
    assert row[0].startswith("deleted-") and row[1] == "Deleted account" and row[2] == "" and row[3]
    assert ("account.deleted",) in kept and ("provider.patient_page",) in kept
    assert "pat@example.com" not in dump and "a note" not in dump


def test_a_deleted_patients_words_leave_the_database_files_too(app, patient):
    """Not only the tables: the write-ahead log kept old page images (ten copies of a note, the
    e-mail) while the server ran, until a checkpoint rewrote and truncated it."""
    note = "zq-unique-crisis-note-4471 I want to end it all"
    for n in range(10):
        assert patient.post("/api/v1/entries", json={"date": "2026-01-02", "anxiety": n, "note": note,
                                                     "triggers": ["zq-unique-trigger"]}).status_code == 201
    response = patient.post("/account/delete", data={"password": PASSWORD, "confirmation": "delete"})
    assert response.status_code == 302
    path = Path(app.config["DATABASE"])
    files = [path, Path(f"{path}-wal")]
    assert path.exists()
    for file in files:
        data = file.read_bytes() if file.exists() else b""
        for secret in (b"zq-unique-crisis-note-4471", b"zq-unique-trigger", b"pat@example.com"):
            assert secret not in data, (file.name, secret)


def test_the_email_can_be_used_again_and_gets_a_new_id(app, full_diary, patient):
    patient.post("/account/delete", data={"password": PASSWORD, "confirmation": "delete"})
    fresh = app.test_client()
    AuthActions(fresh).register()
    me = fresh.get("/api/v1/me").get_json()
    assert me["id"] != full_diary
    assert fresh.get("/api/v1/access-log").get_json() == {"events": []}  # not the old account's history


def test_providers_can_delete_their_account_too(app, full_diary, patient, provider):
    response = provider.post("/account/delete", data={"password": PASSWORD, "confirmation": "delete"})
    assert response.status_code == 302
    assert patient.get("/api/v1/care-team").get_json() == {"providers": []}
    events = patient.get("/api/v1/access-log").get_json()["events"]
    # Who saw the diary stays accountable: the views keep the provider's name as it was.
    assert events and all(e["actor"] == "Dr. Lee" for e in events)
