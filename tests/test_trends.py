"""The Trends page and GET /api/v1/trends through the app."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from helpers import errors_of

from diary.schemas.trends import TrendsOut


def today():
    return dt.datetime.now(ZoneInfo("Europe/London")).date()


def ago(days):
    return (today() - dt.timedelta(days=days)).isoformat()


def log(client, days_ago, anxiety, triggers=(), private=False):
    response = client.post("/api/v1/entries", json={"date": ago(days_ago), "anxiety": anxiety,
                                                     "triggers": list(triggers), "private": private})
    assert response.status_code == 201


def log_session(client, days_ago, before=7, after=3):
    response = client.post("/api/v1/sessions", json={"date": ago(days_ago), "treatment": "iv_ketamine",
                                                      "anxiety_before": before, "anxiety_after": after})
    assert response.status_code == 201
    return response.get_json()


def trends(client, **params):
    response = client.get("/api/v1/trends", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_empty_diary(patient):
    data = trends(patient, days=30)
    assert (data["from"], data["to"]) == (ago(29), ago(0))
    assert len(data["days"]) == 30 and all(d["mean"] is None and d["count"] == 0 for d in data["days"])
    assert data["sessions"] == [] and data["triggers"] == []
    assert data["course"] == {"first_session": None, "baseline": None, "recent_mean": None, "change": None,
                              "percent_change": None, "response": None, "remission": None,
                              "baseline_days": 0, "recent_days": 0}
    html = patient.get("/trends").get_data(as_text=True)
    assert "No check-ins in this period yet." in html
    assert "Log your treatment sessions" in html
    assert "Not enough data yet." in html


def test_single_entry(patient):
    log(patient, 0, 4)
    data = trends(patient, days=7)
    assert data["days"][-1] == {"date": ago(0), "mean": 4, "min": 4, "max": 4, "count": 1, "rolling_mean_7": None}
    assert data["logging"]["days_logged_last_30"] == 1
    html = patient.get("/trends?range=30d").get_data(as_text=True)
    # A 30-day view of a diary begun today starts today: "1 of 1 day since you started".
    assert "<svg" in html and "1 of 1 day since you started logged" in html


def test_series_session_response_and_course(patient):
    # Baseline week: 8, 8, 7 (mean 7.67); session 20 days ago; afterwards 2, 3, 3 ... then 3s.
    for days_ago, anxiety in [(27, 8), (25, 8), (22, 7)]:
        log(patient, days_ago, anxiety)
    session = log_session(patient, 20)
    for days_ago in range(19, -1, -1):
        log(patient, days_ago, 2 if days_ago >= 17 else 3)
    data = trends(patient, days=30)
    [response] = data["sessions"]
    assert response["id"] == session["id"]
    assert response["baseline"] == pytest.approx(7.67, abs=0.01)
    assert response["mean_days_1_3"] == 2 and response["mean_days_4_7"] == 3
    # Still below baseline today, 20 days on: censored, "at least 20 days" (never "ongoing").
    assert (response["relief_days"], response["relief_status"]) == (20, "censored")
    assert (response["series"], response["baseline_source"], response["baseline_days"]) == (1, "pretreatment", 3)
    course = data["course"]
    assert course["first_session"] == ago(20) and course["recent_mean"] == 3
    assert course["percent_change"] == pytest.approx(-60.9, abs=0.05)
    assert (course["response"], course["remission"]) == (True, False)
    html = patient.get("/trends?range=30d").get_data(as_text=True)
    assert "Response: at least 50% lower" in html
    assert "at least 20 days" in html


def test_trigger_effects(patient):
    for days_ago in range(6):
        log(patient, days_ago, 7 if days_ago < 3 else 3, triggers=["work"] if days_ago < 3 else [])
    [work] = trends(patient, days=30)["triggers"]
    assert work == {"name": "work", "days_with": 3, "days_without": 3, "mean_with": 7, "mean_without": 3,
                    "difference": 4, "sentence": "On days with work your anxiety averaged 7.0, vs 3.0 without."}
    assert "On days with work your anxiety averaged 7.0, vs 3.0 without." in patient.get("/trends").get_data(as_text=True)


def test_private_entries_count_in_the_patients_own_trends(patient):
    log(patient, 0, 9, private=True)
    assert trends(patient, days=1)["days"][0]["mean"] == 9


def test_all_starts_at_the_first_entry(patient):
    log(patient, 400, 5)
    data = trends(patient, days="all")
    assert data["from"] == ago(400) and len(data["days"]) == 401


@pytest.mark.parametrize("days", ["0", "-1", "100000", "3661", "abc", "1.5", "", "ALL", "1e3"])
def test_bad_days_is_a_422_naming_the_parameter(patient, days):
    errors = errors_of(patient.get("/api/v1/trends", query_string={"days": days}), 422, "days")
    assert errors["days"] == ["Must be a whole number of days from 1 to 3660, or 'all'."]


def test_unknown_query_parameter_is_refused(patient):
    errors_of(patient.get("/api/v1/trends?range=30d"), 422, "range")


@pytest.mark.parametrize("name, count", [("30d", 30), ("90d", 90), ("1y", 365)])
def test_page_ranges(patient, name, count):
    log(patient, 0, 5)
    log(patient, 400, 5)  # a diary older than every range
    html = patient.get(f"/trends?range={name}").get_data(as_text=True)
    assert f'data-days="{count}"' in html
    assert f'href="/trends?range={name}" aria-current="true"' in html


def test_unknown_range_name_explains_and_shows_the_default(patient):
    log(patient, 0, 5)
    log(patient, 400, 5)
    response = patient.get("/trends?range=forever")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Period: Must be one of: course, 30d, 90d, 1y, all. Showing 90 days." in html
    assert 'data-days="90"' in html


def test_a_day_on_the_chart_links_to_its_checkins(patient):
    log(patient, 2, 5)
    html = patient.get("/trends?range=30d").get_data(as_text=True)
    assert f'href="/history?from={ago(2)}&amp;to={ago(2)}"' in html


def test_only_my_data(patient, other_patient):
    log(patient, 0, 9, triggers=["secret"])
    assert trends(other_patient, days=1)["days"][0]["count"] == 0


def test_provider_and_anonymous_are_refused(provider, client):
    assert provider.get("/trends").status_code == 403
    assert provider.get("/api/v1/trends").status_code == 403
    assert client.get("/api/v1/trends").status_code == 401
    assert client.get("/trends").status_code == 302


def test_api_answer_is_exactly_the_documented_schema(patient):
    for days_ago, anxiety, trigger in [(9, 8, "work"), (8, 7, "work"), (7, 6, "work"), (5, 2, ""), (3, 3, ""), (1, 4, "")]:
        log(patient, days_ago, anxiety, [trigger] if trigger else [])
    log_session(patient, 4)
    data = trends(patient, days=30)
    assert data["sessions"] and data["triggers"]
    assert TrendsOut().dump(TrendsOut().load(data)) == data


# --- relief per series (issue 10) ---------------------------------------------------

def test_the_issue_report_induction_course_is_measured_honestly(patient):
    """An induction course 3-4 days apart: no session is "no relief" or "ongoing" months later."""
    for d in range(80, 73, -1):
        log(patient, d, 8)  # pre-treatment week
    for d in (73, 70, 66, 63):
        log_session(patient, d)
    for d in range(72, 49, -1):
        log(patient, d, 1)  # near 1/10 through the course and after
    for d in range(49, 44, -1):
        log(patient, d, 8)  # relief wears off
    for d in range(44, -1, -1):
        log(patient, d, 7)
    log_session(patient, 30)  # a booster with no relief: back at once
    data = trends(patient, days="all")
    statuses = [(s["date"], s["series"], s["relief_status"], s["relief_days"]) for s in data["sessions"]]
    # The course is series 1, measured from its last session (63 days ago) against the
    # pre-treatment week (8): 49 days ago (1 + 1 + 8) / 3 = 3.3, 48 ago (1 + 8 + 8) / 3 = 5.7, both
    # under 7; 47 ago: 8 -> back on day 16 after the session, relief = 15 days.
    assert statuses[:4] == [(ago(73), 1, "in_series", None), (ago(70), 1, "in_series", None),
                            (ago(66), 1, "in_series", None), (ago(63), 1, "returned", 15)]
    first, booster = data["relief"]["series"]
    assert (first["baseline"], first["baseline_source"], first["baseline_days"]) == (8, "pretreatment", 7)
    # The booster's week before (37-31 days ago) is after the course's relief ended: at 7.
    assert (booster["baseline"], booster["baseline_source"], booster["status"], booster["relief_days"]) == (
        7, "week_before", "returned", 0)
    # Windows stop at the next session: after the session 73 days ago the next is 3 days later.
    assert data["sessions"][0]["mean_days_1_3"] == 1 and data["sessions"][0]["mean_days_4_7"] is None
    assert data["relief"]["typical"]["returned"] == 2 and data["relief"]["typical"]["enough"]
    html = patient.get("/trends?range=all").get_data(as_text=True)
    assert "no clear relief" not in html and "ongoing" not in html
    assert "measured from the last session of this series" in html and "15 days" in html


def test_a_diary_started_on_the_first_infusion_uses_the_before_rating(patient):
    log_session(patient, 10, before=8)
    for d in range(10, -1, -1):
        log(patient, d, 3 if d > 4 else 8)
    [series] = trends(patient, days=30)["relief"]["series"]
    assert (series["baseline"], series["baseline_source"], series["baseline_days"]) == (8, "session_rating", 0)
    assert series["status"] == "returned"
    assert "the rating before the session: no usable check-ins before it" in patient.get("/trends").get_data(as_text=True)


def test_the_answer_card_needs_two_returns_and_says_what_is_needed(patient):
    html = patient.get("/trends").get_data(as_text=True)
    assert "How your treatment is working" in html and "Log your treatment sessions" in html
    log_session(patient, 5)
    data = trends(patient)
    assert data["relief"]["forecast"]["status"] == "unknown"
    assert "2 rounds of treatment after which anxiety came back" in data["relief"]["sentence"]


def test_typical_relief_and_forecast_through_the_api_and_on_every_page(patient, provider):
    from helpers import share, user_id

    # Three boosters 20 days apart on a baseline of 8, each holding anxiety at 2 for 4, 6 and 8
    # days after it, then a fourth booster 6 days ago that is still holding.
    for d in range(67, 60, -1):
        log(patient, d, 8)
    for start, low in ((60, 4), (40, 6), (20, 8)):
        log_session(patient, start)
        for d in range(start, start - 20, -1):
            log(patient, d, 2 if start - d <= low else 8)
    log_session(patient, 6)
    for d in range(6, -1, -1):
        log(patient, d, 2)
    relief = trends(patient, days="all")["relief"]
    # Back at 8 on day 5: (2+2+8)/3 = 4; day 6: 6; day 7: 8 >= 7 -> relief 6 days. So 6, 8, 10.
    assert [s["relief_days"] for s in relief["series"]] == [6, 8, 10, 6]
    assert [s["status"] for s in relief["series"]] == ["returned", "returned", "returned", "censored"]
    # Kaplan–Meier: at 6 one return and one "at least 6" (4 at risk): S = 3/4; at 8: 2 at risk,
    # S = 3/8; at 10: S = 0. Quartiles 6 and 10, median 8.
    assert {k: relief["typical"][k] for k in ("low", "median_days", "high", "returned", "censored")} == {
        "low": 6, "median_days": 8, "high": 10, "returned": 3, "censored": 1}
    # Back on day 7 to day 11 after a session; 6 days on is within 2 days of that: approaching.
    assert relief["forecast"] == {"last_session": ago(6), "days_since": 6, "return_from": 7, "return_to": 11,
                                  "status": "approaching"}
    assert relief["sentence"].startswith("Over 4 rounds of treatment, anxiety came back after 6–10 days")
    assert "It has been 6 days since your last session" in relief["sentence"]
    assert "talk to your clinic about timing" in relief["sentence"]
    # The same facts, from the same code: to the patient on Trends; about the patient, with no
    # "you" and no suggestion, in the printed report and on the provider's page.
    assert relief["sentence"] in patient.get("/trends").get_data(as_text=True)
    about = relief["clinician_sentence"]
    assert about.startswith("Over 4 rounds of treatment, anxiety came back after 6–10 days")
    assert "It has been 6 days since the last session" in about and "about when it has come back before." in about
    assert "you" not in about.lower() and "talk to" not in about
    share(patient, provider)
    for page in (patient.get("/report"), provider.get(f"/provider/patients/{user_id(patient)}")):
        html = page.get_data(as_text=True)
        assert about in html and relief["sentence"] not in html


def test_the_provider_list_shows_days_since_session_and_the_forecast(patient, provider):
    from helpers import share
    for d in range(47, 40, -1):
        log(patient, d, 8)
    for start in (40, 20):
        log_session(patient, start)
        for d in range(start, start - 20, -1):
            log(patient, d, 2 if start - d <= 4 else 8)  # relief of 6 days each time
    log_session(patient, 1)
    share(patient, provider)
    [row] = provider.get("/api/v1/patients").get_json()["patients"]
    assert (row["days_since_session"], row["forecast_status"]) == (1, "within")
    assert "still within it" in provider.get("/provider/").get_data(as_text=True)


def test_the_default_period_shows_the_pre_treatment_weeks(patient):
    log(patient, 60, 7)
    log(patient, 40, 7)
    log_session(patient, 20)
    html = patient.get("/trends").get_data(as_text=True)
    # Four weeks before the session 20 days ago: from 48 days ago to today, 49 days.
    assert 'data-days="49"' in html and 'href="/trends?range=course" aria-current="true"' in html
    assert 'data-days="90"' not in html


def test_without_treatment_the_default_stays_90_days(patient):
    log(patient, 200, 5)
    log(patient, 0, 5)
    html = patient.get("/trends").get_data(as_text=True)
    assert 'data-days="90"' in html and 'href="/trends?range=90d" aria-current="true"' in html


def test_side_effects_summary_on_trends_the_report_and_the_provider_page(patient, provider):
    from helpers import share, user_id
    effects = ([{"name": "nausea", "severity": "moderate", "hours": 2}, {"name": "dissociation", "severity": "mild"}],
               [{"name": "nausea", "severity": "moderate"}], ["dissociation"], [])
    for n, side_effects in enumerate(effects):
        response = patient.post("/api/v1/sessions", json={
            "date": ago(30 - 7 * n), "treatment": "iv_ketamine", "anxiety_before": 7, "anxiety_after": 3,
            "dose_unit": "mg/kg", "dose_value": 0.5, "weight_kg": 70, "side_effects": side_effects})
        assert response.status_code == 201, response.get_data(as_text=True)
    log(patient, 0, 4)
    summary = {e["name"]: e for e in trends(patient, days="all")["side_effects"]}
    # Nausea (moderate) in the first two of four sessions, none later: fading. Dissociation once in
    # each half (mild, then unrated): not fading.
    assert summary["nausea"] == {"name": "nausea", "sessions": 2, "share": 0.5, "fading": True,
                                 "by_severity": {"mild": 0, "moderate": 2, "severe": 0, "unrated": 0}}
    assert (summary["dissociation"]["sessions"], summary["dissociation"]["fading"]) == (2, False)
    report = patient.get(f"/report?from={ago(35)}").get_data(as_text=True)
    assert "0.5 mg/kg (35 mg at 70 kg)" in report and "Nausea (moderate, 2 h)" in report
    assert "<h2>Side effects</h2>" in report and "fading" in report
    share(patient, provider)
    page = provider.get(f"/provider/patients/{user_id(patient)}").get_data(as_text=True)
    assert "Nausea (moderate, 2 h)" in page and "0.5 mg/kg (35 mg at 70 kg)" in page


def test_the_same_day_response_shows_relief_within_hours(patient):
    assert patient.post("/api/v1/sessions", json={"date": ago(0), "time": "10:00", "treatment": "iv_ketamine",
                                                  "anxiety_before": 8, "anxiety_after": 4}).status_code == 201
    for time, anxiety in (("07:30", 8), ("15:00", 3), ("21:00", 2)):
        assert patient.post("/api/v1/entries", json={"date": ago(0), "time": time, "anxiety": anxiety}).status_code == 201
    [session] = trends(patient, days=7)["sessions"]
    assert session["same_day"] == {"before": 8, "after": 4, "later": [3, 2], "later_mean": 2.5}
    assert "8 → 4 at 10:00, then 3, 2 later that day" in patient.get("/trends?range=30d").get_data(as_text=True)
