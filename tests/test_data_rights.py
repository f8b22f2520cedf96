"""Download everything, delete everything."""
import pytest

from conftest import PASSWORD, AuthActions
from diary.db import get_db


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
    return patient_id


def test_download_everything(full_diary, patient):
    response = patient.get("/export/everything.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="symptom-diary-everything-')
    data = response.get_json()
    assert data["account"]["email"] == "pat@example.com" and data["account"]["id"] == full_diary
    assert [e["note"] for e in data["entries"]] == ["a note"] and data["entries"][0]["private"] is True
    assert [s["reflection"] for s in data["sessions"]] == ["a reflection"]
    assert data["triggers"] == [{"id": data["triggers"][0]["id"], "name": "work", "entry_count": 1}]
    assert [(s["provider"], s["scope"], s["revoked_at"]) for s in data["shares"]] == [("Dr. Lee", "full", None)]
    assert len(data["share_codes"]) == 2
    assert {e["action"] for e in data["access_log"]} >= {"share.redeemed", "provider.patient_page"}
    assert [e["action"] for e in data["account_events"]] == ["auth.registered"]
    assert "password" not in response.get_data(as_text=True)


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
    response = patient.post("/account/delete", data={"password": PASSWORD, "confirmation": " Delete "})
    assert response.status_code == 302
    assert counts(app, full_diary) == {k: 0 for k in ("entries", "entry_triggers", "triggers", "sessions",
                                                      "shares", "invites")}
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
    assert events and all(e["actor"] == "Deleted account" for e in events)
