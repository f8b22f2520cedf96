"""Treatment sessions and reflections through the HTML pages."""
import datetime as dt
import re
import uuid

import pytest

from diary.db import get_db


def session_form(**fields):
    return {"date": dt.date.today().isoformat(), "time": "", "treatment": "iv_ketamine", "dose_value": "35",
            "dose_unit": "mg", "weight_kg": "", "anxiety_before": "7", "anxiety_after": "3",
            "side_effects": ["nausea", "dissociation"], "reflection": "", **fields}


def unrated(name):
    return {"name": name, "severity": None, "hours": None}


def api_sessions(client):
    return client.get("/api/v1/sessions").get_json()["sessions"]


def test_log_a_session(patient):
    page = patient.get("/sessions/new").get_data(as_text=True)
    assert "IV ketamine infusion" in page and "Altered time perception" in page
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    response = patient.post("/sessions/new", data=session_form(date=yesterday))
    assert response.status_code == 302 and response.headers["Location"] == "/sessions/"
    [session] = api_sessions(patient)
    assert session["date"] == yesterday
    assert (session["treatment"], session["dose_mg"]) == ("iv_ketamine", 35.0)
    assert (session["anxiety_before"], session["anxiety_after"]) == (7, 3)
    assert session["side_effects"] == [unrated("dissociation"), unrated("nausea")]
    assert (session["time"], session["dose_unit"], session["dose_value"]) == (None, "mg", 35.0)
    listing = patient.get("/sessions/").get_data(as_text=True)
    assert "35 mg" in listing and "Add one" in listing  # no reflection yet: invited to add it


def test_dose_is_optional(patient):
    assert patient.post("/sessions/new", data=session_form(dose_value="", dose_unit="mg/kg")).status_code == 302
    session = api_sessions(patient)[0]
    assert (session["dose_mg"], session["dose_unit"], session["dose_value"]) == (None, None, None)


def test_reflection_added_the_next_day(patient):
    patient.post("/sessions/new", data=session_form())
    session = api_sessions(patient)[0]
    edit = f"/sessions/{session['id']}/edit"
    assert 'id="reflection"' in patient.get(edit).get_data(as_text=True)
    form = session_form(date=session["date"], reflection="Felt lighter. Remember the music.")
    assert patient.post(edit, data=form).status_code == 302
    [updated] = api_sessions(patient)
    assert updated["reflection"] == "Felt lighter. Remember the music."
    assert updated["created_at"] == session["created_at"]
    assert "Remember the music." in patient.get("/sessions/").get_data(as_text=True)


def test_a_reflections_line_breaks_are_stored_as_typed(patient):
    """A browser posts a textarea's line breaks as CRLF; the JSON API (and the page's JS) sends LF:
    both store the reflection the same way."""
    patient.post("/sessions/new", data=session_form(reflection="Felt lighter.\r\n\r\nRemember the music."))
    assert api_sessions(patient)[0]["reflection"] == "Felt lighter.\n\nRemember the music."


def test_double_submitted_session_stores_one(patient):
    form = session_form(id=str(uuid.uuid4()))
    patient.post("/sessions/new", data=form)
    patient.post("/sessions/new", data=form)
    assert len(api_sessions(patient)) == 1


@pytest.mark.parametrize("fields, message", [
    ({"treatment": "magic"}, "Must be one of:"),
    ({"treatment": ""}, "Must be one of:"),
    ({"dose_value": "0"}, "Must be a number more than 0 and at most 5000 (mg) or 20 (mg/kg)."),
    ({"dose_value": "lots"}, "Must be a number more than 0"),
    ({"dose_value": "0.5", "dose_unit": "mg/kg"}, "Give the weight in kg: the dose is in mg/kg."),
    ({"dose_value": "0.5", "dose_unit": "mg/kg", "weight_kg": "700"}, "Must be a weight from 20 to 400 kg."),
    ({"dose_value": "35", "dose_unit": "mg/kg", "weight_kg": "70"}, "at most 20 mg/kg"),
    ({"dose_value": "35", "dose_unit": "grams"}, "Must be mg or mg/kg"),
    ({"time": "25:00"}, "Must be a time as HH:MM."),
    ({"bp_before_systolic": "128"}, "Give both numbers of the reading before the session"),
    ({"bp_after_systolic": "80", "bp_after_diastolic": "90"}, "Must be higher than the diastolic reading (90)."),
    ({"bp_after_systolic": "300", "bp_after_diastolic": "90"}, "Must be a whole number from 60 to 260 (mmHg)"),
    ({"hours_nausea": "100"}, "Side effects</a>: Nausea: hours must be a number more than 0 and at most 72"),
    ({"severity_nausea": "awful"}, "Side effects</a>: Nausea: severity must be mild, moderate, severe or null."),
    ({"anxiety_before": "11"}, "Must be a whole number from 0 to 10."),
    ({"anxiety_after": ""}, "Must be a whole number from 0 to 10."),
    ({"side_effects": ["hiccups"]}, "Name must be one of:"),
    ({"reflection": "r" * 10_001}, "Must be at most 10,000 characters."),
    ({"date": "2999-01-01"}, "Can&#39;t be in the future"),
])
def test_bad_session_is_reshown_and_not_stored(patient, fields, message):
    response = patient.post("/sessions/new", data=session_form(**{"reflection": "keep me", **fields}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    if "reflection" not in fields:
        assert "keep me</textarea>" in html
    assert api_sessions(patient) == []


def test_missing_anxiety_before_is_required(patient):
    form = session_form()
    del form["anxiety_before"]
    response = patient.post("/sessions/new", data=form)
    assert response.status_code == 422
    assert "Choose a number from 0 to 10." in response.get_data(as_text=True)


def test_bad_edit_keeps_the_session(patient):
    patient.post("/sessions/new", data=session_form(reflection="original"))
    session = api_sessions(patient)[0]
    response = patient.post(f"/sessions/{session['id']}/edit", data=session_form(anxiety_after="99"))
    assert response.status_code == 422
    assert api_sessions(patient) == [session]


def test_delete_session_after_confirmation(patient):
    patient.post("/sessions/new", data=session_form(reflection="gone soon"))
    session_id = api_sessions(patient)[0]["id"]
    page = patient.get(f"/sessions/{session_id}/delete").get_data(as_text=True)
    assert "Delete this session?" in page and "gone soon" in page
    assert len(api_sessions(patient)) == 1
    assert patient.post(f"/sessions/{session_id}/delete").status_code == 302
    assert api_sessions(patient) == []
    assert patient.get(f"/sessions/{session_id}/edit").status_code == 404


def test_empty_state(patient):
    assert "No sessions logged yet." in patient.get("/sessions/").get_data(as_text=True)


def test_editing_keeps_the_dose_exactly(patient):
    patient.post("/sessions/new", data=session_form(dose_value="36.71234"))
    session = api_sessions(patient)[0]
    page = patient.get(f"/sessions/{session['id']}/edit").get_data(as_text=True)
    assert 'value="36.71234"' in page
    patient.post(f"/sessions/{session['id']}/edit", data=session_form(dose_value="36.71234", reflection="later"))
    assert api_sessions(patient)[0]["dose_mg"] == 36.71234
    assert "36.71234 mg" in patient.get("/sessions/").get_data(as_text=True)


FULL = {
    "time": "14:30", "dose_value": "0.5", "dose_unit": "mg/kg", "weight_kg": "70",
    "side_effects": ["nausea", "headache"], "severity_nausea": "moderate", "hours_nausea": "2",
    "severity_headache": "", "hours_headache": "", "severity_dizziness": "severe",  # not ticked: ignored
    "bp_before_systolic": "128", "bp_before_diastolic": "82", "bp_after_systolic": "141", "bp_after_diastolic": "90",
}


def test_time_dose_in_mg_per_kg_side_effect_details_and_blood_pressure(patient):
    assert patient.post("/sessions/new", data=session_form(**FULL)).status_code == 302
    [session] = api_sessions(patient)
    assert session["time"] == "14:30"
    assert (session["dose_unit"], session["dose_value"], session["weight_kg"], session["dose_mg"]) == (
        "mg/kg", 0.5, 70.0, 35.0)
    assert session["side_effects"] == [unrated("headache"), {"name": "nausea", "severity": "moderate", "hours": 2.0}]
    assert [session[f"bp_{w}_{p}"] for w in ("before", "after") for p in ("systolic", "diastolic")] == [128, 82, 141, 90]
    listing = patient.get("/sessions/").get_data(as_text=True)
    assert "0.5 mg/kg (35 mg at 70 kg)" in listing
    assert f'<time datetime="{session["date"]}T14:30">' in listing and ", 14:30</time>" in listing
    assert '<span class="tag">Headache</span><span class="tag">Nausea (moderate, 2 h)</span>' in listing
    assert "BP 128/82 → 141/90" in listing


def test_the_edit_form_shows_what_was_saved(patient):
    patient.post("/sessions/new", data=session_form(**FULL))
    [session] = api_sessions(patient)
    page = patient.get(f"/sessions/{session['id']}/edit").get_data(as_text=True)
    assert 'name="time" value="14:30"' in page
    assert '<option value="mg/kg" selected>' in page and 'name="weight_kg" value="70"' in page
    assert 'name="side_effects" value="nausea" checked' in page
    assert 'name="side_effects" value="dizziness" >' in page  # not ticked
    assert '<option value="moderate" selected>' in page and 'name="hours_nausea" value="2"' in page
    assert 'name="bp_after_diastolic" value="90"' in page
    # saved again unchanged, it stays the same
    form = session_form(**{**FULL, "date": session["date"], "severity_dizziness": ""})
    assert patient.post(f"/sessions/{session['id']}/edit", data=form).status_code == 302
    [again] = api_sessions(patient)
    assert {k: v for k, v in again.items() if k != "updated_at"} == {k: v for k, v in session.items() if k != "updated_at"}


def test_a_rejected_form_keeps_the_side_effect_details(patient):
    response = patient.post("/sessions/new", data=session_form(**{**FULL, "hours_nausea": "80"}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'name="hours_nausea" value="80"' in html and '<option value="moderate" selected>' in html
    assert 'name="bp_before_systolic" value="128"' in html and 'name="time" value="14:30"' in html
    assert api_sessions(patient) == []


def test_every_session_form_control_has_a_label(patient):
    html = patient.get("/sessions/new").get_data(as_text=True)
    controls = re.findall(r'<(?:input|select|textarea)(?![^>]*type="(?:hidden|radio|checkbox)")[^>]*\bid="([^"]+)"', html)
    assert {"time", "dose-value-input", "dose-unit-input", "weight_kg", "severity_nausea", "hours_nausea",
            "bp_before_systolic", "bp_after_diastolic"} <= set(controls)
    for control in controls:
        assert f'<label for="{control}"' in html, control
    assert 'How strong <span class="visually-hidden">was the nausea</span>' in html
    assert re.search(r'<label class="checkbox"><input type="checkbox" name="side_effects" value="nausea" > Nausea</label>',
                     html)


def test_a_form_from_before_dose_units_still_saves_its_dose_in_mg(patient):
    form = {k: v for k, v in session_form().items() if k not in ("dose_value", "dose_unit", "weight_kg", "time")}
    assert patient.post("/sessions/new", data={**form, "dose_mg": "42.5"}).status_code == 302
    session = api_sessions(patient)[0]
    assert (session["dose_unit"], session["dose_value"], session["dose_mg"]) == ("mg", 42.5, 42.5)


def test_a_session_saved_before_severities_shows_and_edits(app, patient):
    patient.post("/sessions/new", data=session_form(side_effects=[]))
    [session] = api_sessions(patient)
    with app.app_context():
        get_db().execute("UPDATE treatment_sessions SET side_effects = ? WHERE id = ?",
                         ['["altered_time_perception", "nausea"]', session["id"]])  # as saved then: sorted
    assert ('<span class="tag">Altered time perception</span><span class="tag">Nausea</span>'
            in patient.get("/sessions/").get_data(as_text=True))
    page = patient.get(f"/sessions/{session['id']}/edit").get_data(as_text=True)
    assert 'name="side_effects" value="nausea" checked' in page
