"""The provider dashboard at scale: each patient's line is kept between requests (migration m013)
and must be fresh on the very next request after anything that changes it; the page shows the
patients a page at a time, in the one urgency order."""
import datetime as dt
import re

import pytest
from helpers import PASSWORD, new_user, share, user_id

from diary.db import get_db
from diary.services import care

CRISIS = "I want to end it all"


def days_ago(n):
    return (dt.date.today() - dt.timedelta(days=n)).isoformat()


def checkin(client, anxiety, date=None, **fields):
    response = client.post("/api/v1/entries", json={"date": date or days_ago(0), "anxiety": anxiety, **fields})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def line(provider):
    """The one patient's row in GET /api/v1/patients."""
    [row] = provider.get("/api/v1/patients").get_json()["patients"]
    return row


def stored_lines(app):
    with app.app_context():
        return dict(get_db().execute("SELECT patient_id, version FROM dashboard_lines").fetchall())


@pytest.fixture
def watched(app, patient, provider):
    """Pat shares (scores only) a week of check-ins at 4 and a session 3 days ago; Dr. Lee has
    looked at the dashboard once, so Pat's line is stored."""
    for n in range(1, 8):
        checkin(patient, 4, days_ago(n))
    session = patient.post("/api/v1/sessions", json={"date": days_ago(3), "treatment": "iv_ketamine",
                                                      "anxiety_before": 6, "anxiety_after": 3}).get_json()
    patient_id = share(patient, provider, "scores")
    before = line(provider)
    assert before["flags"] == [] and before["mean_7"] == 4 and before["days_since_session"] == 3
    assert patient_id in stored_lines(app)
    return {"id": patient_id, "session": session["id"], "before": before}


def test_a_stored_line_is_reused_while_the_diary_and_the_day_stay_the_same(app, watched, provider, monkeypatch):
    def recompute(*args):
        raise AssertionError("the stored line should have been used")
    monkeypatch.setattr(care, "patient_line", recompute)
    assert line(provider) == watched["before"]
    page = provider.get("/provider/").get_data(as_text=True)
    assert names(page) == ["Pat"] and '<svg class="sparkline"' in page and "IV ketamine infusion" in page


def test_a_new_checkin_shows_on_the_next_request(watched, patient, provider):
    checkin(patient, 10)
    row = line(provider)
    assert row["last_entry_date"] == days_ago(0) and row["mean_7"] == 4.86 and row["flags"] == ["spike"]
    assert "Checked in at 10" in provider.get("/provider/").get_data(as_text=True)


def test_a_crisis_note_raises_the_flag_on_the_next_request(watched, patient, provider):
    checkin(patient, 3, note=CRISIS)
    row = line(provider)
    assert row["flags"][0] == "safety" and row["safety"]["count"] == 1
    assert "Crisis language in a check-in" in provider.get("/provider/").get_data(as_text=True)


def test_an_entry_made_private_leaves_the_numbers_on_the_next_request(watched, patient, provider):
    entry = checkin(patient, 10)
    assert line(provider)["flags"] == ["spike"]
    assert patient.patch(f"/api/v1/entries/{entry['id']}", json={"private": True}).status_code == 200
    row = line(provider)
    assert row == watched["before"]


def test_a_deleted_session_goes_on_the_next_request(watched, patient, provider):
    assert patient.delete(f"/api/v1/sessions/{watched['session']}").status_code == 204
    row = line(provider)
    assert row["days_since_session"] is None and row["forecast_status"] == "unknown"
    assert "IV ketamine" not in provider.get("/provider/").get_data(as_text=True)


def test_a_severe_questionnaire_shows_on_the_next_request(watched, patient, provider):
    patient.post("/api/v1/assessments", json={"instrument": "gad7", "date": days_ago(0),
                                              "answers": [3, 3, 3, 3, 3, 0, 0]})
    assert line(provider)["flags"] == ["severe"]


def test_a_new_day_is_a_new_line(app, watched, provider, monkeypatch):
    """A stored line is for one local date: a week later, with no writes, Pat has gone quiet."""
    week_later = dt.date.today() + dt.timedelta(days=7)
    monkeypatch.setattr(care, "today_in", lambda timezone: week_later)
    row = line(provider)
    assert row["flags"] == ["quiet"] and row["mean_7"] is None and row["days_since_session"] == 10


def test_an_acknowledgement_is_applied_live(watched, patient, provider):
    checkin(patient, 3, note=CRISIS)
    assert line(provider)["flags"][0] == "safety"
    other = new_user(patient.application, "dr2@example.com", "Dr. Two", role="provider")
    share(patient, other, "scores")
    assert provider.post(f"/api/v1/patients/{watched['id']}/safety/acknowledge").status_code == 204
    assert "safety" not in line(provider)["flags"]
    assert line(other)["flags"][0] == "safety"  # one clinician's "seen" is theirs only


def test_a_revoked_patient_goes_on_the_next_request_and_their_line_with_them(app, watched, patient, provider):
    provider_id = user_id(provider)
    assert patient.delete(f"/api/v1/care-team/{provider_id}").status_code == 204
    assert provider.get("/api/v1/patients").get_json() == {"patients": []}
    assert names(provider.get("/provider/").get_data(as_text=True)) == []
    assert stored_lines(app) == {}


def test_a_deleted_account_leaves_no_line(app, watched, patient, provider):
    response = patient.post("/account/delete", data={"password": PASSWORD, "confirmation": "delete"})
    assert response.status_code == 302
    assert stored_lines(app) == {}
    with app.app_context():
        assert get_db().execute("SELECT count(*) FROM diary_versions WHERE user_id = ?",
                                [watched["id"]]).fetchone()[0] == 0


def test_a_line_read_before_a_write_is_not_stored_over_it(app, watched, patient):
    """A dashboard that read version N stores its line only if the diary is still at N."""
    from diary.store import dashboard as dashboard_store
    with app.app_context():
        db = get_db()
        [(version,)] = db.execute("SELECT version FROM diary_versions WHERE user_id = ?", [watched["id"]])
    checkin(patient, 9)
    with app.app_context():
        db = get_db()
        with db.conn:
            stale = {**dict.fromkeys(dashboard_store.LINE + dashboard_store.LISTED + dashboard_store.PAGE), "reasons": [],
                     "forecast_status": "unknown", "sparkline": []}
            dashboard_store.save_lines(db, [(watched["id"], version, days_ago(0), care.LINE_FORMAT, stale)])
        assert db.execute("SELECT count(*) FROM dashboard_lines").fetchone()[0] == 0


# --- paging -----------------------------------------------------------------------------

@pytest.fixture
def five(app, provider, monkeypatch):
    """Five patients sharing with Dr. Lee; two pages of two (and one) patients each."""
    monkeypatch.setattr(care, "PAGE_SIZE", 2)
    for name, anxiety in (("Ann", 1), ("Ben", 10), ("Cat", 2), ("Dan", 3), ("Eve", 10)):
        client = new_user(app, f"{name.lower()}@example.com", name)
        checkin(client, anxiety)
        share(client, provider, "scores")
    return provider


def names(html):
    return re.findall(r'<h2><a href="/provider/patients/\d+">([^<]+)</a>', html)


def dashboard_views(app):
    with app.app_context():
        return [row[0] for row in get_db().execute(
            "SELECT u.display_name FROM audit_log a JOIN users u ON u.id = a.patient_id"
            " WHERE a.action = 'provider.dashboard' ORDER BY a.id")]


def test_the_dashboard_pages_through_one_urgency_order(app, five):
    first = five.get("/provider/").get_data(as_text=True)
    assert names(first) == ["Ben", "Eve"]  # the spikes first, most recent then by name
    assert "Patients 1–2 of 5" in first and 'href="/provider/?page=2"' in first
    assert names(five.get("/provider/?page=2").get_data(as_text=True)) == ["Ann", "Cat"]
    last = five.get("/provider/?page=3").get_data(as_text=True)
    assert names(last) == ["Dan"] and "Patients 5–5 of 5" in last and "?page=4" not in last
    assert names(five.get("/provider/?sort=name&page=2").get_data(as_text=True)) == ["Cat", "Dan"]
    assert 'href="/provider/?sort=name&amp;page=3"' in five.get("/provider/?sort=name&page=2").get_data(as_text=True)


@pytest.mark.parametrize("page", ["0", "-1", "x", "99", "²", "9" * 5000])
def test_a_page_out_of_range_shows_the_nearest_one(five, page):
    response = five.get(f"/provider/?page={page}")
    assert response.status_code == 200
    assert names(response.get_data(as_text=True)) == (["Dan"] if page == "99" else ["Ben", "Eve"])


def test_only_the_patients_shown_are_logged_as_seen(app, five):
    five.get("/provider/?page=2")
    assert sorted(dashboard_views(app)) == ["Ann", "Cat"]


def test_the_api_still_lists_every_patient(five):
    listed = five.get("/api/v1/patients").get_json()["patients"]
    assert [p["display_name"] for p in listed] == ["Ben", "Eve", "Ann", "Cat", "Dan"]


def test_the_api_answer_has_exactly_the_schemas_shape(app, watched, patient, provider):
    """GET /patients is built without a marshmallow dump (500 patients): held to PatientListOut here."""
    from diary.schemas.sharing import PatientListOut
    checkin(patient, 10, note=CRISIS)
    quiet = new_user(app, "quiet@example.com", "Quinn")
    share(quiet, provider, "scores")
    data = provider.get("/api/v1/patients").get_json()
    assert [p["flags"] for p in data["patients"]] == [["safety", "spike"], ["quiet"]]
    assert data == PatientListOut().dump(data)
    assert all(set(p) == set(PatientListOut().fields["patients"].inner.schema.fields) for p in data["patients"])


def test_a_line_of_another_format_is_computed_again(app, watched, provider, monkeypatch):
    """LINE_FORMAT moves on with the code that computes a line: lines stored before are not used."""
    computed = []
    original = care.patient_line
    monkeypatch.setattr(care, "patient_line", lambda *args: computed.append(args) or original(*args))
    monkeypatch.setattr(care, "LINE_FORMAT", care.LINE_FORMAT + 1)
    assert line(provider) == watched["before"] and len(computed) == 1
    assert line(provider) == watched["before"] and len(computed) == 1  # and stored in the new format


def gad7(client, date, total, private=False):
    """A GAD-7 with ``total`` (answers of 3 first, then the rest)."""
    answers = [min(3, max(0, total - 3 * n)) for n in range(7)]
    response = client.post("/api/v1/assessments", json={"instrument": "gad7", "date": date, "answers": answers,
                                                         "private": private})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_a_reliably_worse_questionnaire_after_treatment_began_is_its_own_flag(watched, patient, provider):
    """Baseline 6 before the session (3 days ago), then 10 after it: up 4, the GAD-7's reliable
    change. Below "severe" (which a 15 would raise), above the rest; worded in plain terms."""
    gad7(patient, days_ago(5), 6)
    gad7(patient, days_ago(1), 9)  # up 3: not reliable
    assert "worse" not in line(provider)["flags"]
    gad7(patient, days_ago(0), 10)
    row = line(provider)
    assert row["flags"] == ["worse"]
    [reason] = row["flag_reasons"]
    assert reason["text"] == (f"Reliably worse than before treatment: GAD-7 10, up 4 from 6 (4 points or more "
                              f"counts), on {dt.date.today().strftime('%a')} {dt.date.today().day} "
                              f"{dt.date.today().strftime('%b')}")
    gad7(patient, days_ago(0), 16)  # severe as well: severe comes first
    assert line(provider)["flags"][:2] == ["severe", "worse"]


def test_a_private_result_neither_raises_nor_sets_the_baseline_for_the_flag(watched, patient, provider):
    gad7(patient, days_ago(5), 2, private=True)  # a private baseline of 2 is not the clinician's to see
    gad7(patient, days_ago(4), 9)                # the shared baseline
    gad7(patient, days_ago(0), 11, private=True)
    assert "worse" not in line(provider)["flags"]
    gad7(patient, days_ago(0), 12)
    assert "worse" not in line(provider)["flags"]  # up 3 from the shared baseline 9
    gad7(patient, days_ago(0), 13)
    assert line(provider)["flags"] == ["worse"]


def test_a_worse_result_before_treatment_is_no_flag(app, patient, provider):
    share(patient, provider, "scores")
    gad7(patient, days_ago(10), 5)
    gad7(patient, days_ago(2), 12)  # no session yet: treatment hasn't begun
    assert "worse" not in line(provider)["flags"]
