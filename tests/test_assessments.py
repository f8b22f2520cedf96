"""GAD-7 and PHQ-9 through the API and the HTML form: scored by the server, idempotent, validated."""
import datetime as dt
import re
import uuid

import pytest
from helpers import errors_of, stored, tomorrow_in_london

from diary.db import get_db

API = "/api/v1/assessments"
GAD = {"instrument": "gad7", "date": "2026-03-01", "answers": [2, 2, 1, 1, 2, 1, 1]}          # 10: moderate
PHQ = {"instrument": "phq9", "date": "2026-03-02", "answers": [1, 1, 1, 1, 1, 0, 0, 0, 0]}    # 5: mild


def test_create_scores_and_answers_201(patient):
    response = patient.post(API, json=GAD)
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["total"], body["severity"], body["support"], body["difficulty"], body["private"]) == (
        10, "moderate", None, None, False)
    assert body["answers"] == GAD["answers"]
    assert patient.get(response.headers["Location"]).get_json() == stored(body)


@pytest.mark.parametrize("answers, total, severity", [
    ([0] * 9, 0, "minimal"), ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "minimal"), ([3, 3, 3, 3, 3, 0, 0, 0, 0], 15,
     "moderately_severe"), ([3, 3, 3, 3, 3, 3, 1, 1, 0], 20, "severe"), ([3] * 9, 27, "severe"),
])
def test_phq9_totals_and_bands_through_the_api(patient, answers, total, severity):
    body = patient.post(API, json={**PHQ, "answers": answers}).get_json()
    assert (body["total"], body["severity"]) == (total, severity)


def test_a_client_total_or_severity_is_not_accepted(patient):
    response = patient.post(API, json={**GAD, "total": 0})
    errors_of(response, 422, "total")


def test_item_9_above_0_answers_with_the_support_card(patient):
    body = patient.post(API, json={**PHQ, "answers": [0] * 8 + [1]}).get_json()
    assert body["support"] == {"reason": "phq9_item9"}


def test_same_id_twice_is_200_and_stored_once_different_body_409(patient):
    data = {**PHQ, "id": str(uuid.uuid4()), "answers": [0] * 8 + [2]}
    first, second = patient.post(API, json=data), patient.post(API, json=data)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.get_json() == first.get_json()  # the replay shows the card too (an outbox lost the answer)
    assert second.get_json()["support"] == {"reason": "phq9_item9"}
    conflict = patient.post(API, json={**data, "answers": [0] * 9})
    errors_of(conflict, 409, "id")
    assert len(patient.get(API).get_json()["assessments"]) == 1


@pytest.mark.parametrize("body, field, message", [
    ({**GAD, "answers": [1] * 6}, "answers", "GAD-7 has 7 questions: send 7 answers (got 6)."),
    ({**PHQ, "answers": [1] * 10}, "answers", "PHQ-9 has 9 questions: send 9 answers (got 10)."),
    ({**GAD, "answers": [1, 1, 4, 1, 1, 1, 1]}, "answers", "Item 3: Must be 0, 1, 2 or 3"),
    ({**GAD, "answers": [1, 1, -1, 1, 1, 1, 1]}, "answers", "Item 3: Must be 0, 1, 2 or 3"),
    ({**GAD, "answers": [1, 1, 1.5, 1, 1, 1, 1]}, "answers", "Item 3: Must be 0, 1, 2 or 3"),
    ({**GAD, "answers": [1, None, 1, 1, 1, 1, 1]}, "answers", "Item 2: Choose an answer."),
    ({**GAD, "answers": "1111111"}, "answers", "Not a valid list."),
    ({**GAD, "instrument": "bdi"}, "instrument", "Must be one of: gad7, phq9."),
    ({**GAD, "date": "2026-02-30"}, "date", "Must be a date as YYYY-MM-DD."),
    ({**GAD, "difficulty": 4}, "difficulty", "Must be 0, 1, 2 or 3"),
    ({"instrument": "gad7", "date": "2026-03-01"}, "answers", "Missing data for required field."),
])
def test_bad_input_is_422_naming_the_field_and_stores_nothing(patient, body, field, message):
    errors = errors_of(patient.post(API, json=body), 422, field)
    assert errors[field][0].startswith(message), errors
    assert patient.get(API).get_json() == {"assessments": []}


def test_a_future_date_is_refused(patient):
    errors_of(patient.post(API, json={**GAD, "date": tomorrow_in_london()}), 422, "date")


def test_list_newest_first_filtered_by_instrument_and_only_mine(patient, other_patient):
    patient.post(API, json=GAD)
    patient.post(API, json=PHQ)
    patient.post(API, json={**GAD, "date": "2026-03-10"})
    other_patient.post(API, json=GAD)
    listed = patient.get(API).get_json()["assessments"]
    assert [(a["instrument"], a["date"]) for a in listed] == [
        ("gad7", "2026-03-10"), ("phq9", "2026-03-02"), ("gad7", "2026-03-01")]
    gads = patient.get(API + "?instrument=gad7").get_json()["assessments"]
    assert [a["date"] for a in gads] == ["2026-03-10", "2026-03-01"]
    errors_of(patient.get(API + "?instrument=nope"), 422, "instrument")


def test_delete(patient, other_patient):
    body = patient.post(API, json=GAD).get_json()
    assert other_patient.delete(f"{API}/{body['id']}").status_code == 404
    assert patient.delete(f"{API}/{body['id']}").status_code == 204
    assert patient.get(f"{API}/{body['id']}").status_code == 404


# --- the HTML form ------------------------------------------------------------

def form_answers(answers):
    return {f"item_{n}": str(a) for n, a in enumerate(answers, start=1)}


def test_the_form_shows_every_item_and_the_options(patient):
    html = patient.get("/assessments/new?instrument=phq9").get_data(as_text=True)
    assert "Question 9 of 9" in html and "better off dead" in html
    assert html.count('name="item_') == 9 * 4
    assert "More than half the days" in html and "Not difficult at all" in html


def test_unknown_instrument_asks_to_choose(patient):
    response = patient.get("/assessments/new?instrument=bdi")
    assert response.status_code == 422 and "Choose GAD-7 or PHQ-9." in response.get_data(as_text=True)
    assert patient.get("/assessments/new").status_code == 200


def test_posting_the_form_shows_total_severity_and_change(patient):
    today = dt.date.today().isoformat()
    first = patient.post("/assessments/new?instrument=gad7",
                         data={"date": "2026-01-05", **form_answers([3, 3, 3, 3, 2, 2, 0])})
    assert first.status_code == 302
    html = patient.get(first.headers["Location"]).get_data(as_text=True)
    assert "<strong>16</strong>" in html and "Severe anxiety symptoms" in html and "first GAD-7" in html
    second = patient.post("/assessments/new?instrument=gad7",
                          data={"date": today, "difficulty": "1", **form_answers([2, 2, 1, 1, 2, 1, 1])})
    html = patient.get(second.headers["Location"]).get_data(as_text=True)
    assert "<strong>10</strong>" in html and "Moderate anxiety symptoms" in html
    year = "" if dt.date.today().year == 2026 else " 2026"  # friendly dates name the year only when it isn't this one
    assert f"Down 6 since your last GAD-7 (16 on Mon 5 Jan{year})" in html
    assert "Somewhat difficult" in html


def test_a_missing_answer_is_named_and_nothing_is_saved(patient):
    answers = form_answers([1] * 9)
    del answers["item_4"]
    response = patient.post("/assessments/new?instrument=phq9", data={"date": "2026-01-05", **answers})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'href="#item_4">Item 4</a>: Choose an answer.', html)
    assert 'id="item_4" aria-invalid="true"' in html
    assert 'value="1" checked' in html  # the other answers are kept
    assert patient.get(API).get_json() == {"assessments": []}


def test_the_form_is_double_submit_safe(patient):
    data = {"id": str(uuid.uuid4()), "date": "2026-01-05", **form_answers([1] * 7)}
    assert patient.post("/assessments/new?instrument=gad7", data=data).status_code == 302
    assert patient.post("/assessments/new?instrument=gad7", data=data).status_code == 302
    assert len(patient.get(API).get_json()["assessments"]) == 1


def test_delete_through_the_page_asks_first(patient):
    body = patient.post(API, json=GAD).get_json()
    assert "Delete this GAD-7?" in patient.get(f"/assessments/{body['id']}/delete").get_data(as_text=True)
    assert patient.post(f"/assessments/{body['id']}/delete").status_code == 302
    assert patient.get(API).get_json() == {"assessments": []}


# --- the "due" card on Today ----------------------------------------------------

def test_due_card_for_a_new_patient_dismissable_and_back_two_weeks_later(patient, app):
    assert "A two-minute questionnaire" in patient.get("/").get_data(as_text=True)
    assert patient.post("/assessments/due/dismiss").status_code == 302
    assert "A two-minute questionnaire" not in patient.get("/").get_data(as_text=True)
    with app.app_context():  # as if the patient had joined and dismissed the card 14 days ago
        db = get_db()
        db.execute("UPDATE users SET created_at = ?", [(dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=14)).isoformat()])
        db.execute("UPDATE dismissals SET at = ?", [(dt.date.today() - dt.timedelta(days=14)).isoformat()])
    assert "A two-minute questionnaire" in patient.get("/").get_data(as_text=True)


def test_due_again_after_a_session_even_if_dismissed_before(patient):
    days_ago = lambda n: (dt.date.today() - dt.timedelta(days=n)).isoformat()  # noqa: E731
    for body in (GAD, PHQ):
        patient.post(API, json={**body, "date": days_ago(5)})
    assert "A two-minute questionnaire" not in patient.get("/").get_data(as_text=True)
    patient.post("/api/v1/sessions", json={"date": days_ago(5), "treatment": "iv_ketamine", "anxiety_before": 6,
                                           "anxiety_after": 2})
    assert "A two-minute questionnaire" not in patient.get("/").get_data(as_text=True)  # same day: not after
    patient.post("/api/v1/sessions", json={"date": days_ago(2), "treatment": "iv_ketamine", "anxiety_before": 6,
                                           "anxiety_after": 2})
    html = patient.get("/").get_data(as_text=True)
    assert "A two-minute questionnaire" in html and "GAD-7" in html and "PHQ-9" in html


def test_due_rule():
    from diary.services.assessments import due_since
    day = dt.date(2026, 3, 1)
    joined = dt.date(2026, 1, 1)
    assert due_since(None, [], day, joined) == dt.date(2026, 2, 26)  # joined + 4 × 14 days
    assert due_since(None, [], joined, joined) == joined
    assert due_since(None, [joined + dt.timedelta(days=20)], day, joined) == dt.date(2026, 2, 26)
    assert due_since(day, [], day + dt.timedelta(days=30), joined) == day + dt.timedelta(days=28)
    assert due_since(day, [], day + dt.timedelta(days=13), joined) is None
    assert due_since(day, [], day + dt.timedelta(days=14), joined) == day + dt.timedelta(days=14)
    session = day + dt.timedelta(days=4)
    assert due_since(day, [day, session], day + dt.timedelta(days=5), joined) == session
    assert due_since(day, [day], day + dt.timedelta(days=5), joined) is None  # a session on the same day


def phq9(client, date, total):
    answers = [min(3, max(0, total - 3 * n)) for n in range(8)] + [0]
    response = client.post("/api/v1/assessments", json={"instrument": "phq9", "date": date, "answers": answers})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_every_result_says_how_it_compares_with_the_baseline(patient):
    """Trends (JSON and page) and the result page label each result against the last one in the
    28 days before the first session: PHQ-9 14 then 7 is down 7 (reliable: 6 or more), a response
    (half), not a remission (below 5)."""
    patient.post("/api/v1/entries", json={"date": "2026-03-01", "anxiety": 6})  # the diary's first day
    first = phq9(patient, "2026-03-01", 20)  # more than 28 days before the session: not the baseline
    base = phq9(patient, "2026-03-20", 14)
    patient.post("/api/v1/sessions", json={"date": "2026-04-01", "treatment": "iv_ketamine",
                                           "anxiety_before": 7, "anxiety_after": 3})
    later = phq9(patient, "2026-04-15", 7)
    points = {p["id"]: p for p in patient.get("/api/v1/trends?days=all").get_json()["assessments"]}
    assert points[first["id"]]["since_baseline"] is None and points[base["id"]]["since_baseline"] is None
    assert points[later["id"]]["since_baseline"] == {
        "baseline_id": base["id"], "baseline_date": "2026-03-20", "baseline_total": 14,
        "baseline_source": "before_treatment", "change": -7, "reliable": "improvement", "response": True,
        "remission": False}
    page = patient.get("/trends?range=all").get_data(as_text=True)
    assert "Reliably better: down 7 from 14 (before treatment) · response" in page
    result = patient.get(f"/assessments/{later['id']}").get_data(as_text=True)
    assert ("Reliably better than before treatment: PHQ-9 7, down 7 from 14 (6 points or more counts); response, "
            "compared with your PHQ-9 of") in result
