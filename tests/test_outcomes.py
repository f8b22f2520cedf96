"""Outcomes across a clinician's practice (GET /api/v1/outcomes, /provider/outcomes), on a practice
built by hand: every count, rate and label asserted, the pooled relief curve against lifelines."""
import datetime as dt

import pytest
from helpers import new_user, share, user_id
from lifelines import KaplanMeierFitter
from lifelines.utils import median_survival_times

from diary.db import get_db
from diary.services import outcomes as outcomes_service

SESSION = "2026-06-01"
BEFORE, AFTER = "2026-05-25", "2026-07-01"
TODAY = dt.date.today()


def days_ago(n):
    return (TODAY - dt.timedelta(days=n)).isoformat()


def result(client, instrument, date, total, private=False):
    count = 7 if instrument == "gad7" else 9
    answers = [min(3, max(0, total - 3 * n)) for n in range(count)]
    if instrument == "phq9":
        answers[-1] = 0  # no item 9: the safety card is another test's
    response = client.post("/api/v1/assessments", json={"instrument": instrument, "date": date, "answers": answers,
                                                         "private": private})
    assert response.status_code == 201, response.get_data(as_text=True)


def session(client, date=SESSION):
    response = client.post("/api/v1/sessions", json={"date": date, "treatment": "iv_ketamine", "anxiety_before": 7,
                                                      "anxiety_after": 3})
    assert response.status_code == 201, response.get_data(as_text=True)


def checkins(client, first, last, anxiety):
    day = dt.date.fromisoformat(first)
    while day <= dt.date.fromisoformat(last):
        assert client.post("/api/v1/entries", json={"date": day.isoformat(), "anxiety": anxiety}).status_code == 201
        day += dt.timedelta(days=1)


@pytest.fixture
def practice(app, provider):
    """Dr. Lee's practice. Sessions on 1 Jun unless said; questionnaires on 25 May and 1 Jul.

    - Ana: responder. GAD-7 14 -> 6, PHQ-9 12 -> 5. Two series of relief: one came back, one is
      cut short by the end of her check-ins.
    - Ben: remitter. GAD-7 10 -> 3.
    - Cal: reliably worse. GAD-7 8 -> 13, PHQ-9 9 -> 16.
    - Dee: no follow-up. GAD-7 12.
    - Eve: shares scores only. GAD-7 11 -> 9, no reliable change.
    - Fay: her follow-up is private. GAD-7 12, then 4 marked private: not counted.
    - Gus: revoked his share. Not counted.
    - Hal: no session yet. Not started, not counted.
    - Ivy: minimal baseline. GAD-7 3 -> 2: neither response nor remission can be said.
    - Kit: began 30 days ago. Daily course: 8 the week before, 3 the last 14 days (a response).
    """
    people = {}
    for name in ("Ana", "Ben", "Cal", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy", "Kit"):
        people[name] = new_user(app, f"{name.lower()}@example.com", name)
    for name, (gad_before, gad_after) in {"Ana": (14, 6), "Ben": (10, 3), "Cal": (8, 13), "Eve": (11, 9),
                                          "Ivy": (3, 2), "Gus": (12, 2), "Hal": (12, 3)}.items():
        result(people[name], "gad7", BEFORE, gad_before)
        result(people[name], "gad7", AFTER, gad_after)
    result(people["Ana"], "phq9", BEFORE, 12)
    result(people["Ana"], "phq9", AFTER, 5)
    result(people["Cal"], "phq9", BEFORE, 9)
    result(people["Cal"], "phq9", AFTER, 16)
    result(people["Dee"], "gad7", BEFORE, 12)
    result(people["Fay"], "gad7", BEFORE, 12)
    result(people["Fay"], "gad7", AFTER, 4, private=True)
    for name in ("Ana", "Ben", "Cal", "Dee", "Eve", "Fay", "Gus", "Ivy"):
        session(people[name])
    # Ana's relief: 7 the week before, 3 for a week after, back to 7; a second series on 10 Jul,
    # relief still holding when her check-ins stop (censored).
    checkins(people["Ana"], "2026-05-25", "2026-05-31", 7)
    checkins(people["Ana"], "2026-06-02", "2026-06-08", 3)
    checkins(people["Ana"], "2026-06-09", "2026-07-09", 7)
    session(people["Ana"], "2026-07-10")
    checkins(people["Ana"], "2026-07-11", "2026-07-20", 3)
    # Ben's: the same first week, back after 12 days.
    checkins(people["Ben"], "2026-05-25", "2026-05-31", 7)
    checkins(people["Ben"], "2026-06-02", "2026-06-13", 2)
    checkins(people["Ben"], "2026-06-14", "2026-06-30", 7)
    session(people["Kit"], days_ago(30))
    checkins(people["Kit"], days_ago(37), days_ago(31), 8)
    checkins(people["Kit"], days_ago(13), days_ago(0), 3)
    for name, person in people.items():
        share(person, provider, "scores" if name == "Eve" else "full")
    assert people["Gus"].delete(f"/api/v1/care-team/{user_id(provider)}").status_code == 204
    return people


def test_every_count_rate_and_label(practice, provider):
    found = provider.get("/api/v1/outcomes?period=all").get_json()
    assert found["period"] == "all"
    # Ana, Ben, Cal, Dee, Eve, Fay, Ivy, Kit began; Kit has no questionnaire.
    assert found["patients"] == {"started": 8, "with_baseline": 7, "with_follow_up": 5}
    # GAD-7 follow-ups: Ana -8, Ben -7, Cal +5, Eve -2, Ivy -1 (Fay's is private, Dee has none).
    # Response and remission of baselines of 5 or more: Ana, Ben, Cal, Eve (Ivy's baseline is 3).
    assert found["gad7"] == {
        "with_baseline": 7, "with_follow_up": 5,
        "response": {"count": 2, "of": 4, "rate": None},       # under 5: counts only
        "remission": {"count": 1, "of": 4, "rate": None},
        "reliable_improvement": {"count": 2, "of": 5, "rate": 0.4},
        "reliable_deterioration": {"count": 1, "of": 5, "rate": 0.2},
    }
    assert found["phq9"] == {
        "with_baseline": 2, "with_follow_up": 2,
        "response": {"count": 1, "of": 2, "rate": None}, "remission": {"count": 0, "of": 2, "rate": None},
        "reliable_improvement": {"count": 1, "of": 2, "rate": None},
        "reliable_deterioration": {"count": 1, "of": 2, "rate": None},
    }
    # Only Kit has a measurable daily course (the others' last 14 days are empty).
    assert found["daily"] == {"with_course": 1, "response": {"count": 1, "of": 1, "rate": None},
                              "remission": {"count": 0, "of": 1, "rate": None}}


def test_the_period_counts_courses_begun_in_it(practice, provider):
    found = provider.get("/api/v1/outcomes?period=90d").get_json()
    assert found["patients"]["started"] == 1  # Kit alone began in the last 90 days
    assert provider.get("/api/v1/outcomes?period=2y").status_code == 422


def test_the_pooled_relief_curve_matches_lifelines(app, practice, provider):
    with app.app_context():
        patients = outcomes_service.patient_outcomes(get_db(), user_id(provider), "all")
    series = [s for p in patients for s in p.series if s.status in ("returned", "censored")]
    assert {s.status for s in series} == {"returned", "censored"}
    durations = [s.relief_days for s in series]
    observed = [s.status == "returned" for s in series]
    relief = provider.get("/api/v1/outcomes?period=all").get_json()["relief"]
    assert (relief["series"], relief["returned"]) == (len(series), sum(observed))
    fitter = KaplanMeierFitter().fit(durations, observed)
    survival = fitter.survival_function_["KM_estimate"]
    for point in relief["curve"]:
        assert point["survival"] == pytest.approx(survival.loc[point["day"]], abs=1e-4)
    assert relief["median_days"] == (None if fitter.median_survival_time_ == float("inf")
                                     else fitter.median_survival_time_)
    low, high = median_survival_times(fitter.confidence_interval_).iloc[0]
    assert relief["ci_low"] == (None if low == float("inf") else low)
    assert relief["ci_high"] == (None if high == float("inf") else high)
    first = [p.series[0] for p in patients if p.series]
    assert relief["first_series"]["series"] == sum(1 for s in first if s.status in ("returned", "censored"))


def test_each_patient_counted_is_told_once_per_view(practice, provider):
    provider.get("/provider/outcomes?period=all")
    for name in ("Ana", "Eve", "Kit"):
        events = [e for e in practice[name].get("/api/v1/access-log").get_json()["events"]
                  if e["action"] == "provider.outcomes"]
        assert len(events) == 1, name
    for name in ("Gus", "Hal"):  # revoked; never began
        assert not [e for e in practice[name].get("/api/v1/access-log").get_json()["events"]
                    if e["action"] == "provider.outcomes"], name


def test_the_page_shows_the_figures_with_their_denominators(practice, provider):
    page = provider.get("/provider/outcomes?period=all").get_data(as_text=True)
    assert "8</strong> patients began treatment" in page
    assert "40 % (2 of 5)" in page and "2 of 4" in page  # a rate with its denominator; counts under 5
    assert '<svg class="chart relief-curve"' in page and "Series at risk" in page
    assert "14 → 6: reliably better" in page and "12 (no follow-up)" in page
    table = page[page.index("Patient by patient"):]
    assert table.index(">Cal<") < table.index(">Ana<") < table.index(">Ben<")  # reliably worse first, then by name


def test_patients_and_the_unauthenticated_are_turned_away(practice, client):
    assert practice["Ana"].get("/api/v1/outcomes").status_code == 403
    assert client.get("/api/v1/outcomes").status_code == 401


def test_the_csv_has_a_line_per_patient_behind_every_figure(practice, provider):
    import csv
    import io
    response = provider.get("/provider/outcomes.csv?period=all")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [row["display_name"] for row in rows] == ["Ana", "Ben", "Cal", "Dee", "Eve", "Fay", "Ivy", "Kit"]
    ana = rows[0]
    assert {k: ana[k] for k in ("course_start", "series", "gad7_baseline", "gad7_baseline_date", "gad7_latest",
                                "gad7_latest_date", "gad7_change", "gad7_reliable", "gad7_response",
                                "gad7_remission", "phq9_baseline", "phq9_latest", "phq9_reliable")} == {
        "course_start": SESSION, "series": "2", "gad7_baseline": "14", "gad7_baseline_date": BEFORE,
        "gad7_latest": "6", "gad7_latest_date": AFTER, "gad7_change": "-8", "gad7_reliable": "improvement",
        "gad7_response": "true", "gad7_remission": "false", "phq9_baseline": "12", "phq9_latest": "5",
        "phq9_reliable": "improvement"}
    dee = rows[3]
    assert (dee["gad7_baseline"], dee["gad7_latest"], dee["gad7_reliable"], dee["phq9_baseline"]) == ("12", "", "", "")
    ivy = rows[6]
    assert (ivy["gad7_response"], ivy["gad7_remission"]) == ("", "")  # a minimal baseline: not said
    kit = rows[7]
    assert (kit["daily_baseline"], kit["daily_recent_mean"], kit["daily_response"]) == ("8", "3", "true")
    unknown = provider.get("/provider/outcomes.csv?period=never")
    assert unknown.status_code == 200  # the default period
    assert unknown.get_data() == provider.get("/provider/outcomes.csv").get_data()


def test_a_new_result_shows_on_the_next_view(practice, provider):
    """Each patient's outcome is kept between views while their diary stays the same: a new
    follow-up questionnaire must show at once."""
    before = provider.get("/api/v1/outcomes?period=all").get_json()["gad7"]
    result(practice["Dee"], "gad7", "2026-07-15", 4)  # Dee: 12 -> 4, reliably better, a response, a remission
    after = provider.get("/api/v1/outcomes?period=all").get_json()["gad7"]
    assert after["with_follow_up"] == before["with_follow_up"] + 1
    assert after["reliable_improvement"]["count"] == before["reliable_improvement"]["count"] + 1
    assert after["remission"] == {"count": 2, "of": 5, "rate": 0.4}
