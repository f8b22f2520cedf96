"""Words on pages: friendly dates, labels instead of codes,
times in the reader's zone, and notes where a provider's numbers leave private records out."""
import datetime as dt
import html as html_lib
import re
from zoneinfo import ZoneInfo

import pytest
from helpers import AuthActions, enrol, share

from diary.timeutil import local_time, short_date

TOKYO = ZoneInfo("Asia/Tokyo")
CODES = ("iv_ketamine", "altered_time_perception", "elevated_blood_pressure", "moderately_severe", "gad7",
         "phq9", "esketamine_nasal")


def test_friendly_dates_name_the_year_only_when_it_is_not_this_year():
    today = dt.date(2026, 11, 24)
    assert short_date("2026-12-03", today) == "Thu 3 Dec"
    assert short_date(dt.date(2025, 12, 3), today) == "Wed 3 Dec 2025"


def test_local_time_names_the_zone():
    now_year = dt.datetime.now(TOKYO).year
    assert local_time(f"{now_year}-03-01T23:30:00.000Z", "Asia/Tokyo") == f"{short_date(dt.date(now_year, 3, 2), dt.date(now_year, 1, 1))}, 08:30 (Asia/Tokyo)"
    assert local_time("2020-03-01T23:30:00.000Z", "Nowhere/Else").endswith("2020, 23:30 (UTC)")


# --- pages with real data ---------------------------------------------------------------------------

def visible(html):
    """The text a person reads: no scripts, styles, tags or attributes (nor the charts' SVG, whose
    words diary/charts.py writes)."""
    html = re.sub(r"(?s)<(script|style|template|svg)\b.*?</\1>", " ", html)
    return html_lib.unescape(re.sub(r"(?s)<[^>]+>", " ", html))


@pytest.fixture
def diary(app):
    """A patient in Tokyo with a course of treatment, side effects, a moderately severe PHQ-9, a
    trigger on one day, a private check-in and a check-in from last year, sharing with a provider."""
    patient = app.test_client()
    AuthActions(patient).register(email="alex@example.com", display_name="Alex", timezone="Asia/Tokyo")
    today = dt.datetime.now(TOKYO).date()
    day = lambda n: (today - dt.timedelta(days=n)).isoformat()  # noqa: E731
    for n in range(40, 0, -1):
        anxiety = 7 if n > 20 or n < 14 else 2  # relief for a while after the session 20 days ago
        body = {"date": day(n), "anxiety": anxiety, "triggers": ["work"] if n == 3 else [], "note": "Long day."}
        assert patient.post("/api/v1/entries", json=body).status_code == 201
    assert patient.post("/api/v1/entries", json={"date": day(2), "anxiety": 9, "private": True}).status_code == 201
    last_year = dt.date(today.year - 1, 6, 15).isoformat()
    assert patient.post("/api/v1/entries", json={"date": last_year, "anxiety": 4}).status_code == 201
    session = {"date": day(20), "treatment": "iv_ketamine", "dose_mg": 35, "anxiety_before": 7, "anxiety_after": 2, "reflection": "Calm.",
               "side_effects": [{"name": "altered_time_perception", "severity": "moderate", "hours": 2},
                                {"name": "elevated_blood_pressure", "severity": "mild"}]}
    assert patient.post("/api/v1/sessions", json=session).status_code == 201
    answers = [2, 2, 2, 2, 2, 2, 2, 1, 0]
    response = patient.post("/api/v1/assessments", json={"instrument": "phq9", "date": day(5), "answers": answers})
    assert response.get_json()["severity"] == "moderately_severe"
    provider = app.test_client()
    AuthActions(provider).register(email="dr@example.com", role="provider", display_name="Dr. Lee",
                                   timezone="America/New_York")
    enrol(app, "dr@example.com")
    patient_id = share(patient, provider)
    return {"patient": patient, "provider": provider, "id": patient_id, "today": today, "last_year": last_year}


def patient_pages(diary):
    records = {kind: diary["patient"].get(f"/api/v1/{kind}").get_json()[kind][0]["id"]
               for kind in ("sessions", "assessments")}
    return [f"/sessions/{records['sessions']}/edit", f"/sessions/{records['sessions']}/delete",
            f"/assessments/{records['assessments']}", f"/assessments/{records['assessments']}/delete",
            "/support", "/safety-plan", "/account/two-factor", "/", "/history", "/triggers", "/sessions/",
            "/trends?range=all", "/trends?range=30d", "/care-team",
            "/report?notes=true", "/assessments/", "/account"]


def all_pages(diary):
    pages = [(diary["patient"], url) for url in patient_pages(diary)]
    pages += [(diary["provider"], "/provider/"), (diary["provider"], f"/provider/patients/{diary['id']}")]
    return pages


def test_pages_count_in_the_right_number(diary):
    for client, url in all_pages(diary):
        text = visible(client.get(url).get_data(as_text=True))
        wrong = re.findall(r"\b1 (?:days|sessions|check-ins|entries|rounds|records|codes|weeks|hours|questionnaires)\b"
                           r"|(?<![\d.])(?:0|[2-9]|\d\d+) (?:day|session|check-in|entry|round|record|code|week)\b(?!-)",
                           text)
        assert not wrong, (url, wrong)


def test_pages_show_labels_not_codes(diary):
    for client, url in all_pages(diary):
        text = visible(client.get(url).get_data(as_text=True))
        shown = [code for code in CODES if code in text]
        assert not shown, (url, shown)
    sessions = visible(diary["patient"].get("/sessions/").get_data(as_text=True))
    assert "IV ketamine" in sessions and "Altered time perception" in sessions


def test_pages_show_friendly_dates(diary):
    today = diary["today"]
    for client, url in all_pages(diary):
        text = visible(client.get(url).get_data(as_text=True))
        assert not re.findall(r".{0,60}\b\d{4}-\d\d-\d\d\b", text), url
    history = visible(diary["patient"].get("/history").get_data(as_text=True))
    yesterday = today - dt.timedelta(days=1)
    assert f"{yesterday:%a} {yesterday.day} {yesterday:%b}" in history
    assert f"{yesterday:%a} {yesterday.day} {yesterday:%b} {yesterday.year}" not in history or yesterday.year != today.year
    assert f"Sat 15 Jun {today.year - 1}"[4:] in history  # last year's check-in names its year


def test_access_log_shows_times_in_the_patients_zone(diary):
    diary["provider"].get(f"/provider/patients/{diary['id']}")
    events = diary["patient"].get("/api/v1/access-log").get_json()["events"]
    assert all(e["at"].endswith("Z") for e in events)
    html = diary["patient"].get("/care-team").get_data(as_text=True)
    text = visible(html)
    assert "(UTC)" not in text
    for event in events:
        assert local_time(event["at"], "Asia/Tokyo") in text


def test_provider_pages_say_private_entries_are_left_out(diary):
    note = "Based on what Alex shares: entries Alex marks private aren't included."
    for url in ("/provider/", f"/provider/patients/{diary['id']}"):
        assert note in visible(diary["provider"].get(url).get_data(as_text=True)), url


def test_patient_is_told_clinicians_see_numbers_without_private_entries(diary, patient):
    note = "Your clinicians see these numbers without your private entries."
    assert note in visible(diary["patient"].get("/trends").get_data(as_text=True))
    assert "without your private entries" in visible(diary["patient"].get("/care-team").get_data(as_text=True))
    # Nobody to share with, or nothing private: nothing to say.
    patient.post("/api/v1/entries", json={"date": dt.date.today().isoformat(), "anxiety": 3, "private": True})
    assert "without your private entries" not in visible(patient.get("/trends").get_data(as_text=True))


@pytest.mark.parametrize("status, n, expected", [("returned", 1, "1 day"), ("returned", 2, "2 days"),
                                                 ("censored", 1, "at least 1 day"), ("returned", 1.0, "1 day")])
def test_relief_reads_1_day_not_1_days(app, status, n, expected):
    with app.test_request_context():
        template = app.jinja_env.from_string('{% from "_relief.html" import relief_text %}{{ relief_text(s) }}')
        assert template.render(s={"relief_status": status, "relief_days": n}) == expected


def test_relief_sentence_counts_in_the_right_number():
    from diary.insights.relief import _days
    assert [_days(0), _days(1), _days(1.2), _days(2)] == ["0 days", "1 day", "1 day", "2 days"]


def stamps(value):
    """Every date-time string in a JSON answer."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in stamps(v)]
    if isinstance(value, list):
        return [s for v in value for s in stamps(v)]
    return [value] if isinstance(value, str) and re.match(r"\d{4}-\d\d-\d\dT", value) else []


def test_api_times_are_iso_8601_utc_with_z(diary):
    patient, provider = diary["patient"], diary["provider"]
    provider.get(f"/provider/patients/{diary['id']}")
    patient.post("/api/v1/invites", json={"scope": "scores"})
    answers = [patient.get(url).get_json() for url in (
        "/api/v1/entries", "/api/v1/sessions", "/api/v1/assessments", "/api/v1/care-team", "/api/v1/access-log")]
    answers += [provider.get(url).get_json() for url in ("/api/v1/patients", f"/api/v1/patients/{diary['id']}/entries")]
    found = [s for answer in answers for s in stamps(answer)]
    assert len(found) > 50
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", s) for s in found), found
