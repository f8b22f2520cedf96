"""JSON API: /api/v1/sessions, treatment sessions and their reflections (docs/API.md)."""
import uuid
from urllib.parse import urlsplit

import pytest
from helpers import assert_flat, errors_of, stored, tomorrow_in_london, without

from diary.db import get_db

API = "/api/v1/sessions"
SESSION_FIELDS = {
    "id", "date", "time", "treatment", "dose_mg", "dose_unit", "dose_value", "weight_kg", "anxiety_before",
    "anxiety_after", "side_effects", "bp_before_systolic", "bp_before_diastolic", "bp_after_systolic",
    "bp_after_diastolic", "reflection", "private", "created_at", "updated_at",
}
BP = ("bp_before_systolic", "bp_before_diastolic", "bp_after_systolic", "bp_after_diastolic")
TREATMENTS = ["iv_ketamine", "im_ketamine", "esketamine_nasal", "oral_ketamine", "psychotherapy", "other"]
SIDE_EFFECTS = [
    "nausea", "dizziness", "dissociation", "confusion", "headache", "altered_time_perception",
    "elevated_blood_pressure", "other",
]
VALID = {
    "date": "2024-03-01", "treatment": "iv_ketamine", "dose_mg": 35, "anxiety_before": 7,
    "anxiety_after": 3, "side_effects": ["nausea", "dissociation"],
}


def unrated(name):
    return {"name": name, "severity": None, "hours": None}


def listed(client, query=""):
    response = client.get(API + query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["sessions"]


def create(client, **fields):
    response = client.post(API, json={**VALID, **fields})
    assert response.status_code == 201, response.get_data(as_text=True)
    return stored(response.get_json())


BAD_BODIES = [
    pytest.param({**VALID, "date": tomorrow_in_london()}, "date", id="date-tomorrow"),
    pytest.param({**VALID, "date": "2026-13-01"}, "date", id="date-month-13"),
    pytest.param({**VALID, "date": "yesterday"}, "date", id="date-word"),
    pytest.param({**VALID, "date": 20260101}, "date", id="date-number"),
    pytest.param({**VALID, "date": "1899-12-31"}, "date", id="date-before-1900"),
    pytest.param(without(VALID, "date"), "date", id="date-missing"),
    pytest.param({**VALID, "treatment": "ketamine"}, "treatment", id="treatment-unknown"),
    pytest.param({**VALID, "treatment": "IV_KETAMINE"}, "treatment", id="treatment-wrong-case"),
    pytest.param({**VALID, "treatment": None}, "treatment", id="treatment-null"),
    pytest.param(without(VALID, "treatment"), "treatment", id="treatment-missing"),
    pytest.param({**VALID, "dose_mg": 0}, "dose_mg", id="dose-0"),
    pytest.param({**VALID, "dose_mg": -5}, "dose_mg", id="dose-negative"),
    pytest.param({**VALID, "dose_mg": 5000.01}, "dose_mg", id="dose-over-5000"),
    pytest.param({**VALID, "dose_mg": "lots"}, "dose_mg", id="dose-lots"),
    pytest.param({**VALID, "dose_mg": "NaN"}, "dose_mg", id="dose-NaN"),
    pytest.param({**VALID, "dose_mg": "nan"}, "dose_mg", id="dose-nan"),
    pytest.param({**VALID, "dose_mg": "Infinity"}, "dose_mg", id="dose-Infinity"),
    pytest.param({**VALID, "dose_mg": "-inf"}, "dose_mg", id="dose-minus-inf"),
    pytest.param({**VALID, "dose_mg": "1e400"}, "dose_mg", id="dose-overflow"),
    pytest.param({**VALID, "dose_mg": True}, "dose_mg", id="dose-bool"),
    pytest.param({**VALID, "anxiety_before": -1}, "anxiety_before", id="before-negative"),
    pytest.param({**VALID, "anxiety_before": 11}, "anxiety_before", id="before-11"),
    pytest.param({**VALID, "anxiety_before": 7.5}, "anxiety_before", id="before-fraction"),
    pytest.param({**VALID, "anxiety_before": "abc"}, "anxiety_before", id="before-text"),
    pytest.param({**VALID, "anxiety_before": True}, "anxiety_before", id="before-bool"),
    pytest.param({**VALID, "anxiety_before": None}, "anxiety_before", id="before-null"),
    pytest.param(without(VALID, "anxiety_before"), "anxiety_before", id="before-missing"),
    pytest.param({**VALID, "anxiety_after": -1}, "anxiety_after", id="after-negative"),
    pytest.param({**VALID, "anxiety_after": 11}, "anxiety_after", id="after-11"),
    pytest.param({**VALID, "anxiety_after": 7.5}, "anxiety_after", id="after-fraction"),
    pytest.param({**VALID, "anxiety_after": "abc"}, "anxiety_after", id="after-text"),
    pytest.param({**VALID, "anxiety_after": True}, "anxiety_after", id="after-bool"),
    pytest.param({**VALID, "anxiety_after": None}, "anxiety_after", id="after-null"),
    pytest.param(without(VALID, "anxiety_after"), "anxiety_after", id="after-missing"),
    pytest.param({**VALID, "anxiety_before": "--5"}, "anxiety_before", id="before-double-minus"),
    pytest.param({**VALID, "anxiety_after": "²"}, "anxiety_after", id="after-superscript"),
    pytest.param({**VALID, "side_effects": "nausea"}, "side_effects", id="side-effects-string"),
    pytest.param({**VALID, "side_effects": ["euphoria"]}, "side_effects", id="side-effect-unknown"),
    pytest.param({**VALID, "reflection": "x" * 10_001}, "reflection", id="reflection-10001"),
    pytest.param({**VALID, "reflection": None}, "reflection", id="reflection-null"),
    pytest.param({**VALID, "private": "maybe"}, "private", id="private-not-bool"),
    pytest.param({**VALID, "id": "not-a-uuid"}, "id", id="id-not-uuid"),
    pytest.param({**VALID, "mood": "fine"}, "mood", id="unknown-field"),
]


# --- create ----------------------------------------------------------------------

def test_create_answers_201_with_location_and_shape(patient):
    response = patient.post(API, json={**VALID, "reflection": "calm", "private": True})

    assert response.status_code == 201
    body = stored(response.get_json())
    assert set(body) == SESSION_FIELDS
    uuid.UUID(body["id"])
    assert urlsplit(response.headers["Location"]).path == f"{API}/{body['id']}"
    assert {k: body[k] for k in ("date", "treatment", "dose_mg", "anxiety_before", "anxiety_after",
                                 "reflection", "private")} == {
        "date": "2024-03-01", "treatment": "iv_ketamine", "dose_mg": 35.0, "anxiety_before": 7,
        "anxiety_after": 3, "reflection": "calm", "private": True}
    assert body["side_effects"] == [unrated("dissociation"), unrated("nausea")]
    assert (body["time"], body["dose_unit"], body["dose_value"], body["weight_kg"]) == (None, "mg", 35.0, None)
    assert [body[name] for name in BP] == [None] * 4
    assert patient.get(response.headers["Location"]).get_json() == body
    assert listed(patient) == [body]


def test_create_with_only_required_fields_uses_defaults(patient):
    data = {"date": "2024-03-01", "treatment": "psychotherapy", "anxiety_before": 6, "anxiety_after": 6}
    response = patient.post(API, json=data)

    assert response.status_code == 201
    body = stored(response.get_json())
    assert (body["dose_mg"], body["side_effects"], body["reflection"], body["private"]) == (None, [], "", False)
    assert (body["time"], body["dose_unit"], body["dose_value"], body["weight_kg"]) == (None, None, None, None)
    assert listed(patient) == [body]


@pytest.mark.parametrize("treatment", TREATMENTS)
def test_every_treatment_is_accepted(patient, treatment):
    assert create(patient, treatment=treatment)["treatment"] == treatment
    assert [s["treatment"] for s in listed(patient)] == [treatment]


@pytest.mark.parametrize("dose, stored", [(0.5, 0.5), (5000, 5000.0), ("35", 35.0), (None, None)])
def test_dose_is_optional_above_0_and_at_most_5000(patient, dose, stored):
    body = create(patient, dose_mg=dose)
    assert (body["dose_mg"], body["dose_unit"], body["dose_value"]) == (stored, stored and "mg", stored)
    assert [s["dose_mg"] for s in listed(patient)] == [stored]


def test_every_side_effect_is_accepted_and_repeats_dropped(patient):
    body = create(patient, side_effects=SIDE_EFFECTS + ["nausea"])
    assert body["side_effects"] == [unrated(name) for name in sorted(SIDE_EFFECTS)]


def test_reflection_of_10000_characters_is_accepted(patient):
    assert len(create(patient, reflection="x" * 10_000)["reflection"]) == 10_000
    assert len(listed(patient)[0]["reflection"]) == 10_000


# --- idempotency -----------------------------------------------------------------

def test_same_id_same_body_twice_is_200_and_stored_once(patient):
    data = {**VALID, "id": str(uuid.uuid4())}
    first = patient.post(API, json=data)
    second = patient.post(API, json={**data, "side_effects": ["dissociation", "nausea", "nausea"]})

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.get_json() == first.get_json()
    assert urlsplit(second.headers["Location"]).path == f"{API}/{data['id']}"
    assert listed(patient) == [stored(first.get_json())]


@pytest.mark.parametrize("change", [
    {"date": "2024-03-02"}, {"treatment": "im_ketamine"}, {"dose_mg": 40}, {"dose_mg": None},
    {"anxiety_before": 8}, {"anxiety_after": 2}, {"side_effects": ["nausea"]},
    {"reflection": "later thoughts"}, {"private": True},
], ids=lambda change: next(iter(change)))
def test_same_id_different_body_is_409_and_original_unchanged(patient, change):
    session_id = str(uuid.uuid4())
    original = create(patient, id=session_id)
    response = patient.post(API, json={**VALID, "id": session_id, **change})

    assert_flat(errors_of(response, 409, "id"))
    assert patient.get(f"{API}/{session_id}").get_json() == original
    assert listed(patient) == [original]


def test_another_patients_id_is_409_even_with_the_same_body(patient, other_patient):
    data = {**VALID, "id": str(uuid.uuid4())}
    original = create(patient, **data)

    errors_of(other_patient.post(API, json=data), 409, "id")
    assert listed(other_patient) == []
    assert listed(patient) == [original]


# --- bad input -------------------------------------------------------------------

@pytest.mark.parametrize("body, field", BAD_BODIES)
def test_create_rejects_bad_input_and_stores_nothing(patient, body, field):
    response = patient.post(API, json=body)

    errors = errors_of(response, 422, field)
    assert listed(patient) == []
    assert_flat(errors)


@pytest.mark.parametrize("side_effects", [["euphoria"], ["nausea", "Nausea"], [3]])
def test_unknown_side_effects_are_refused_and_nothing_stored(patient, side_effects):
    assert_flat(errors_of(patient.post(API, json={**VALID, "side_effects": side_effects}), 422, "side_effects"))
    assert listed(patient) == []


@pytest.mark.parametrize("kwargs, status", [
    pytest.param({"data": "{not json", "content_type": "application/json"}, 400, id="broken-json"),
    pytest.param({"data": {"date": "2024-03-01", "treatment": "other"}}, 415, id="form-encoded"),
    pytest.param({"json": [VALID]}, 422, id="json-array"),
    pytest.param({"data": '{"date": "2024-03-01", "reflection": "' + "x" * 1024 * 1024 + '"}',
                  "content_type": "application/json"}, 413, id="over-1-MiB"),
])
def test_create_rejects_bad_bodies_with_errors_body(patient, kwargs, status):
    assert_flat(errors_of(patient.post(API, **kwargs), status, "body"))
    assert listed(patient) == []


@pytest.mark.parametrize("query, field", [
    ("?from=garbage", "from"),
    ("?to=2024-02-30", "to"),
    ("?from=2024-03-02&to=2024-03-01", "to"),
    ("?colour=blue", "colour"),
])
def test_list_rejects_bad_query_params(patient, query, field):
    create(patient)
    assert_flat(errors_of(patient.get(API + query), 422, field))


# --- list ------------------------------------------------------------------------

@pytest.fixture
def three_sessions(patient):
    return {d: create(patient, date=d) for d in ("2024-03-01", "2024-03-03", "2024-03-02")}


def test_list_is_newest_first(patient, three_sessions):
    assert listed(patient) == [three_sessions[d] for d in ("2024-03-03", "2024-03-02", "2024-03-01")]


@pytest.mark.parametrize("query, dates", [
    ("?from=2024-03-02", ["2024-03-03", "2024-03-02"]),
    ("?to=2024-03-02", ["2024-03-02", "2024-03-01"]),
    ("?from=2024-03-02&to=2024-03-02", ["2024-03-02"]),
    ("?to=2024-02-29", []),
])
def test_list_filters_by_date(patient, three_sessions, query, dates):
    assert [s["date"] for s in listed(patient, query)] == dates


def test_list_shows_only_my_sessions(patient, other_patient):
    mine = create(patient)
    create(other_patient, reflection="Sam's")
    assert listed(patient) == [mine]


# --- get / patch / delete ----------------------------------------------------------

def test_get_unknown_id_is_404(patient):
    assert_flat(errors_of(patient.get(f"{API}/{uuid.uuid4()}"), 404, "id"))


def test_adding_a_reflection_later_keeps_the_other_fields(patient):
    original = create(patient, private=True)
    response = patient.patch(f"{API}/{original['id']}", json={"reflection": "It felt like floating."})

    assert response.status_code == 200
    body = stored(response.get_json())
    assert body == {**original, "reflection": "It felt like floating.", "updated_at": body["updated_at"]}
    assert body["updated_at"] >= original["updated_at"]
    assert listed(patient) == [body]


@pytest.mark.parametrize("change", [
    {"dose_mg": 50}, {"dose_mg": None}, {"treatment": "esketamine_nasal"}, {"anxiety_after": 1},
    {"side_effects": []}, {"private": True}, {"date": "2024-02-28"},
    {"anxiety_before": 9, "anxiety_after": 4},
], ids=lambda change: "+".join(change))
def test_patch_changes_only_the_given_fields(patient, change):
    original = create(patient)
    response = patient.patch(f"{API}/{original['id']}", json=change)

    assert response.status_code == 200
    body = stored(response.get_json())
    expected = {**original, **change, "updated_at": body["updated_at"]}
    if "dose_mg" in change:  # a dose in mg alone, as clients before dose units send it
        dose = change["dose_mg"]
        expected.update(dose_mg=dose and float(dose), dose_value=dose and float(dose), dose_unit=dose and "mg")
    assert body == expected
    assert patient.get(f"{API}/{original['id']}").get_json() == body


@pytest.mark.parametrize("change, field", [
    pytest.param({"id": str(uuid.uuid4())}, "id", id="id"),
    pytest.param({"treatment": "ketamine"}, "treatment", id="treatment-unknown"),
    pytest.param({"dose_mg": 0}, "dose_mg", id="dose-0"),
    pytest.param({"dose_mg": "NaN"}, "dose_mg", id="dose-NaN"),
    pytest.param({"anxiety_after": 11}, "anxiety_after", id="after-11"),
    pytest.param({"anxiety_before": None}, "anxiety_before", id="before-null"),
    pytest.param({"date": tomorrow_in_london()}, "date", id="date-tomorrow"),
    pytest.param({"side_effects": "nausea"}, "side_effects", id="side-effects-string"),
    pytest.param({"reflection": "x" * 10_001}, "reflection", id="reflection-10001"),
    pytest.param({"reflection": "kept?", "dose_mg": -5}, "dose_mg", id="valid-plus-invalid"),
    pytest.param({"reflection": "kept?", "mood": "ok"}, "mood", id="unknown-field"),
])
def test_patch_with_invalid_values_changes_nothing(patient, change, field):
    original = create(patient)
    response = patient.patch(f"{API}/{original['id']}", json=change)

    assert_flat(errors_of(response, 422, field))
    assert patient.get(f"{API}/{original['id']}").get_json() == original


def test_patch_with_an_unknown_side_effect_changes_nothing(patient):
    original = create(patient)
    response = patient.patch(f"{API}/{original['id']}", json={"side_effects": ["euphoria"]})
    assert_flat(errors_of(response, 422, "side_effects"))
    assert listed(patient) == [original]


@pytest.mark.parametrize("kwargs", [
    pytest.param({"json": {"reflection": "x"}}, id="valid"),
    pytest.param({"json": {"anxiety_after": 11}}, id="invalid"),
    pytest.param({"data": "{not json", "content_type": "application/json"}, id="broken-json"),
])
def test_patch_unknown_id_is_404(patient, kwargs):
    """The id is looked up before the body is read: whatever the body, a missing session is 404."""
    errors_of(patient.patch(f"{API}/{uuid.uuid4()}", **kwargs), 404, "id")
    assert listed(patient) == []


def test_delete_answers_204_then_404(patient):
    keep = create(patient, date="2024-03-02")
    gone = create(patient)

    response = patient.delete(f"{API}/{gone['id']}")
    assert response.status_code == 204 and response.get_data() == b""
    errors_of(patient.get(f"{API}/{gone['id']}"), 404, "id")
    errors_of(patient.delete(f"{API}/{gone['id']}"), 404, "id")
    errors_of(patient.patch(f"{API}/{gone['id']}", json={"reflection": "x"}), 404, "id")
    assert listed(patient) == [keep]


# --- who may -------------------------------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("GET", API), ("POST", API), ("GET", API + "/{id}"), ("PATCH", API + "/{id}"),
    ("DELETE", API + "/{id}"),
])
def test_logged_out_sessions_routes_answer_401_json(client, method, path):
    response = client.open(path.format(id=uuid.uuid4()), method=method,
                           json=VALID if method in ("POST", "PATCH") else None)

    assert "Location" not in response.headers
    assert_flat(errors_of(response, 401, "auth"))


def test_after_logout_the_session_survives_a_patch_attempt(patient, auth):
    session = create(patient)
    auth.logout()
    errors_of(patient.patch(f"{API}/{session['id']}", json={"reflection": "x"}), 401, "auth")
    errors_of(patient.delete(f"{API}/{session['id']}"), 401, "auth")
    auth.login()
    assert listed(patient) == [session]


def test_provider_cannot_log_a_session(app, patient, provider):
    session_id = str(uuid.uuid4())
    assert_flat(errors_of(provider.post(API, json={**VALID, "id": session_id}), 403, "request"))

    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM treatment_sessions").fetchone()[0] == 0
    assert patient.post(API, json={**VALID, "id": session_id}).status_code == 201


@pytest.mark.parametrize("method, path", [("GET", API), ("GET", API + "/{id}"), ("DELETE", API + "/{id}")])
def test_provider_cannot_read_or_delete_sessions(patient, provider, method, path):
    session = create(patient)
    errors_of(provider.open(path.format(id=session["id"]), method=method), 403, "request")
    assert listed(patient) == [session]


@pytest.mark.parametrize("method, body", [
    ("GET", None), ("PATCH", {"reflection": "hijacked", "dose_mg": 999}), ("DELETE", None),
])
def test_another_patients_session_is_404_and_unchanged(patient, other_patient, method, body):
    session = create(patient, reflection="my private thoughts")
    response = other_patient.open(f"{API}/{session['id']}", method=method, json=body)

    assert_flat(errors_of(response, 404, "id"))
    assert "private thoughts" not in response.get_data(as_text=True)
    assert patient.get(f"{API}/{session['id']}").get_json() == session
    assert listed(patient) == [session]


def test_reflection_that_is_not_valid_unicode_is_refused(patient):
    body = ('{"date": "2024-01-01", "treatment": "other", "anxiety_before": 5, "anxiety_after": 3,'
            ' "reflection": "\\ud800"}')
    response = patient.post(API, data=body, content_type="application/json")
    assert errors_of(response, 422, "reflection")
    assert listed(patient) == []


# --- time of day -------------------------------------------------------------------

@pytest.mark.parametrize("time", ["00:00", "07:30", "23:59", None])
def test_session_time_is_optional_hh_mm(patient, time):
    body = create(patient, time=time)
    assert body["time"] == time
    assert listed(patient) == [body]


@pytest.mark.parametrize("time", ["24:00", "7:30", "07:30:00", "", 730, "evening"])
def test_bad_session_time_is_422_and_nothing_stored(patient, time):
    assert_flat(errors_of(patient.post(API, json={**VALID, "time": time}), 422, "time"))
    assert listed(patient) == []


def test_session_time_patch_and_replay(patient):
    session_id = str(uuid.uuid4())
    original = create(patient, id=session_id, time="09:00")
    assert patient.post(API, json={**VALID, "id": session_id, "time": "09:00"}).status_code == 200
    errors_of(patient.post(API, json={**VALID, "id": session_id, "time": "09:01"}), 409, "id")
    body = stored(patient.patch(f"{API}/{session_id}", json={"time": "10:15"}).get_json())
    assert body == {**original, "time": "10:15", "updated_at": body["updated_at"]}


# --- side effects with severity and hours ---------------------------------------------

def test_side_effects_take_severity_and_hours_and_come_back_as_objects_by_name(patient):
    body = create(patient, side_effects=[
        {"name": "nausea", "severity": "moderate", "hours": 2},
        "headache",
        {"name": "dissociation", "severity": "severe"},
        {"name": "dizziness", "hours": 0.5, "severity": None},
    ])
    assert body["side_effects"] == [
        {"name": "dissociation", "severity": "severe", "hours": None},
        {"name": "dizziness", "severity": None, "hours": 0.5},
        unrated("headache"),
        {"name": "nausea", "severity": "moderate", "hours": 2.0},
    ]
    assert listed(patient) == [body]
    assert patient.get(f"{API}/{body['id']}").get_json() == body


@pytest.mark.parametrize("severity", ["mild", "moderate", "severe", None])
@pytest.mark.parametrize("hours", [0.25, 1, 72, None])
def test_every_severity_and_hours_up_to_72_are_accepted(patient, severity, hours):
    effect = {"name": "headache", "severity": severity, "hours": hours}
    assert create(patient, side_effects=[effect])["side_effects"] == [
        {**effect, "hours": None if hours is None else float(hours)}]


@pytest.mark.parametrize("effect, words", [
    pytest.param({"name": "nausea", "severity": "extreme"}, "Nausea: severity", id="severity-unknown"),
    pytest.param({"name": "nausea", "severity": "Mild"}, "Nausea: severity", id="severity-wrong-case"),
    pytest.param({"name": "nausea", "severity": 2}, "Nausea: severity", id="severity-number"),
    pytest.param({"name": "nausea", "hours": 0}, "Nausea: hours", id="hours-0"),
    pytest.param({"name": "nausea", "hours": -1}, "Nausea: hours", id="hours-negative"),
    pytest.param({"name": "nausea", "hours": 72.5}, "Nausea: hours", id="hours-over-72"),
    pytest.param({"name": "nausea", "hours": "long"}, "Nausea: hours", id="hours-text"),
    pytest.param({"name": "nausea", "hours": True}, "Nausea: hours", id="hours-bool"),
    pytest.param({"name": "nausea", "hours": "NaN"}, "Nausea: hours", id="hours-nan"),
    pytest.param({"name": "euphoria", "severity": "mild"}, "Name must be one of", id="name-unknown"),
    pytest.param({"name": 7}, "Name must be one of", id="name-number"),
    pytest.param({"severity": "mild"}, "Name is missing", id="name-missing"),
    pytest.param({"name": "nausea", "colour": "green"}, "Nausea: colour is not a known field", id="unknown-key"),
    pytest.param(["nausea"], "Must be a side effect", id="a-list"),
    pytest.param(None, "null", id="null"),
])
def test_bad_side_effect_items_are_422_naming_the_item(patient, effect, words):
    response = patient.post(API, json={**VALID, "side_effects": ["headache", effect]})
    errors = errors_of(response, 422, "side_effects")
    assert_flat(errors)
    assert errors["side_effects"][0].startswith("Item 2: ")
    assert words in errors["side_effects"][0]
    assert listed(patient) == []


@pytest.mark.parametrize("effects", [
    [{"name": "nausea", "severity": "mild"}, {"name": "nausea", "severity": "severe"}],
    ["nausea", {"name": "nausea", "hours": 3}],
])
def test_the_same_side_effect_twice_with_different_details_is_422(patient, effects):
    errors = errors_of(patient.post(API, json={**VALID, "side_effects": effects}), 422, "side_effects")
    assert errors["side_effects"] == [
        "Item 2: Nausea is listed more than once: list it once, with its severity and hours."]
    assert listed(patient) == []


def test_an_exact_repeat_of_a_side_effect_is_dropped(patient):
    effect = {"name": "nausea", "severity": "mild", "hours": 1}
    assert create(patient, side_effects=[effect, effect])["side_effects"] == [{**effect, "hours": 1.0}]


def test_sessions_saved_before_severities_read_as_unrated_objects(app, patient):
    session_id = str(uuid.uuid4())
    create(patient, id=session_id, side_effects=[])
    with app.app_context():  # a row as stored before m006: plain names
        get_db().execute("UPDATE treatment_sessions SET side_effects = ? WHERE id = ?",
                         ['["dissociation", "nausea"]', session_id])
    body = patient.get(f"{API}/{session_id}").get_json()
    assert body["side_effects"] == [unrated("dissociation"), unrated("nausea")]
    # the same create replayed by an old client is still "the same session"
    replay = patient.post(API, json={**VALID, "id": session_id, "side_effects": ["nausea", "dissociation"]})
    assert replay.status_code == 200 and stored(replay.get_json()) == body
    # and changing it stores the new form
    patched = stored(patient.patch(f"{API}/{session_id}", json={"side_effects": [
        {"name": "nausea", "severity": "mild"}]}).get_json())
    assert patched["side_effects"] == [{"name": "nausea", "severity": "mild", "hours": None}]


@pytest.mark.parametrize("change", [
    [{"name": "nausea", "severity": "mild"}, "dissociation"],
    [{"name": "nausea", "hours": 2}, "dissociation"],
    ["nausea"],
], ids=["severity", "hours", "fewer"])
def test_a_replay_with_other_side_effect_details_is_409(patient, change):
    session_id = str(uuid.uuid4())
    original = create(patient, id=session_id)
    errors_of(patient.post(API, json={**VALID, "id": session_id, "side_effects": change}), 409, "id")
    assert listed(patient) == [original]


# --- blood pressure ------------------------------------------------------------------

def test_blood_pressure_before_and_after(patient):
    readings = {"bp_before_systolic": 128, "bp_before_diastolic": 82, "bp_after_systolic": 141,
                "bp_after_diastolic": 90}
    body = create(patient, **readings)
    assert {name: body[name] for name in BP} == readings
    assert listed(patient) == [body]


@pytest.mark.parametrize("readings", [
    {"bp_before_systolic": 60, "bp_before_diastolic": 30},
    {"bp_after_systolic": 260, "bp_after_diastolic": 160},
    {"bp_before_systolic": "120", "bp_before_diastolic": 80.0},
])
def test_one_reading_alone_and_the_range_ends_are_accepted(patient, readings):
    body = create(patient, **readings)
    assert {name: body[name] for name in readings} == {name: int(value) for name, value in readings.items()}


@pytest.mark.parametrize("readings, field", [
    pytest.param({"bp_before_systolic": 59, "bp_before_diastolic": 40}, "bp_before_systolic", id="systolic-59"),
    pytest.param({"bp_before_systolic": 261, "bp_before_diastolic": 90}, "bp_before_systolic", id="systolic-261"),
    pytest.param({"bp_after_systolic": 120, "bp_after_diastolic": 29}, "bp_after_diastolic", id="diastolic-29"),
    pytest.param({"bp_after_systolic": 200, "bp_after_diastolic": 161}, "bp_after_diastolic", id="diastolic-161"),
    pytest.param({"bp_before_systolic": 120.5, "bp_before_diastolic": 80}, "bp_before_systolic", id="fraction"),
    pytest.param({"bp_before_systolic": "high", "bp_before_diastolic": 80}, "bp_before_systolic", id="text"),
    pytest.param({"bp_before_systolic": True, "bp_before_diastolic": 80}, "bp_before_systolic", id="bool"),
    pytest.param({"bp_before_systolic": 120}, "bp_before_diastolic", id="systolic-alone"),
    pytest.param({"bp_after_diastolic": 80}, "bp_after_systolic", id="diastolic-alone"),
    pytest.param({"bp_after_systolic": 120, "bp_after_diastolic": None}, "bp_after_diastolic", id="diastolic-null"),
    pytest.param({"bp_before_systolic": 80, "bp_before_diastolic": 80}, "bp_before_systolic", id="equal"),
    pytest.param({"bp_before_systolic": 80, "bp_before_diastolic": 120}, "bp_before_systolic", id="swapped"),
])
def test_implausible_or_half_blood_pressure_is_422_naming_the_field(patient, readings, field):
    assert_flat(errors_of(patient.post(API, json={**VALID, **readings}), 422, field))
    assert listed(patient) == []


def test_both_readings_wrong_names_both_fields(patient):
    response = patient.post(API, json={**VALID, "bp_before_systolic": 120, "bp_after_systolic": 70,
                                       "bp_after_diastolic": 90})
    errors_of(response, 422, "bp_before_diastolic", "bp_after_systolic")


@pytest.mark.parametrize("change, field", [
    pytest.param({"bp_before_systolic": 79}, "bp_before_systolic", id="systolic-below-stored-diastolic"),
    pytest.param({"bp_before_diastolic": None}, "bp_before_diastolic", id="drop-half"),
    pytest.param({"bp_after_systolic": 130}, "bp_after_diastolic", id="half-a-new-reading"),
])
def test_patch_checks_blood_pressure_against_the_stored_reading(patient, change, field):
    original = create(patient, bp_before_systolic=128, bp_before_diastolic=82)
    assert_flat(errors_of(patient.patch(f"{API}/{original['id']}", json=change), 422, field))
    assert patient.get(f"{API}/{original['id']}").get_json() == original


def test_patch_one_number_of_a_stored_reading_or_clear_it(patient):
    original = create(patient, bp_before_systolic=128, bp_before_diastolic=82)
    body = stored(patient.patch(f"{API}/{original['id']}", json={"bp_before_systolic": 118}).get_json())
    assert (body["bp_before_systolic"], body["bp_before_diastolic"]) == (118, 82)
    body = stored(patient.patch(f"{API}/{original['id']}", json={
        "bp_before_systolic": None, "bp_before_diastolic": None}).get_json())
    assert (body["bp_before_systolic"], body["bp_before_diastolic"]) == (None, None)


# --- dose: mg, or mg/kg with the weight -------------------------------------------------

def dose(body):
    return {name: body[name] for name in ("dose_unit", "dose_value", "weight_kg", "dose_mg")}


@pytest.mark.parametrize("given, expected", [
    pytest.param({"dose_unit": "mg/kg", "dose_value": 0.5, "weight_kg": 70},
                 {"dose_unit": "mg/kg", "dose_value": 0.5, "weight_kg": 70.0, "dose_mg": 35.0}, id="mg-per-kg"),
    pytest.param({"dose_unit": "mg/kg", "dose_value": 0.6, "weight_kg": 81.7},
                 {"dose_unit": "mg/kg", "dose_value": 0.6, "weight_kg": 81.7, "dose_mg": 49.02}, id="rounded"),
    pytest.param({"dose_unit": "mg/kg", "dose_value": 0.5, "weight_kg": 70, "dose_mg": 35},
                 {"dose_unit": "mg/kg", "dose_value": 0.5, "weight_kg": 70.0, "dose_mg": 35.0}, id="matching-mg"),
    pytest.param({"dose_unit": "mg", "dose_value": 42.5},
                 {"dose_unit": "mg", "dose_value": 42.5, "weight_kg": None, "dose_mg": 42.5}, id="mg"),
    pytest.param({"dose_unit": "mg", "dose_value": 42.5, "dose_mg": 42.5, "weight_kg": 64},
                 {"dose_unit": "mg", "dose_value": 42.5, "weight_kg": 64.0, "dose_mg": 42.5}, id="mg-with-weight"),
    pytest.param({"dose_unit": "mg", "dose_mg": 40},
                 {"dose_unit": "mg", "dose_value": 40.0, "weight_kg": None, "dose_mg": 40.0}, id="mg-unit-and-dose-mg"),
    pytest.param({"dose_mg": 40},
                 {"dose_unit": "mg", "dose_value": 40.0, "weight_kg": None, "dose_mg": 40.0}, id="old-client"),
    pytest.param({"dose_mg": None, "dose_unit": None, "dose_value": None},
                 {"dose_unit": None, "dose_value": None, "weight_kg": None, "dose_mg": None}, id="no-dose"),
    pytest.param({"dose_unit": "mg/kg", "dose_value": 20, "weight_kg": 250},
                 {"dose_unit": "mg/kg", "dose_value": 20.0, "weight_kg": 250.0, "dose_mg": 5000.0}, id="largest"),
])
def test_dose_is_stored_as_given_and_dose_mg_worked_out(patient, given, expected):
    body = create(patient, **{"dose_mg": None, **given})
    assert dose(body) == expected
    assert listed(patient) == [body]


@pytest.mark.parametrize("given, field", [
    pytest.param({"dose_unit": "g", "dose_value": 1}, "dose_unit", id="unit-unknown"),
    pytest.param({"dose_value": 35}, "dose_unit", id="value-without-unit"),
    pytest.param({"dose_unit": "mg"}, "dose_value", id="unit-without-value"),
    pytest.param({"dose_unit": "mg/kg", "weight_kg": 70}, "dose_value", id="mg-per-kg-without-value"),
    pytest.param({"dose_unit": "mg", "dose_value": 0}, "dose_value", id="value-0"),
    pytest.param({"dose_unit": "mg", "dose_value": 5000.5}, "dose_value", id="mg-over-5000"),
    pytest.param({"dose_unit": "mg/kg", "dose_value": 20.5, "weight_kg": 70}, "dose_value", id="mg-per-kg-over-20"),
    pytest.param({"dose_unit": "mg/kg", "dose_value": 20, "weight_kg": 300}, "dose_value", id="over-5000-mg-in-all"),
    pytest.param({"dose_unit": "mg", "dose_value": "NaN"}, "dose_value", id="value-nan"),
    pytest.param({"dose_unit": "mg", "dose_value": True}, "dose_value", id="value-bool"),
    pytest.param({"dose_unit": "mg/kg", "dose_value": 0.5}, "weight_kg", id="mg-per-kg-without-weight"),
    pytest.param({"dose_unit": "mg/kg", "dose_value": 0.5, "weight_kg": 19.9}, "weight_kg", id="weight-under-20"),
    pytest.param({"dose_unit": "mg/kg", "dose_value": 0.5, "weight_kg": 400.1}, "weight_kg", id="weight-over-400"),
    pytest.param({"dose_unit": "mg/kg", "dose_value": 0.5, "weight_kg": "heavy"}, "weight_kg", id="weight-text"),
    pytest.param({"dose_unit": "mg/kg", "dose_value": 0.5, "weight_kg": 70, "dose_mg": 40}, "dose_mg",
                 id="mg-per-kg-with-other-dose-mg"),
    pytest.param({"dose_unit": "mg", "dose_value": 35, "dose_mg": 40}, "dose_mg", id="mg-with-other-dose-mg"),
])
def test_bad_dose_is_422_naming_the_field_and_nothing_stored(patient, given, field):
    assert_flat(errors_of(patient.post(API, json={**without(VALID, "dose_mg"), **given}), 422, field))
    assert listed(patient) == []


MG_PER_KG = {"dose_unit": "mg/kg", "dose_value": 0.5, "weight_kg": 70}


@pytest.mark.parametrize("change, expected", [
    pytest.param({"weight_kg": 80}, {"dose_unit": "mg/kg", "dose_value": 0.5, "weight_kg": 80.0, "dose_mg": 40.0},
                 id="new-weight"),
    pytest.param({"dose_value": 0.75}, {"dose_unit": "mg/kg", "dose_value": 0.75, "weight_kg": 70.0, "dose_mg": 52.5},
                 id="new-value"),
    pytest.param({"dose_mg": 50}, {"dose_unit": "mg", "dose_value": 50.0, "weight_kg": 70.0, "dose_mg": 50.0},
                 id="old-client-sets-mg"),
    pytest.param({"dose_mg": None}, {"dose_unit": None, "dose_value": None, "weight_kg": 70.0, "dose_mg": None},
                 id="old-client-clears"),
    pytest.param({"dose_unit": "mg", "dose_value": 30}, {"dose_unit": "mg", "dose_value": 30.0, "weight_kg": 70.0,
                                                         "dose_mg": 30.0}, id="to-mg"),
    pytest.param({"reflection": "ok"}, {"dose_unit": "mg/kg", "dose_value": 0.5, "weight_kg": 70.0, "dose_mg": 35.0},
                 id="untouched"),
])
def test_patch_works_the_dose_out_on_the_changed_session(patient, change, expected):
    original = create(patient, **{**without(VALID, "dose_mg"), **MG_PER_KG})
    body = stored(patient.patch(f"{API}/{original['id']}", json=change).get_json())
    assert dose(body) == expected
    assert patient.get(f"{API}/{original['id']}").get_json() == body


@pytest.mark.parametrize("start, change, field", [
    pytest.param(MG_PER_KG, {"weight_kg": None}, "weight_kg", id="drop-weight"),
    pytest.param({"dose_mg": 0.5}, {"dose_unit": "mg/kg"}, "weight_kg", id="to-mg-per-kg-without-weight"),
    pytest.param({"dose_mg": 35}, {"dose_unit": "mg/kg", "weight_kg": 70}, "dose_value", id="35-mg-per-kg"),
    pytest.param({"dose_mg": None}, {"dose_value": 35}, "dose_unit", id="value-without-any-unit"),
    pytest.param(MG_PER_KG, {"dose_mg": 35, "dose_value": 0.6}, "dose_mg", id="stale-dose-mg"),
])
def test_patch_refuses_a_dose_that_no_longer_adds_up(patient, start, change, field):
    original = create(patient, **{**without(VALID, "dose_mg"), **start})
    assert_flat(errors_of(patient.patch(f"{API}/{original['id']}", json=change), 422, field))
    assert patient.get(f"{API}/{original['id']}").get_json() == original


def test_a_dose_in_mg_per_kg_too_high_and_without_weight_names_both(patient):
    response = patient.post(API, json={**VALID, "dose_mg": None, "dose_unit": "mg/kg", "dose_value": 35})
    assert_flat(errors_of(response, 422, "dose_value", "weight_kg"))
    assert listed(patient) == []


def test_a_session_as_read_can_be_sent_back(patient):
    """A client that echoes what it read (dose_mg included) saves the same session."""
    original = create(patient, **{**without(VALID, "dose_mg"), **MG_PER_KG, "time": "08:30",
                                  "side_effects": [{"name": "nausea", "severity": "mild", "hours": 2}],
                                  "bp_before_systolic": 128, "bp_before_diastolic": 82})
    echo = {k: v for k, v in original.items() if k not in ("created_at", "updated_at")}
    replay = patient.post(API, json=echo)
    assert replay.status_code == 200 and stored(replay.get_json()) == original
    copy = create(patient, **{k: v for k, v in echo.items() if k != "id"})
    assert {k: v for k, v in copy.items() if k not in ("id", "created_at", "updated_at")} == {
        k: v for k, v in echo.items() if k != "id"}


@pytest.mark.parametrize("change", [{"weight_kg": 71}, {"dose_value": 0.6}, {"dose_unit": "mg", "dose_value": 35}])
def test_a_replay_with_another_dose_is_409(patient, change):
    session_id = str(uuid.uuid4())
    original = create(patient, id=session_id, **{**without(VALID, "dose_mg"), **MG_PER_KG})
    errors_of(patient.post(API, json={**without(VALID, "dose_mg"), **MG_PER_KG, "id": session_id, **change}),
              409, "id")
    assert listed(patient) == [original]


def test_store_callers_that_skip_the_schema_get_the_same_stored_form(app, patient):
    """Demo data and benchmarks write through the store with a dose in mg and plain names."""
    from diary.store import sessions as sessions_store
    user = patient.get("/api/v1/me").get_json()["id"]
    data = {"id": str(uuid.uuid4()), "date": "2024-03-01", "treatment": "iv_ketamine", "dose_mg": 35.0,
            "anxiety_before": 7, "anxiety_after": 3, "side_effects": ["nausea", "dizziness"]}
    with app.app_context():
        first, created = sessions_store.create_session(get_db(), user, data)
        again, created_again = sessions_store.create_session(get_db(), user, data)
    assert (created, created_again) == (True, False) and again == first
    [body] = listed(patient)
    assert dose(body) == {"dose_unit": "mg", "dose_value": 35.0, "weight_kg": None, "dose_mg": 35.0}
    assert body["side_effects"] == [unrated("dizziness"), unrated("nausea")]


def test_every_problem_is_named_at_once(patient):
    """Field errors and the rules across fields come back together; a reading whose own number is
    wrong isn't also told it is half missing."""
    response = patient.post(API, json={**VALID, "anxiety_before": 11, "bp_before_systolic": 120,
                                       "bp_after_systolic": 999, "dose_mg": None, "dose_unit": "mg/kg",
                                       "dose_value": 0.5})
    errors = errors_of(response, 422, "anxiety_before", "bp_before_diastolic", "bp_after_systolic", "weight_kg")
    assert errors["bp_after_systolic"] == ["Must be a whole number from 60 to 260 (mmHg), or null."]
    assert listed(patient) == []
