"""The crisis path end to end: the patient's support card, the clinic's safety flag, acknowledgement."""
import datetime as dt
import json
import re

import pytest
from helpers import AuthActions, new_user, share, today_iso, user_id, without_inline_code

from diary import create_app
from diary.db import get_db
from diary.timeutil import short_date

CRISIS = "thinking about killing myself and how I would do it"
PLAN = {"warning_signs": "Can't sleep, stop answering texts", "people_to_ask": "Sam 07700 900123",
        "reasons_for_living": "My daughter"}


def checkin(client, anxiety=4, note="", private=False, date=None):
    response = client.post("/api/v1/entries", json={"date": date or today_iso(), "anxiety": anxiety, "note": note,
                                                    "private": private})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def phq9(client, item9, private=False, date=None):
    response = client.post("/api/v1/assessments", json={
        "instrument": "phq9", "date": date or today_iso(), "answers": [1, 1, 1, 1, 1, 1, 1, 1, item9],
        "private": private})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def patients(provider):
    return {p["display_name"]: p for p in provider.get("/api/v1/patients").get_json()["patients"]}


# --- the patient's side -----------------------------------------------------------

@pytest.mark.parametrize("note, anxiety, reason", [
    (CRISIS, 10, "crisis_language"),
    (CRISIS, 3, "crisis_language"),
    ("rough day", 10, "score_10"),
    ("rough day", 9, None),
    ("killing it at work", 5, None),
])
def test_a_checkin_answers_with_the_support_card_when_it_should(patient, note, anxiety, reason):
    body = checkin(patient, anxiety, note)
    assert body["support"] == (reason and {"reason": reason})


def shown(html):
    """The page without its <template>s: Today keeps a support card in one for a check-in saved
    without a reload (static/js/app.js), which isn't shown unless that save calls for it."""
    return re.sub(r"<template\b.*?</template>", "", html, flags=re.S)


def test_the_card_shows_once_after_the_form_save_with_contacts_and_plan(patient):
    patient.put("/api/v1/safety-plan", json=PLAN)
    response = patient.post("/", data={"date": today_iso(), "anxiety": "10", "note": CRISIS})
    assert response.status_code == 302  # saved: the card never blocks the entry
    html = shown(patient.get("/").get_data(as_text=True))
    assert 'data-support-reason="crisis_language"' in html and "Your entry is saved" in html
    assert "tel:988" in html and "tel:116123" in html and "findahelpline.com" in html
    assert "Can&#39;t sleep, stop answering texts" in html and "My daughter" in html
    assert "your clinic is alerted — they see that it happened, not what you wrote" in html
    assert "data-support-reason" not in shown(patient.get("/").get_data(as_text=True))  # once
    assert patient.get("/api/v1/entries").get_json()["entries"][0]["note"] == CRISIS


def test_a_session_reflection_with_crisis_words_shows_the_card(patient):
    session = {"date": today_iso(), "treatment": "iv_ketamine", "anxiety_before": 7, "anxiety_after": 3}
    body = patient.post("/api/v1/sessions", json={**session, "reflection": "I don't want to be here"}).get_json()
    assert body["support"] == {"reason": "crisis_language"}
    calm = patient.post("/api/v1/sessions", json={**session, "reflection": "calm"}).get_json()
    assert calm["support"] is None
    patched = patient.patch(f"/api/v1/sessions/{calm['id']}", json={"reflection": "self-harm urges"})
    assert patched.get_json()["support"] == {"reason": "crisis_language"}
    assert patient.post("/sessions/new", data={**session, "anxiety_before": "7", "anxiety_after": "3",
                                               "reflection": "want to die"}).status_code == 302
    assert "Your entry is saved" in patient.get("/sessions/").get_data(as_text=True)


def test_the_phq9_item_9_answer_shows_the_card_on_the_result_page(patient):
    answers = {f"item_{n}": "0" for n in range(1, 10)} | {"item_9": "1"}
    response = patient.post("/assessments/new?instrument=phq9", data={"date": today_iso(), **answers})
    html = patient.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-support-reason="phq9_item9"' in html and "tel:988" in html


def test_the_support_page_is_open_to_everyone_and_holds_the_plan_for_its_patient(client, patient, app):
    anonymous = app.test_client()
    html = anonymous.get("/support").get_data(as_text=True)
    assert anonymous.get("/support").status_code == 200
    assert "988" in html and "116 123" in html and "emergency" in html and "Log in" in html
    patient.put("/api/v1/safety-plan", json=PLAN)
    html = patient.get("/support").get_data(as_text=True)
    assert "Sam 07700 900123" in html and "My daughter" in html and "What your clinic sees" in html
    assert "Sam 07700 900123" not in patient.get("/support/offline").get_data(as_text=True)


def test_safety_plan_form_saves_every_step_and_names_bad_fields(patient):
    form = {name: f"text for {name}" for name in ("warning_signs", "coping_strategies", "distractions",
                                                  "people_to_ask", "professionals", "safer_environment",
                                                  "reasons_for_living")}
    assert patient.post("/safety-plan", data=form).status_code == 302
    plan = patient.get("/api/v1/safety-plan").get_json()
    assert {k: plan[k] for k in form} == form and plan["updated_at"]
    response = patient.post("/safety-plan", data={**form, "distractions": "x" * 10_001})
    assert response.status_code == 422 and "People and places that distract me" in response.get_data(as_text=True)
    assert patient.get("/api/v1/safety-plan").get_json()["distractions"] == form["distractions"]
    bad = patient.put("/api/v1/safety-plan", json={"warning_signs": 5})
    assert bad.status_code == 422 and set(bad.get_json()["errors"]) == {"warning_signs"}


def test_a_plans_line_breaks_are_stored_as_typed(patient):
    """A browser posts a textarea's line breaks as CRLF; the JSON API sends LF: both store LF."""
    assert patient.post("/safety-plan", data={"warning_signs": "Not sleeping\r\nSkipping meals"}).status_code == 302
    assert patient.get("/api/v1/safety-plan").get_json()["warning_signs"] == "Not sleeping\nSkipping meals"


def test_providers_and_strangers_cannot_reach_a_plan(app, provider):
    assert provider.get("/safety-plan").status_code == 403
    assert app.test_client().get("/safety-plan").status_code == 302
    assert app.test_client().get("/api/v1/safety-plan").status_code == 401


# --- the clinic's side --------------------------------------------------------------

@pytest.fixture
def care(patient, provider):
    share(patient, provider, "full")
    return {"patient": patient, "provider": provider, "patient_id": user_id(patient)}


def test_item_9_path_end_to_end(care):
    """Patient card → provider flag → acknowledgement in the audit log and the patient's access log."""
    patient, provider, pid = care["patient"], care["provider"], care["patient_id"]
    assert phq9(patient, item9=1)["support"] == {"reason": "phq9_item9"}
    row = patients(provider)["Pat"]
    assert row["flags"][0] == "safety"
    assert row["safety"]["since"] == today_iso() and row["safety"]["count"] == 1
    assert row["safety"]["reason"] == "PHQ-9 item 9 (thoughts of death or self-harm) answered “several days”"
    assert row["flag_reasons"][0]["text"].startswith("PHQ-9 item 9 (thoughts of death or self-harm)")
    dashboard = provider.get("/provider/").get_data(as_text=True)
    assert "Safety: needs acknowledging" in dashboard and "answered “several days”" in dashboard
    page = provider.get(f"/provider/patients/{pid}").get_data(as_text=True)
    assert "Acknowledge: I've seen this" in page

    assert provider.post(f"/api/v1/patients/{pid}/safety/acknowledge").status_code == 204
    row = patients(provider)["Pat"]
    assert row["safety"] is None and "safety" not in row["flags"]
    log = patient.get("/api/v1/access-log").get_json()["events"]
    acks = [e for e in log if e["action"] == "safety.acknowledged"]
    assert len(acks) == 1 and acks[0]["actor"] == "Dr. Lee"
    assert "acknowledged a safety alert" in patient.get("/care-team").get_data(as_text=True)

    phq9(patient, item9=3)  # a new event raises it again
    assert patients(provider)["Pat"]["safety"]["reason"].endswith("answered “nearly every day”")


def test_acknowledging_through_the_page(care):
    phq9(care["patient"], item9=2)
    pid = care["patient_id"]
    response = care["provider"].post(f"/provider/patients/{pid}/safety/acknowledge")
    assert response.status_code == 302
    assert "Safety alert acknowledged" in care["provider"].get(response.headers["Location"]).get_data(as_text=True)
    assert patients(care["provider"])["Pat"]["safety"] is None


def test_each_provider_acknowledges_for_themselves(app, care):
    second = new_user(app, "dr2@example.com", "Dr. Two", role="provider")
    share(care["patient"], second, "scores")
    checkin(care["patient"], 5, "I want to end my life")
    care["provider"].post(f"/api/v1/patients/{care['patient_id']}/safety/acknowledge")
    assert patients(care["provider"])["Pat"]["safety"] is None
    assert patients(second)["Pat"]["safety"]["reason"] == "Crisis language in a check-in"


def test_scores_only_gets_the_flag_and_date_never_the_words(app, patient, provider):
    share(patient, provider, "scores")
    checkin(patient, 6, CRISIS)
    row = patients(provider)["Pat"]
    raised_at = row["safety"].pop("raised_at")
    assert row["safety"] == {"since": today_iso(), "date": today_iso(), "reason": "Crisis language in a check-in", "count": 1}
    assert raised_at.startswith(today_iso()) and raised_at.endswith("Z")
    pid = user_id(patient)
    for path in ("/provider/", f"/provider/patients/{pid}", "/api/v1/patients", f"/api/v1/patients/{pid}/entries",
                 f"/api/v1/patients/{pid}/trends", f"/provider/patients/{pid}/export/entries.csv"):
        body = provider.get(path).get_data(as_text=True)
        assert "killing myself" not in body, path
    page = provider.get(f"/provider/patients/{pid}").get_data(as_text=True)
    assert "Safety alert" in page and "you see that it happened, not what was written" in page


def test_private_entries_and_assessments_never_raise_a_flag(care):
    patient, provider = care["patient"], care["provider"]
    checkin(patient, 10, CRISIS, private=True)
    phq9(patient, item9=3, private=True)
    row = patients(provider)["Pat"]
    assert row["safety"] is None and row["flags"] in (["quiet"], [])
    assert "spike" not in row["flags"]  # the private 10 isn't a spike either
    page = without_inline_code(provider.get(f"/provider/patients/{care['patient_id']}").get_data(as_text=True))
    assert "Safety alert" not in page and "killing myself" not in page


def test_making_an_entry_private_or_deleting_it_takes_the_flag_away_sharing_it_raises_it(care):
    patient, provider = care["patient"], care["provider"]
    entry = checkin(patient, 5, CRISIS)
    assert patients(provider)["Pat"]["safety"] is not None
    patient.patch(f"/api/v1/entries/{entry['id']}", json={"private": True})
    assert patients(provider)["Pat"]["safety"] is None
    provider.post(f"/api/v1/patients/{care['patient_id']}/safety/acknowledge")
    patient.patch(f"/api/v1/entries/{entry['id']}", json={"private": False})
    assert patients(provider)["Pat"]["safety"] is not None  # newly shared: news for the clinic
    patient.delete(f"/api/v1/entries/{entry['id']}")
    assert patients(provider)["Pat"]["safety"] is None
    edited = checkin(patient, 5, "fine")
    patient.patch(f"/api/v1/entries/{edited['id']}", json={"note": "suicidal thoughts tonight"})
    assert patients(provider)["Pat"]["safety"] is not None


def test_a_checkin_deleted_and_written_again_with_its_id_carries_only_its_new_words_signal(care):
    """A new check-in can't find an older signal under its id: deleting a record deletes its
    signal (the save path relies on it and doesn't look)."""
    patient, provider = care["patient"], care["provider"]
    entry_id = checkin(patient, 5, CRISIS)["id"]
    assert patient.delete(f"/api/v1/entries/{entry_id}").status_code == 204
    again = patient.post("/api/v1/entries", json={"id": entry_id, "date": today_iso(), "anxiety": 5, "note": "fine"})
    assert again.status_code == 201 and again.get_json()["support"] is None
    assert patients(provider)["Pat"]["safety"] is None
    assert patient.delete(f"/api/v1/entries/{entry_id}").status_code == 204
    again = patient.post("/api/v1/entries", json={"id": entry_id, "date": today_iso(), "anxiety": 5, "note": CRISIS})
    assert again.status_code == 201
    assert patients(provider)["Pat"]["safety"] is not None


def test_a_provider_without_a_share_sees_nothing_and_cannot_acknowledge(app, patient, provider):
    phq9(patient, item9=2)
    pid = user_id(patient)
    assert patients(provider) == {}
    assert provider.post(f"/api/v1/patients/{pid}/safety/acknowledge").status_code == 404
    assert provider.post(f"/provider/patients/{pid}/safety/acknowledge").status_code == 404
    assert patient.post(f"/api/v1/patients/{pid}/safety/acknowledge").status_code == 403
    with app.app_context():
        assert get_db().execute("SELECT count(*) FROM safety_acknowledgements").fetchone()[0] == 0


def test_dashboard_puts_who_needs_a_call_first(app, provider):
    people = {}
    for name in ("Calm Cara", "Spiky Sol", "Severe Sev", "Safety Sam"):
        client = app.test_client()
        AuthActions(client).register(email=f"{name.split()[1].lower()}@example.com", display_name=name)
        share(client, provider)
        people[name] = client
    for client in people.values():
        checkin(client, 3)
    checkin(people["Spiky Sol"], 9)
    people["Severe Sev"].post("/api/v1/assessments", json={"instrument": "gad7", "date": today_iso(),
                                                           "answers": [3, 3, 3, 3, 3, 0, 0]})
    checkin(people["Safety Sam"], 2, "I keep thinking I'd be better off dead")
    listed = provider.get("/api/v1/patients").get_json()["patients"]
    assert [p["display_name"] for p in listed] == ["Safety Sam", "Severe Sev", "Spiky Sol", "Calm Cara"]
    assert [p["flags"] for p in listed] == [["safety"], ["severe"], ["spike"], []]
    html = provider.get("/provider/").get_data(as_text=True)
    assert html.index("Safety Sam") < html.index("Severe Sev") < html.index("Spiky Sol") < html.index("Calm Cara")
    assert "GAD-7 15 (severe)" in html and "Checked in at 9" in html


def test_the_issue_report_is_fixed(care):
    """A 10 with crisis words answered only "Check-in saved." and the patient was listed last, unflagged."""
    patient, provider = care["patient"], care["provider"]
    for days in range(1, 7):
        checkin(patient, 4, date=(dt.date.today() - dt.timedelta(days=days)).isoformat())
    response = patient.post("/", data={"date": today_iso(), "anxiety": "10", "note": CRISIS})
    assert "Your entry is saved" in patient.get(response.headers["Location"]).get_data(as_text=True)
    row = patients(provider)["Pat"]
    assert row["flags"][:2] == ["safety", "spike"]


# --- configured crisis contacts -------------------------------------------------------

def make_app(tmp_path, monkeypatch, setting=None, file_text=None):
    monkeypatch.setenv("DIARY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DIARY_CRISIS_CONTACTS", raising=False)
    if setting is not None:
        monkeypatch.setenv("DIARY_CRISIS_CONTACTS", setting)
    if file_text is not None:
        (tmp_path / "crisis_contacts.json").write_text(file_text)
    return create_app({"TESTING": True, "DATABASE": str(tmp_path / "d.sqlite3"), "SECRET_KEY": "x"})


CLINIC = [{"name": "Lakeside Clinic (weekdays 9–5)", "phone": "+1 312 555 0100", "note": "Ask for the on-call nurse."}]


def test_contacts_from_the_environment(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch, setting=json.dumps(CLINIC))
    html = app.test_client().get("/support").get_data(as_text=True)
    assert "Lakeside Clinic" in html and 'href="tel:+13125550100"' in html and "Samaritans" not in html


def test_contacts_from_a_file_in_instance_or_a_named_file(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch, file_text=json.dumps(CLINIC))
    assert "Lakeside Clinic" in app.test_client().get("/support").get_data(as_text=True)
    named = tmp_path / "elsewhere.json"
    named.write_text(json.dumps([{"name": "Other line", "url": "https://example.org/help"}]))
    app = make_app(tmp_path / "sub", monkeypatch, setting=str(named))
    assert "Other line" in app.test_client().get("/support").get_data(as_text=True)


@pytest.mark.parametrize("setting, problem", [
    ("[{\"name\": \"No way to reach\"}]", "Give at least one of phone, sms or url."),
    ("[{\"name\": \"x\", \"phone\": \"call me\"}]", "Must be a phone number"),
    ("[]", "the list is empty"),
    ("[not json", "not valid JSON"),
    ("/no/such/file.json", "can't read the file"),
])
def test_a_broken_setting_stops_the_app_with_a_message(tmp_path, monkeypatch, setting, problem):
    with pytest.raises(ValueError, match=problem.replace("(", r"\(")):
        make_app(tmp_path, monkeypatch, setting=setting)


def test_default_contacts(tmp_path, monkeypatch):
    html = make_app(tmp_path, monkeypatch).test_client().get("/support").get_data(as_text=True)
    assert "988 Suicide &amp; Crisis Lifeline (US)" in html and 'href="sms:988"' in html
    assert "Samaritans (UK and Ireland)" in html and 'href="tel:116123"' in html
    assert 'href="https://findahelpline.com"' in html
    # In Spanish: call 988 and press 2, or text AYUDA (988lifeline.org/get-help/what-to-expect).
    assert "988 Lifeline en español (EE. UU.)" in html and "Llama al 988 y marca 2, o envía AYUDA" in html


def test_severe_uses_the_latest_shared_result_only(care):
    patient, provider = care["patient"], care["provider"]
    gad = {"instrument": "gad7", "answers": [3, 3, 3, 3, 3, 0, 0]}  # 15: severe
    days_ago = lambda n: (dt.date.today() - dt.timedelta(days=n)).isoformat()  # noqa: E731
    patient.post("/api/v1/assessments", json={**gad, "date": days_ago(40)})
    assert "severe" not in patients(provider)["Pat"]["flags"]  # 40 days old: history, not a flag
    patient.post("/api/v1/assessments", json={**gad, "date": days_ago(20)})
    assert patients(provider)["Pat"]["flags"][0] == "severe"
    patient.post("/api/v1/assessments", json={**gad, "date": days_ago(10), "answers": [1] * 7})  # 7: mild
    assert "severe" not in patients(provider)["Pat"]["flags"]
    patient.post("/api/v1/assessments", json={**gad, "date": days_ago(5), "private": True})
    assert "severe" not in patients(provider)["Pat"]["flags"]  # a private result never flags


# --- found in review: acknowledging what was shown, edits, triggers, late sharers ------------

def test_acknowledging_covers_only_what_the_provider_was_shown(care):
    patient, provider, pid = care["patient"], care["provider"], care["patient_id"]
    checkin(patient, 5, "I want to die")
    shown = patients(provider)["Pat"]["safety"]["raised_at"]
    page = provider.get(f"/provider/patients/{pid}").get_data(as_text=True)
    assert f'name="through" value="{shown}"' in page
    checkin(patient, 5, "suicidal again")  # written while the provider was reading
    assert provider.post(f"/provider/patients/{pid}/safety/acknowledge", data={"through": shown}).status_code == 302
    still = patients(provider)["Pat"]["safety"]
    assert still is not None and still["count"] == 1 and still["raised_at"] > shown
    assert provider.post(f"/api/v1/patients/{pid}/safety/acknowledge", json={"through": still["raised_at"]}).status_code == 204
    assert patients(provider)["Pat"]["safety"] is None


def test_acknowledging_nothing_writes_nothing(care):
    pid = care["patient_id"]
    assert care["provider"].post(f"/api/v1/patients/{pid}/safety/acknowledge").status_code == 204
    log = care["patient"].get("/api/v1/access-log").get_json()["events"]
    assert not [e for e in log if e["action"] == "safety.acknowledged"]


def test_a_malformed_through_is_422_naming_it(care):
    pid = care["patient_id"]
    response = care["provider"].post(f"/api/v1/patients/{pid}/safety/acknowledge", json={"through": "yesterday"})
    assert response.status_code == 422 and set(response.get_json()["errors"]) == {"through"}


def test_editing_the_words_of_an_acknowledged_record_raises_it_again(care):
    patient, provider, pid = care["patient"], care["provider"], care["patient_id"]
    entry = checkin(patient, 5, "I want to die")
    provider.post(f"/api/v1/patients/{pid}/safety/acknowledge")
    patient.patch(f"/api/v1/entries/{entry['id']}", json={"anxiety": 6})  # words unchanged: stays seen
    assert patients(provider)["Pat"]["safety"] is None
    patched = patient.patch(f"/api/v1/entries/{entry['id']}", json={"note": "I have a plan to kill myself tonight"})
    assert patched.get_json()["support"] == {"reason": "crisis_language"}
    assert patients(provider)["Pat"]["safety"]["count"] == 1


def test_crisis_words_as_a_trigger_show_the_card_and_raise_the_flag(care):
    body = care["patient"].post("/api/v1/entries", json={"date": today_iso(), "anxiety": 4,
                                                         "triggers": ["suicidal thoughts"]}).get_json()
    assert body["support"] == {"reason": "crisis_language"}
    assert patients(care["provider"])["Pat"]["safety"]["reason"] == "Crisis language in a check-in"


def test_a_backdated_record_is_dated_by_when_it_was_written(care):
    three_weeks_ago = (dt.date.today() - dt.timedelta(days=21)).isoformat()
    checkin(care["patient"], 5, "I can't go on", date=three_weeks_ago)
    row = patients(care["provider"])["Pat"]
    assert row["safety"]["date"] == today_iso() and row["flags"][0] == "safety"
    assert row["flag_reasons"][0]["text"].endswith(f"(dated {short_date(three_weeks_ago)})")


def test_a_provider_who_starts_sharing_later_gets_recent_signals_only(app, patient):
    checkin(patient, 5, "I want to die")
    with app.app_context():  # raised 20 days ago
        get_db().execute("UPDATE safety_events SET raised_at = ?",
                         [(dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=20)).isoformat()[:23] + "Z"])
    late = new_user(app, "late@example.com", "Dr. Late", role="provider")
    share(patient, late, "full")
    assert patients(late)["Pat"]["safety"] is None
    assert "Crisis language in a check-in" in late.get(f"/provider/patients/{user_id(patient)}").get_data(as_text=True)
    checkin(patient, 5, "suicidal")
    assert patients(late)["Pat"]["safety"]["count"] == 1
