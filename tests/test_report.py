"""The printable report for the clinic."""
import datetime as dt

import pytest


def log(client, days_ago, anxiety, note=""):
    date = (dt.date.today() - dt.timedelta(days=days_ago)).isoformat()
    client.post("/api/v1/entries", json={"date": date, "anxiety": anxiety, "note": note, "triggers": ["work"]})


def test_report_defaults_to_90_days_without_notes(patient):
    log(patient, 1, 6, note="private thought")
    patient.post("/api/v1/sessions", json={"date": dt.date.today().isoformat(), "treatment": "iv_ketamine",
                                            "anxiety_before": 7, "anxiety_after": 2, "reflection": "reflected"})
    html = patient.get("/report").get_data(as_text=True)
    assert "Anxiety diary: Pat" in html and "<svg class=\"chart\"" in html
    # The diary began yesterday: the 90-day default starts there.
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
