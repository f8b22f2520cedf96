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


def test_an_unknown_range_during_a_course_says_it_shows_the_course(patient):
    log(patient, 40, 7)
    log_session(patient, 20)
    html = patient.get("/trends?range=forever").get_data(as_text=True)
    # The default it falls back to is the course (treatment began within the year), not 90 days.
    assert "Showing since treatment." in html and "Showing 90 days." not in html
    assert 'href="/trends?range=course" aria-current="true"' in html


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


# --- relief per series ---------------------------------------------------

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
    # pre-treatment week (8): anxiety is at 1 until 50 days ago and at 8 from 49 days ago, the
    # first day back: day 14 after the session, relief = 13 days (dated the day it was first seen).
    assert statuses[:4] == [(ago(73), 1, "in_series", None), (ago(70), 1, "in_series", None),
                            (ago(66), 1, "in_series", None), (ago(63), 1, "returned", 13)]
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
    assert "measured from the last session of this series" in html and "13 days" in html


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
    assert "How long relief lasts will show here" in html and "Log your treatment sessions" in html
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
    # Anxiety is back on the first day at 8: relief of 4, 6 and 8 days; the fourth is "at least 6".
    assert [s["relief_days"] for s in relief["series"]] == [4, 6, 8, 6]
    assert [s["status"] for s in relief["series"]] == ["returned", "returned", "returned", "censored"]
    # Kaplan–Meier: at 4, 1 of 4 at risk: S = 3/4; at 6 one return and one "at least 6" (3 at risk):
    # S = 1/2; at 8: S = 0. Quartiles 4 and 8, median 6. Observed: 4 to 8.
    assert {k: relief["typical"][k] for k in ("low", "median_days", "high", "returned", "censored", "observed_min",
                                              "observed_max")} == {
        "low": 4, "median_days": 6, "high": 8, "returned": 3, "censored": 1, "observed_min": 4, "observed_max": 8}
    assert relief["status"] == "enough"
    # Back on day 5 to day 9 after a session; 6 days on is within that window: approaching. As
    # dates: 6 days ago + 5 = yesterday, + 9 = in 3 days.
    assert relief["forecast"] == {"last_session": ago(6), "days_since": 6, "return_from": 5, "return_to": 9,
                                  "fade_from": ago(1), "fade_to": ago(-3), "status": "approaching"}
    assert relief["headline"] == "Relief usually lasts about 6 days"
    assert relief["sentence"].startswith("Relief has lasted 4–8 days, so after your last session on ")
    assert "it may start to fade between " in relief["sentence"]
    assert "It has been 6 days, about when it has faded before: you may want to talk to your clinic about timing." in \
        relief["sentence"]
    # The same facts, from the same code: to the patient on Trends; about the patient, with no
    # "you" and no suggestion, in the printed report and on the provider's page.
    page = patient.get("/trends").get_data(as_text=True)
    assert relief["sentence"] in page and relief["headline"] in page
    about = relief["clinician_sentence"]
    assert about.startswith("Relief has lasted 4–8 days, so after the patient’s last session on ")
    assert about.endswith("It has been 6 days, about when it has faded before.")
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
               [{"name": "nausea", "severity": "moderate"}], [{"name": "nausea", "severity": "moderate"}], [],
               ["dissociation"], [])
    for n, side_effects in enumerate(effects):
        response = patient.post("/api/v1/sessions", json={
            "date": ago(30 - 5 * n), "treatment": "iv_ketamine", "anxiety_before": 7, "anxiety_after": 3,
            "dose_unit": "mg/kg", "dose_value": 0.5, "weight_kg": 70, "side_effects": side_effects})
        assert response.status_code == 201, response.get_data(as_text=True)
    log(patient, 0, 4)
    summary = {e["name"]: e for e in trends(patient, days="all")["side_effects"]}
    # Nausea (moderate) in the first three of six sessions, none later: fading. Dissociation once in
    # each half (mild, then unrated): twice is too few to tell.
    assert summary["nausea"] == {"name": "nausea", "sessions": 3, "share": 0.5, "fading": True,
                                 "by_severity": {"mild": 0, "moderate": 3, "severe": 0, "unrated": 0}}
    assert (summary["dissociation"]["sessions"], summary["dissociation"]["fading"]) == (2, None)
    report = patient.get(f"/report?from={ago(35)}").get_data(as_text=True)
    assert "0.5 mg/kg (35 mg at 70 kg)" in report and "Nausea (moderate, 2 h)" in report
    assert "<h2>Side effects</h2>" in report and "fading" in report and "too few to tell" in report
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


# --- The answer a patient can act on: three patients worked out before looking ---------------------

def _days_in_a_row(client, first_ago, last_ago, levels):
    """Check in once a day from ``first_ago`` to ``last_ago`` days ago, cycling through ``levels``."""
    for n, d in enumerate(range(first_ago, last_ago - 1, -1)):
        log(client, d, levels[n % len(levels)])


CALM, BACK = (2, 3, 1, 2), (7, 6, 8, 7)   # relief around 2; anxiety back around 7


def test_a_five_month_course_reads_relief_on_the_day_it_ends_with_a_date_to_act_on(patient, provider):
    from helpers import share, user_id

    from diary.timeutil import short_date

    # Anxiety 7 the week before treatment; an induction of four infusions (143-134 days ago), then
    # boosters 110, 90 and 70 days ago. Relief held 12, 7, 9 and 12 days: anxiety was first back on
    # day 13, 8, 10 and 13 after each series' last session. One bad night (8) inside the last
    # relief. A fifth booster 6 days ago is still holding.
    _days_in_a_row(patient, 150, 144, BACK)
    for d in (143, 140, 137, 134):
        log_session(patient, d)
    _days_in_a_row(patient, 143, 122, CALM)      # the induction and its 12 days of relief (133-122)
    _days_in_a_row(patient, 121, 111, BACK)
    log_session(patient, 110)
    _days_in_a_row(patient, 109, 103, CALM)      # 7 days
    _days_in_a_row(patient, 102, 91, BACK)
    log_session(patient, 90)
    _days_in_a_row(patient, 89, 81, CALM)        # 9 days
    _days_in_a_row(patient, 80, 71, BACK)
    log_session(patient, 70)
    _days_in_a_row(patient, 69, 58, CALM)        # 12 days...
    log(patient, 64, 8)                          # ...with one bad night inside
    _days_in_a_row(patient, 57, 7, BACK)
    log_session(patient, 6)
    _days_in_a_row(patient, 5, 0, CALM)
    relief = trends(patient, days="all")["relief"]
    # The day anxiety is first back ends relief: not 1-2 days later (a trailing 3-day mean said
    # 13, 9, 11 and 14), and not on the bad night.
    assert [(s["status"], s["relief_days"]) for s in relief["series"]] == [
        ("returned", 12), ("returned", 7), ("returned", 9), ("returned", 12), ("censored", 6)]
    # Kaplan–Meier over 7, 9, 12, 12 and "at least 6": median 9, quartiles 7 and 12; anxiety
    # usually back on day 8 to day 13 after a session.
    typical = relief["typical"]
    assert (typical["median_days"], typical["low"], typical["high"]) == (9, 7, 12)
    assert (typical["observed_min"], typical["observed_max"], relief["status"]) == (7, 12, "enough")
    fade_from, fade_to = (today() + dt.timedelta(days=2)), (today() + dt.timedelta(days=7))
    assert relief["forecast"] == {"last_session": ago(6), "days_since": 6, "return_from": 8, "return_to": 13,
                                  "fade_from": fade_from.isoformat(), "fade_to": fade_to.isoformat(),
                                  "status": "approaching"}
    html = patient.get("/trends").get_data(as_text=True)
    # The answer as its heading, one sentence with the dates, the method behind a disclosure.
    assert '<h2 id="answer-title" class="answer">Relief usually lasts about 9 days</h2>' in html
    sentence = relief["sentence"]
    assert sentence.startswith(f"Half of your rounds of treatment lasted 7–12 days, so after your last session on "
                               f"{short_date(ago(6))} it may start to fade between ")
    assert short_date(fade_to) in sentence and short_date(fade_from).rsplit(" ", 1)[0] in sentence
    assert sentence.endswith("It has been 6 days, about when it has faded before: you may want to talk to your "
                             "clinic about timing.")
    assert sentence in html and "<summary>How this is worked out</summary>" in html
    assert "The 4 rounds that ended lasted 7–12 days." in html
    assert "1 still in relief when last checked counts as “at least” that long" in html
    assert "Kaplan–Meier" not in html.split("<summary>How this is worked out</summary>")[0]
    # The clinic sees the same window, and can call before it.
    share(patient, provider)
    [row] = provider.get("/api/v1/patients").get_json()["patients"]
    assert (row["forecast_status"], row["fade_from"], row["fade_to"]) == (
        "approaching", fade_from.isoformat(), fade_to.isoformat())
    from diary.timeutil import date_span
    assert f"usually fades {date_span(fade_from, fade_to, today())}" in provider.get("/provider/").get_data(as_text=True)
    page = provider.get(f"/provider/patients/{user_id(patient)}").get_data(as_text=True)
    assert relief["clinician_sentence"] in page and "Relief usually lasts about 9 days" in page


def test_a_patient_without_relief_is_told_so_plainly_never_timing(patient, provider):
    from helpers import share

    # Anxiety 7 before and 7 after every session: three sessions 20 days apart.
    _days_in_a_row(patient, 67, 0, (7,))
    for d in (60, 40, 20):
        log_session(patient, d, before=7, after=7)
    relief = trends(patient, days="all")["relief"]
    assert [(s["status"], s["relief_days"]) for s in relief["series"]] == [("returned", 0)] * 3
    assert (relief["status"], relief["forecast"]["status"], relief["forecast"]["fade_from"]) == (
        "no_relief", "no_relief", None)
    html = patient.get("/trends").get_data(as_text=True)
    assert "No measurable relief so far" in html
    assert ("So far no session has brought your anxiety down for more than a day (3 rounds of treatment measured). "
            "That is worth talking over with your clinic.") in html
    for wrong in ("timing", "about 0 days", "less than a day", "Relief usually lasts", "may start to fade"):
        assert wrong not in html
    share(patient, provider)
    [row] = provider.get("/api/v1/patients").get_json()["patients"]
    assert (row["forecast_status"], row["fade_from"]) == ("no_relief", None)
    dashboard = provider.get("/provider/").get_data(as_text=True)
    assert "no measurable relief after any session so far" in dashboard and "past when it usually" not in dashboard


def test_sparse_logging_gets_sentences_that_apply_and_no_claimed_contamination(patient):
    # Three days logged the week before treatment; a session 40 days ago; two check-ins after it;
    # nine days without any; anxiety seen back at 7 on two days; a second session 20 days ago.
    for d in (46, 44, 42):
        log(patient, d, 7)
    response = patient.post("/api/v1/sessions", json={
        "date": ago(40), "treatment": "iv_ketamine", "anxiety_before": 7, "anxiety_after": 3,
        "side_effects": [{"name": "nausea", "severity": "mild"}]})
    assert response.status_code == 201
    for d, anxiety in ((38, 2), (34, 3), (24, 7), (22, 7)):
        log(patient, d, anxiety)
    log_session(patient, 20)
    for d, anxiety in ((17, 2), (12, 3), (1, 3), (0, 2)):
        log(patient, d, anxiety)
    data = trends(patient, days="all")
    first, second = data["relief"]["series"]
    # Back, but first seen after nine days without a check-in: "at least 6 days".
    assert (first["status"], first["relief_days"]) == ("censored", 6)
    # The second series' week had only two days logged after anxiety was seen back (24 and 22 days
    # ago): too few to compare, so it uses the pre-treatment baseline, and says why truthfully.
    assert (second["baseline"], second["baseline_series"], second["baseline_note"]) == (7, 1, "too_few_days")
    html = patient.get("/trends?range=all").get_data(as_text=True)
    assert "as series 1, since not enough days were logged before this series to compare" in html
    assert "still in relief:" not in html
    # Not enough returns yet: says what is needed, no "typically", no "counts as at least".
    assert "Not enough yet to say how long relief lasts" in html
    assert "Relief usually lasts" not in html and "counts as “at least”" not in html
    # A side effect seen once is too few to call fading or not.
    [nausea] = data["side_effects"]
    assert nausea["fading"] is None
