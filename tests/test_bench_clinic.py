"""bench/clinic_seed.py seeds what it says (on a tiny clinic), and bench/clinic.py's arithmetic.

The load test itself (locust against gunicorn) is `.venv/bin/python -m bench.clinic`, never here.
"""
import datetime as dt
import json

import pytest
from helpers import current_code

from bench.clinic import figures, steady_state, summarize, with_ratios
from bench.clinic_seed import FLAGGED_EVERY, PASSWORD, seed_clinic
from diary.db import get_db
from diary.insights.questionnaires import INSTRUMENTS, score

PATIENTS, PROVIDERS, DAYS = 6, 3, 30


@pytest.fixture
def clinic(app):
    with app.app_context():
        return seed_clinic(get_db(), patients=PATIENTS, providers=PROVIDERS, days=DAYS)


def count(app, sql, params=()):
    with app.app_context():
        return get_db().execute(sql, params).fetchone()[0]


def test_counts_are_what_is_stored(app, clinic):
    _, counts = clinic
    crisis_notes = len(range(0, PATIENTS, FLAGGED_EVERY))
    assert counts["check-ins"] + crisis_notes == count(app, "SELECT count(*) FROM entries")
    assert counts["sessions"] == count(app, "SELECT count(*) FROM treatment_sessions")
    assert counts["shares"] == count(app, "SELECT count(*) FROM shares WHERE revoked_at IS NULL")
    assert PATIENTS * DAYS <= counts["check-ins"] <= 3 * PATIENTS * DAYS
    assert count(app, "SELECT count(*) FROM users WHERE role = 'patient'") == PATIENTS


def test_every_patient_shares_with_one_or_two_providers(app, clinic):
    accounts, _ = clinic
    with app.app_context():
        per_patient = dict(get_db().execute(
            "SELECT patient_id, count(*) FROM shares WHERE revoked_at IS NULL GROUP BY patient_id").fetchall())
    assert len(per_patient) == PATIENTS and set(per_patient.values()) <= {1, 2}
    assert sum(len(p["patients"]) for p in accounts["providers"]) == sum(per_patient.values())


def test_questionnaires_are_scored(app, clinic):
    with app.app_context():
        rows = get_db().execute("SELECT instrument, answers, total, severity FROM assessments").fetchall()
    assert rows
    for instrument, answers, total, severity in rows:
        result = score(INSTRUMENTS[instrument], json.loads(answers))
        assert (total, severity) == (result.total, result.severity)


def test_per_day_totals_match_the_check_ins(app, clinic):
    assert count(app, "SELECT sum(checkins) FROM checkin_days") == count(app, "SELECT count(*) FROM entries")


def test_a_provider_logs_in_with_two_factor_and_sees_the_flagged_patient_first(app, client, clinic):
    accounts, _ = clinic
    provider = accounts["providers"][0]  # patient 0 (flagged: crisis note today) shares with provider 0
    response = client.post("/login", data={"email": provider["email"], "password": PASSWORD})
    assert response.headers["Location"] == "/login/two-factor"
    response = client.post("/login/two-factor", data={"code": current_code(provider["totp_secret"])})
    assert response.status_code == 302
    patients = client.get("/api/v1/patients").get_json()["patients"]
    assert sorted(p["id"] for p in patients) == sorted(provider["patients"])
    assert patients[0]["safety"] and patients[0]["display_name"] == "Patient 0000"


def test_a_patient_logs_in_and_checks_in(client, clinic):
    accounts, _ = clinic
    response = client.post("/login", data={"email": accounts["patients"][1], "password": PASSWORD})
    assert response.status_code == 302
    today = dt.date.today().isoformat()
    response = client.post("/api/v1/entries", json={"date": today, "anxiety": 4, "triggers": ["work"]})
    assert response.status_code == 201


def test_the_steady_state_starts_once_everyone_has_logged_in():
    samples = [(1.0, "setup: POST /login", 900.0, None), (1.5, "GET /healthz", 2.0, None),
               (3.0, "setup: POST /login", 1000.0, None), (3.5, "GET /healthz", 4.0, None),
               (4.0, "GET / (Today)", 8.0, "500 instead of 200"), (9.0, "GET /healthz", 2.0, None)]
    window, seconds = steady_state(samples, duration=5)
    assert [s[1] for s in window] == ["GET /healthz", "GET / (Today)"] and seconds == 5
    result = with_ratios(figures(window, seconds))
    assert result["GET / (Today)"]["errors"] == 1 and result["GET / (Today)"]["median_ratio"] == 2.0
    summary = summarize(samples, duration=5)
    assert summary["total"]["requests"] == 2 and summary["rush"]["GET /healthz"]["requests"] == 1
    assert summary["errors"] == 1
