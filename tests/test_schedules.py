"""Questionnaires on the clinic's schedule: a clinician sets when a sharing patient's GAD-7 and
PHQ-9 fall due; Today's card and the reminders follow it; the patient sees who set it; audited."""
import datetime as dt

import pytest
from helpers import share, user_id

from diary.services.assessments import due_since

TODAY = dt.date(2026, 6, 30)
JOINED = dt.date(2026, 1, 1)


def weekly(restart=False):
    return {"cadence": "weekly", "restart_each_series": restart}


@pytest.mark.parametrize("last, schedule, sessions, starts, expected", [
    # The default: every 14 days from the last taken, and on session days.
    (dt.date(2026, 6, 20), None, [dt.date(2026, 6, 25)], [], dt.date(2026, 6, 25)),
    (dt.date(2026, 6, 20), None, [], [], None),
    # Weekly: 7 days after the last one, session days don't count.
    (dt.date(2026, 6, 20), weekly(), [dt.date(2026, 6, 25)], [], dt.date(2026, 6, 27)),
    (dt.date(2026, 6, 25), weekly(), [], [], None),
    # Four-weekly.
    (dt.date(2026, 6, 1), {"cadence": "four_weekly", "restart_each_series": False}, [], [], dt.date(2026, 6, 29)),
    (dt.date(2026, 6, 5), {"cadence": "four_weekly", "restart_each_series": False}, [], [], None),
    # The day after each session.
    (dt.date(2026, 6, 20), {"cadence": "after_session", "restart_each_series": False}, [dt.date(2026, 6, 25)], [],
     dt.date(2026, 6, 26)),
    (dt.date(2026, 6, 26), {"cadence": "after_session", "restart_each_series": False}, [dt.date(2026, 6, 25)], [],
     None),
    # Restart at a new series: due on its first session, and counted again from there.
    (dt.date(2026, 6, 24), weekly(restart=True), [dt.date(2026, 6, 26)], [dt.date(2026, 6, 26)],
     dt.date(2026, 6, 26)),
    (dt.date(2026, 6, 18), weekly(restart=True), [dt.date(2026, 6, 22)], [dt.date(2026, 6, 22)],
     dt.date(2026, 6, 29)),  # 22 Jun then 7 days on
    # Never taken: due from the day they joined.
    (None, weekly(), [], [], JOINED + dt.timedelta(days=7 * 25)),
])
def test_when_a_questionnaire_falls_due(last, schedule, sessions, starts, expected):
    assert due_since(last, sessions, TODAY, JOINED, schedule, starts) == expected


def days_ago(n):
    return (dt.date.today() - dt.timedelta(days=n)).isoformat()


def take(client, instrument, date):
    answers = [1] * (7 if instrument == "gad7" else 8) + ([0] if instrument == "phq9" else [])
    assert client.post("/api/v1/assessments", json={"instrument": instrument, "date": date,
                                                     "answers": answers}).status_code == 201


def test_a_clinicians_weekly_schedule_drives_todays_card_and_says_who_set_it(app, patient, provider):
    patient_id = share(patient, provider, "scores")
    for instrument in ("gad7", "phq9"):
        take(patient, instrument, days_ago(8))
    assert "A two-minute questionnaire" not in patient.get("/").get_data(as_text=True)  # default: 14 days
    response = provider.put(f"/api/v1/patients/{patient_id}/questionnaire-schedule",
                            json={"cadence": "weekly", "restart_each_series": True})
    assert response.status_code == 200
    schedule = response.get_json()
    assert schedule.pop("set_at").endswith("Z")
    assert schedule == {"cadence": "weekly", "restart_each_series": True, "set_by": "Dr. Lee"}
    today = patient.get("/").get_data(as_text=True)
    assert "A two-minute questionnaire" in today and "Dr. Lee asks for them on this schedule: every week." in today
    # "Not now" still works; the access log names the change.
    assert patient.post("/assessments/due/dismiss").status_code == 302
    assert "A two-minute questionnaire" not in patient.get("/").get_data(as_text=True)
    events = patient.get("/api/v1/access-log").get_json()["events"]
    assert [e["action"] for e in events].count("provider.schedule_set") == 1


def test_a_schedule_restarts_at_each_new_series(app, patient, provider):
    patient_id = share(patient, provider, "full")
    for instrument in ("gad7", "phq9"):
        take(patient, instrument, days_ago(2))

    def schedule(restart):
        assert provider.put(f"/api/v1/patients/{patient_id}/questionnaire-schedule",
                            json={"cadence": "four_weekly", "restart_each_series": restart}).status_code == 200
    schedule(False)
    assert "A two-minute questionnaire" not in patient.get("/").get_data(as_text=True)
    assert patient.post("/api/v1/sessions", json={"date": days_ago(0), "treatment": "iv_ketamine",
                                                  "anxiety_before": 6, "anxiety_after": 3}).status_code == 201
    # Every four weeks, and that's all: a session day alone (the patient's default) doesn't call for them.
    assert "A two-minute questionnaire" not in patient.get("/").get_data(as_text=True)
    schedule(True)
    today = patient.get("/").get_data(as_text=True)
    assert "A two-minute questionnaire" in today  # a new series began today
    assert "Dr. Lee asks for them on this schedule: every 4 weeks." in today


def test_only_a_sharing_clinician_sets_it_and_a_revoked_one_no_longer_counts(app, patient, provider, other_patient):
    patient_id = share(patient, provider, "full")
    assert provider.put(f"/api/v1/patients/{user_id(other_patient)}/questionnaire-schedule",
                        json={"cadence": "weekly"}).status_code == 404
    assert provider.put(f"/api/v1/patients/{patient_id}/questionnaire-schedule",
                        json={"cadence": "monthly"}).status_code == 422
    assert patient.put(f"/api/v1/patients/{patient_id}/questionnaire-schedule",
                       json={"cadence": "weekly"}).status_code == 403
    assert provider.put(f"/api/v1/patients/{patient_id}/questionnaire-schedule",
                        json={"cadence": "weekly"}).status_code == 200
    assert patient.delete(f"/api/v1/care-team/{user_id(provider)}").status_code == 204
    for instrument in ("gad7", "phq9"):
        take(patient, instrument, days_ago(8))
    assert "A two-minute questionnaire" not in patient.get("/").get_data(as_text=True)  # back to 14 days


def test_the_schedule_form_on_the_patient_page(app, patient, provider):
    patient_id = share(patient, provider, "full")
    page = provider.get(f"/provider/patients/{patient_id}").get_data(as_text=True)
    assert 'name="cadence"' in page and "own schedule." in page
    response = provider.post(f"/provider/patients/{patient_id}/questionnaire-schedule",
                             data={"cadence": "after_session"})
    assert response.status_code == 302
    page = provider.get(f"/provider/patients/{patient_id}").get_data(as_text=True)
    assert "Set by Dr. Lee." in page and '<option value="after_session" selected>' in page
