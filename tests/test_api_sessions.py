"""JSON API: /api/v1/sessions, treatment sessions and their reflections (DESIGN §4)."""
import uuid
from urllib.parse import urlsplit

import pytest

from conftest import assert_flat, errors_of, stored, tomorrow_in_london, without
from diary.db import get_db

API = "/api/v1/sessions"
SESSION_FIELDS = {
    "id", "date", "treatment", "dose_mg", "anxiety_before", "anxiety_after", "side_effects",
    "reflection", "private", "created_at", "updated_at",
}
TREATMENTS = ["iv_ketamine", "im_ketamine", "esketamine_nasal", "oral_ketamine", "psychotherapy", "other"]
SIDE_EFFECTS = [
    "nausea", "dizziness", "dissociation", "confusion", "headache", "altered_time_perception",
    "elevated_blood_pressure", "other",
]
VALID = {
    "date": "2024-03-01", "treatment": "iv_ketamine", "dose_mg": 35, "anxiety_before": 7,
    "anxiety_after": 3, "side_effects": ["nausea", "dissociation"],
}


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
    assert sorted(body["side_effects"]) == ["dissociation", "nausea"]
    assert patient.get(response.headers["Location"]).get_json() == body
    assert listed(patient) == [body]


def test_create_with_only_required_fields_uses_defaults(patient):
    data = {"date": "2024-03-01", "treatment": "psychotherapy", "anxiety_before": 6, "anxiety_after": 6}
    response = patient.post(API, json=data)

    assert response.status_code == 201
    body = stored(response.get_json())
    assert (body["dose_mg"], body["side_effects"], body["reflection"], body["private"]) == (None, [], "", False)
    assert listed(patient) == [body]


@pytest.mark.parametrize("treatment", TREATMENTS)
def test_every_treatment_is_accepted(patient, treatment):
    assert create(patient, treatment=treatment)["treatment"] == treatment
    assert [s["treatment"] for s in listed(patient)] == [treatment]


@pytest.mark.parametrize("dose, stored", [(0.5, 0.5), (5000, 5000.0), ("35", 35.0), (None, None)])
def test_dose_is_optional_above_0_and_at_most_5000(patient, dose, stored):
    assert create(patient, dose_mg=dose)["dose_mg"] == stored
    assert [s["dose_mg"] for s in listed(patient)] == [stored]


def test_every_side_effect_is_accepted_and_repeats_dropped(patient):
    body = create(patient, side_effects=SIDE_EFFECTS + ["nausea"])
    assert sorted(body["side_effects"]) == sorted(SIDE_EFFECTS)


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
    if expected["dose_mg"] is not None:
        expected["dose_mg"] = float(expected["dose_mg"])
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


def test_patch_unknown_id_is_404(patient):
    errors_of(patient.patch(f"{API}/{uuid.uuid4()}", json={"reflection": "x"}), 404, "id")
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
