"""The printable report for the clinic."""
import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from diary.timeutil import short_date


def log(client, days_ago, anxiety, note=""):
    date = (dt.date.today() - dt.timedelta(days=days_ago)).isoformat()
    client.post("/api/v1/entries", json={"date": date, "anxiety": anxiety, "note": note, "triggers": ["work"]})


def test_report_defaults_to_the_course_without_notes(patient):
    log(patient, 1, 6, note="private thought")
    patient.post("/api/v1/sessions", json={"date": dt.date.today().isoformat(), "treatment": "iv_ketamine",
                                            "anxiety_before": 7, "anxiety_after": 2, "reflection": "reflected"})
    html = patient.get("/report").get_data(as_text=True)
    assert "Anxiety diary: Pat" in html and "<svg class=\"chart\"" in html
    # The diary began yesterday, later than 4 weeks before today's session: the period starts there.
    assert "1 of 2 days since you started logged" in html.replace("<strong>", "").replace("</strong>", "")
    assert "IV ketamine infusion" in html and "7 → 2" in html
    assert "private thought" not in html and "reflected" not in html
    assert "/history?" not in html  # the printed chart has no links


def test_report_with_notes_and_a_period(patient):
    log(patient, 40, 3, note="old note")
    log(patient, 2, 5, note="recent note")
    start = (dt.date.today() - dt.timedelta(days=10)).isoformat()
    html = patient.get(f"/report?from={start}&notes=true").get_data(as_text=True)
    assert "recent note" in html and "old note" not in html


@pytest.mark.parametrize("query", ["from=2026-13-01", "from=2026-02-01&to=2026-01-01", "notes=maybe",
                                   "from=1990-01-01"])
def test_bad_periods_explain_and_fall_back(patient, query):
    response = patient.get(f"/report?{query}")
    assert response.status_code == 422
    assert "error-summary" in response.get_data(as_text=True)


def test_only_for_patients(provider, client):
    assert provider.get("/report").status_code == 403
    assert client.get("/report").status_code == 302


# --- the default period: the course, as on Trends -------------------------------------

def today():
    """'Today' for the test patient, who lives in Europe/London."""
    return dt.datetime.now(ZoneInfo("Europe/London")).date()


def ago(days):
    return (today() - dt.timedelta(days=days)).isoformat()


def read(date):
    """A date as the pages write it."""
    return short_date(date, today())


def log_on(client, days_ago, anxiety):
    assert client.post("/api/v1/entries", json={"date": ago(days_ago), "anxiety": anxiety}).status_code == 201


def session_on(client, days_ago):
    response = client.post("/api/v1/sessions", json={"date": ago(days_ago), "treatment": "iv_ketamine",
                                                      "anxiety_before": 8, "anxiety_after": 2})
    assert response.status_code == 201


def period_shown(html):
    """The dates in the period form's From and To fields."""
    return (re.search(r'id="from" name="from" value="([^"]*)"', html).group(1),
            re.search(r'id="to" name="to" value="([^"]*)"', html).group(1))


@pytest.fixture
def course(patient):
    """A course that began 100 days ago: a first record 130 days ago, the pre-treatment week
    with a GAD-7 in it, an induction series of three infusions, a booster 40 days ago."""
    log_on(patient, 130, 6)
    for days_ago in range(107, 100, -1):
        log_on(patient, days_ago, 8)
    assert patient.post("/api/v1/assessments", json={
        "instrument": "gad7", "date": ago(103), "answers": [3, 2, 2, 3, 2, 2, 2]}).status_code == 201
    for days_ago in (100, 97, 94, 40):
        session_on(patient, days_ago)
    for days_ago in range(93, -1, -3):
        log_on(patient, days_ago, 3)
    return patient


def test_the_default_period_is_the_course_from_four_weeks_before_the_first_session(course):
    response = course.get("/report")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # Four weeks before the first session 100 days ago, to today; the form shows those dates.
    assert period_shown(html) == (ago(128), ago(0))
    assert f"{read(ago(128))} – {read(ago(0))}" in html
    # The induction series (series 1, measured against the pre-treatment week) and the baseline GAD-7.
    sessions = re.findall(r'<td class="date" data-label="Date">([^<]+)</td><td data-label="Series">(\d+)</td>', html)
    assert sessions == [(read(ago(100)), "1"), (read(ago(97)), "1"), (read(ago(94)), "1"), (read(ago(40)), "2")]
    assert f'<td class="date" data-label="Date">{read(ago(103))}</td><td data-label="Questionnaire">GAD-7</td>' in html


def test_the_course_starts_at_the_first_record_when_that_is_later(patient):
    log_on(patient, 10, 7)
    session_on(patient, 5)
    html = patient.get("/report").get_data(as_text=True)
    assert period_shown(html) == (ago(10), ago(0))
    assert "1 of 11 days since you started logged" in html.replace("<strong>", "").replace("</strong>", "")


@pytest.mark.parametrize("first_session", [None, 365, 400])
def test_without_treatment_in_the_last_year_the_default_stays_90_days(patient, first_session):
    log_on(patient, 500, 5)
    log_on(patient, 0, 5)
    if first_session:
        session_on(patient, first_session)
    assert period_shown(patient.get("/report").get_data(as_text=True)) == (ago(89), ago(0))


@pytest.mark.parametrize("query, shown", [
    ("from={from_}&to={to}", (10, 2)), ("from={from_}", (10, 0)), ("to={to}", (91, 2)),
])
def test_a_period_given_is_kept(course, query, shown):
    html = course.get("/report?" + query.format(from_=ago(10), to=ago(2))).get_data(as_text=True)
    assert period_shown(html) == (ago(shown[0]), ago(shown[1]))


def test_a_bad_period_falls_back_to_the_course(course):
    response = course.get(f"/report?from={ago(2)}&to={ago(10)}")
    assert response.status_code == 422
    assert period_shown(response.get_data(as_text=True)) == (ago(128), ago(0))
