"""Treatment sessions and reflections through the HTML pages."""
import datetime as dt
import uuid

import pytest


def session_form(**fields):
    return {"date": dt.date.today().isoformat(), "treatment": "iv_ketamine", "dose_mg": "35",
            "anxiety_before": "7", "anxiety_after": "3", "side_effects": ["nausea", "dissociation"],
            "reflection": "", **fields}


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
    assert session["side_effects"] == ["dissociation", "nausea"]
    listing = patient.get("/sessions/").get_data(as_text=True)
    assert "35 mg" in listing and "Add one" in listing  # no reflection yet: invited to add it


def test_dose_is_optional(patient):
    assert patient.post("/sessions/new", data=session_form(dose_mg="")).status_code == 302
    assert api_sessions(patient)[0]["dose_mg"] is None


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


def test_double_submitted_session_stores_one(patient):
    form = session_form(id=str(uuid.uuid4()))
    patient.post("/sessions/new", data=form)
    patient.post("/sessions/new", data=form)
    assert len(api_sessions(patient)) == 1


@pytest.mark.parametrize("fields, message", [
    ({"treatment": "magic"}, "Must be one of:"),
    ({"treatment": ""}, "Must be one of:"),
    ({"dose_mg": "0"}, "Must be more than 0 and at most 5000 mg."),
    ({"dose_mg": "lots"}, "Must be a number of milligrams."),
    ({"anxiety_before": "11"}, "Must be a whole number from 0 to 10."),
    ({"anxiety_after": ""}, "Must be a whole number from 0 to 10."),
    ({"side_effects": ["hiccups"]}, "Must be one of:"),
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
    patient.post("/sessions/new", data=session_form(dose_mg="36.71234"))
    session = api_sessions(patient)[0]
    page = patient.get(f"/sessions/{session['id']}/edit").get_data(as_text=True)
    assert 'value="36.71234"' in page
    patient.post(f"/sessions/{session['id']}/edit", data=session_form(dose_mg="36.71234", reflection="later"))
    assert api_sessions(patient)[0]["dose_mg"] == 36.71234
    assert "36.71234 mg" in patient.get("/sessions/").get_data(as_text=True)
