"""JSON API: /api/v1/entries and /api/v1/me (docs/API.md)."""
import datetime as dt
import re
import uuid
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from helpers import assert_flat, errors_of, share, stored, tomorrow_in_london, user_id, without
from werkzeug.routing import IntegerConverter

from diary.db import get_db

API = "/api/v1/entries"
ENTRY_FIELDS = {"id", "date", "time", "anxiety", "triggers", "note", "private", "created_at", "updated_at"}
VALID = {"date": "2024-03-01", "anxiety": 4, "triggers": ["work", "sleep"], "note": "tired"}
MIB = 1024 * 1024


def listed(client, query=""):
    response = client.get(API + query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["entries"]


def create(client, **fields):
    response = client.post(API, json={**VALID, **fields})
    assert response.status_code == 201, response.get_data(as_text=True)
    return stored(response.get_json())


BAD_BODIES = [
    pytest.param({**VALID, "anxiety": -1}, "anxiety", id="anxiety-negative"),
    pytest.param({**VALID, "anxiety": 11}, "anxiety", id="anxiety-11"),
    pytest.param({**VALID, "anxiety": 7.5}, "anxiety", id="anxiety-fraction"),
    pytest.param({**VALID, "anxiety": "7.5"}, "anxiety", id="anxiety-fraction-string"),
    pytest.param({**VALID, "anxiety": "abc"}, "anxiety", id="anxiety-text"),
    pytest.param({**VALID, "anxiety": True}, "anxiety", id="anxiety-bool"),
    pytest.param({**VALID, "anxiety": None}, "anxiety", id="anxiety-null"),
    pytest.param({**VALID, "anxiety": [5]}, "anxiety", id="anxiety-list"),
    pytest.param(without(VALID, "anxiety"), "anxiety", id="anxiety-missing"),
    pytest.param({**VALID, "anxiety": "--5"}, "anxiety", id="anxiety-double-minus"),
    pytest.param({**VALID, "anxiety": "²"}, "anxiety", id="anxiety-superscript"),
    pytest.param({**VALID, "anxiety": "1" * 5000}, "anxiety", id="anxiety-5000-digits"),
    pytest.param({**VALID, "date": "2026-13-01"}, "date", id="date-month-13"),
    pytest.param({**VALID, "date": "yesterday"}, "date", id="date-word"),
    pytest.param({**VALID, "date": 20260101}, "date", id="date-number"),
    pytest.param({**VALID, "date": "1899-12-31"}, "date", id="date-before-1900"),
    pytest.param({**VALID, "date": None}, "date", id="date-null"),
    pytest.param(without(VALID, "date"), "date", id="date-missing"),
    pytest.param({**VALID, "note": "x" * 10_001}, "note", id="note-10001"),
    pytest.param({**VALID, "note": None}, "note", id="note-null"),
    pytest.param({**VALID, "triggers": "work"}, "triggers", id="triggers-string"),
    pytest.param({**VALID, "triggers": {"work": True}}, "triggers", id="triggers-object"),
    pytest.param({**VALID, "triggers": [f"t{i}" for i in range(21)]}, "triggers", id="triggers-21"),
    pytest.param({**VALID, "triggers": ["  "]}, "triggers", id="trigger-blank"),
    pytest.param({**VALID, "triggers": ["x" * 41]}, "triggers", id="trigger-41-chars"),
    pytest.param({**VALID, "triggers": ["work, sleep"]}, "triggers", id="trigger-comma"),
    pytest.param({**VALID, "private": "maybe"}, "private", id="private-not-bool"),
    pytest.param({**VALID, "id": "not-a-uuid"}, "id", id="id-not-uuid"),
    pytest.param({**VALID, "mood": "fine"}, "mood", id="unknown-field"),
    *[pytest.param({**VALID, "time": time}, "time", id=f"time-{time!r}")
      for time in ("24:00", "23:60", "9:30", "09:30:00", "0930", "12h30", "", " 09:30", "noon", 930, True, ["09:30"])],
]


# --- create ----------------------------------------------------------------------

def test_create_answers_201_with_location_and_exact_shape(patient):
    response = patient.post(API, json=VALID)

    assert response.status_code == 201
    body = stored(response.get_json())
    assert set(body) == ENTRY_FIELDS
    uuid.UUID(body["id"])
    assert urlsplit(response.headers["Location"]).path == f"{API}/{body['id']}"
    assert (body["date"], body["anxiety"], body["note"], body["private"]) == ("2024-03-01", 4, "tired", False)
    assert sorted(body["triggers"]) == ["sleep", "work"]
    assert body["created_at"] == body["updated_at"]
    assert patient.get(response.headers["Location"]).get_json() == body
    assert listed(patient) == [body]


def test_create_with_only_required_fields_uses_defaults(patient):
    response = patient.post(API, json={"date": "2024-03-02", "anxiety": 0})

    assert response.status_code == 201
    body = stored(response.get_json())
    assert set(body) == ENTRY_FIELDS
    assert (body["anxiety"], body["time"], body["triggers"], body["note"], body["private"]) == (0, None, [], "", False)
    assert listed(patient) == [body]


@pytest.mark.parametrize("anxiety, stored", [(0, 0), (10, 10), (7.0, 7), ("7", 7)])
def test_create_accepts_whole_numbers_0_to_10(patient, anxiety, stored):
    body = create(patient, anxiety=anxiety)
    assert body["anxiety"] == stored
    assert [e["anxiety"] for e in listed(patient)] == [stored]


@pytest.mark.parametrize("time", ["00:00", "09:05", "12:30", "23:59", None])
def test_time_of_day_is_optional_hh_mm(patient, time):
    body = create(patient, time=time)
    assert body["time"] == time
    assert patient.get(f"{API}/{body['id']}").get_json()["time"] == time
    assert [e["time"] for e in listed(patient)] == [time]


def test_time_can_be_changed_and_cleared(patient):
    original = create(patient, time="07:45")
    changed = stored(patient.patch(f"{API}/{original['id']}", json={"time": "21:10"}).get_json())
    assert changed == {**original, "time": "21:10", "updated_at": changed["updated_at"]}
    cleared = stored(patient.patch(f"{API}/{original['id']}", json={"time": None}).get_json())
    assert cleared["time"] is None and cleared["anxiety"] == original["anxiety"]


def test_a_replay_with_the_same_time_is_the_same_check_in(patient):
    data = {**VALID, "id": str(uuid.uuid4()), "time": "10:00"}
    first = patient.post(API, json=data)
    assert (first.status_code, patient.post(API, json=data).status_code) == (201, 200)
    assert_flat(errors_of(patient.post(API, json={**data, "time": None}), 409, "id"))
    assert listed(patient) == [stored(first.get_json())]


def test_create_accepts_today_in_the_patients_time_zone(patient):
    today = dt.datetime.now(ZoneInfo("Europe/London")).date().isoformat()
    assert create(patient, date=today)["date"] == today


def test_create_accepts_a_note_of_10000_characters_and_1900_01_01(patient):
    body = create(patient, note="x" * 10_000, date="1900-01-01")
    assert len(body["note"]) == 10_000
    assert listed(patient)[0]["date"] == "1900-01-01"


def test_create_keeps_the_client_id_and_dedupes_triggers(patient):
    entry_id = str(uuid.uuid4())
    body = create(patient, id=entry_id, triggers=["Work", "work ", "WORK", "bad   sleep"])
    assert body["id"] == entry_id
    assert sorted(body["triggers"]) == ["Work", "bad sleep"]
    assert patient.get(f"{API}/{entry_id}").get_json() == body


# --- idempotency -----------------------------------------------------------------

def test_same_id_same_body_twice_is_200_and_stored_once(patient):
    data = {**VALID, "id": str(uuid.uuid4())}
    first = patient.post(API, json=data)
    second = patient.post(API, json=data)

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.get_json() == first.get_json()
    assert urlsplit(second.headers["Location"]).path == f"{API}/{data['id']}"
    assert listed(patient) == [stored(first.get_json())]


def test_trigger_order_and_case_count_as_the_same_body(patient):
    entry_id = str(uuid.uuid4())
    first = create(patient, id=entry_id, triggers=["Work", "sleep", "bad sleep"])
    replay = patient.post(API, json={**VALID, "id": entry_id, "triggers": ["SLEEP", "bad  Sleep", " work"]})

    assert replay.status_code == 200
    assert stored(replay.get_json()) == first
    assert listed(patient) == [first]


@pytest.mark.parametrize("change", [
    {"anxiety": 5}, {"date": "2024-03-02"}, {"note": "different"}, {"private": True},
    {"triggers": ["work"]}, {"triggers": ["work", "sleep", "coffee"]}, {"time": "08:15"},
], ids=lambda change: next(iter(change)))
def test_same_id_different_body_is_409_and_original_unchanged(patient, change):
    entry_id = str(uuid.uuid4())
    original = create(patient, id=entry_id)
    response = patient.post(API, json={**VALID, "id": entry_id, **change})

    errors = errors_of(response, 409, "id")
    assert_flat(errors)
    assert patient.get(f"{API}/{entry_id}").get_json() == original
    assert listed(patient) == [original]


def test_another_patients_id_is_409_even_with_the_same_body(patient, other_patient):
    data = {**VALID, "id": str(uuid.uuid4())}
    original = create(patient, **data)
    response = other_patient.post(API, json=data)

    errors_of(response, 409, "id")
    assert listed(other_patient) == []
    assert listed(patient) == [original]


# --- bad input -------------------------------------------------------------------

@pytest.mark.parametrize("body, field", BAD_BODIES)
def test_create_rejects_bad_input_and_stores_nothing(patient, body, field):
    response = patient.post(API, json=body)

    errors = errors_of(response, 422, field)
    assert listed(patient) == []
    assert_flat(errors)


def test_create_rejects_tomorrow_in_the_patients_time_zone(patient):
    response = patient.post(API, json={**VALID, "date": tomorrow_in_london()})

    assert_flat(errors_of(response, 422, "date"))
    assert listed(patient) == []


@pytest.mark.parametrize("trigger", ["  ", "x" * 41, "work, sleep", "work; sleep", 7])
def test_bad_trigger_names_are_refused_and_nothing_stored(patient, trigger):
    response = patient.post(API, json={**VALID, "triggers": ["fine", trigger]})

    assert_flat(errors_of(response, 422, "triggers"))
    assert listed(patient) == []


def test_trigger_of_40_characters_and_20_triggers_are_accepted(patient):
    names = ["x" * 40] + [f"t{i}" for i in range(19)]
    assert len(create(patient, triggers=names)["triggers"]) == 20


@pytest.mark.parametrize("kwargs, status", [
    pytest.param({"data": "{not json", "content_type": "application/json"}, 400, id="broken-json"),
    pytest.param({"data": "", "content_type": "application/json"}, 400, id="empty-json"),
    pytest.param({"data": {"date": "2024-03-01", "anxiety": "4"}}, 415, id="form-encoded"),
    pytest.param({"data": "date=2024-03-01", "content_type": "text/plain"}, 415, id="text-plain"),
    pytest.param({"json": [VALID]}, 422, id="json-array"),
    pytest.param({"json": "a string"}, 422, id="json-string"),
    pytest.param({"data": '{"date": "2024-03-01", "anxiety": 4, "note": "' + "x" * MIB + '"}',
                  "content_type": "application/json"}, 413, id="over-1-MiB"),
])
def test_create_rejects_bad_bodies_with_errors_body(patient, kwargs, status):
    response = patient.post(API, **kwargs)

    assert_flat(errors_of(response, status, "body"))
    assert listed(patient) == []


@pytest.mark.parametrize("query, field", [
    ("?from=garbage", "from"),
    ("?to=2024-02-30", "to"),
    ("?limit=0", "limit"),
    ("?limit=1000", "limit"),
    ("?limit=ten", "limit"),
    ("?offset=-1", "offset"),
    ("?from=2024-03-02&to=2024-03-01", "to"),
    ("?trigger=work", "trigger"),  # names are not sent in URLs: trigger_id
    ("?trigger_id=0", "trigger_id"),
    ("?trigger_id=work", "trigger_id"),
    ("?trigger_id=99999999999999999999", "trigger_id"),
    ("?colour=blue", "colour"),
])
def test_list_rejects_bad_query_params(patient, query, field):
    create(patient)
    response = patient.get(API + query)

    assert_flat(errors_of(response, 422, field))


# --- list ------------------------------------------------------------------------

@pytest.fixture
def three_entries(patient):
    """Entries on 1, 3 and 2 March, created in that order."""
    return {
        "2024-03-01": create(patient, date="2024-03-01", triggers=["Work"]),
        "2024-03-03": create(patient, date="2024-03-03", triggers=["sleep"]),
        "2024-03-02": create(patient, date="2024-03-02", triggers=["work", "sleep"]),
    }


def test_list_is_newest_first(patient, three_entries):
    assert listed(patient) == [three_entries[d] for d in ("2024-03-03", "2024-03-02", "2024-03-01")]


def test_list_same_day_is_newest_created_first(patient, monkeypatch):
    stamps = iter(["2024-03-01T08:00:00.000Z", "2024-03-01T20:00:00.000Z"])
    monkeypatch.setattr("diary.store.entries.utc_now", lambda: next(stamps))
    create(patient, note="morning")
    create(patient, note="evening")

    assert [e["note"] for e in listed(patient)] == ["evening", "morning"]


@pytest.mark.parametrize("query, dates", [
    ("?from=2024-03-02", ["2024-03-03", "2024-03-02"]),
    ("?to=2024-03-02", ["2024-03-02", "2024-03-01"]),
    ("?from=2024-03-02&to=2024-03-02", ["2024-03-02"]),
    ("?from=2024-04-01", []),
    ("?trigger_id={work}", ["2024-03-02", "2024-03-01"]),
    ("?trigger_id={sleep}&from=2024-03-03", ["2024-03-03"]),
    ("?trigger_id=999", []),
    ("?limit=2", ["2024-03-03", "2024-03-02"]),
    ("?limit=1&offset=1", ["2024-03-02"]),
    ("?offset=2", ["2024-03-01"]),
    ("?offset=3", []),
])
def test_list_filters_and_pages(patient, three_entries, query, dates):
    ids = {t["name"].lower(): t["id"] for t in patient.get("/api/v1/triggers").get_json()["triggers"]}
    assert [e["date"] for e in listed(patient, query.format(**ids))] == dates


def test_the_trigger_list_gives_each_triggers_id_for_the_filters(patient, three_entries):
    assert patient.get("/api/v1/triggers").get_json()["triggers"] == [
        {"id": 2, "name": "sleep", "entry_count": 2}, {"id": 1, "name": "Work", "entry_count": 2}]


def test_list_shows_only_my_entries(patient, other_patient):
    mine = create(patient)
    create(other_patient, note="Sam's")
    assert listed(patient) == [mine]


# --- get / patch / delete ----------------------------------------------------------

def test_get_unknown_id_is_404(patient):
    assert_flat(errors_of(patient.get(f"{API}/{uuid.uuid4()}"), 404, "id"))


@pytest.mark.parametrize("change", [
    {"anxiety": 8}, {"note": "better now"}, {"private": True}, {"date": "2024-02-28"},
    {"triggers": ["coffee"]}, {"triggers": []}, {"anxiety": 0, "note": ""}, {"time": "23:59"},
], ids=lambda change: "+".join(change))
def test_patch_changes_only_the_given_fields(patient, change):
    original = create(patient)
    response = patient.patch(f"{API}/{original['id']}", json=change)

    assert response.status_code == 200
    body = stored(response.get_json())
    assert set(body) == ENTRY_FIELDS
    expected = {**original, **change, "updated_at": body["updated_at"]}
    assert {**body, "triggers": sorted(body["triggers"])} == {**expected, "triggers": sorted(expected["triggers"])}
    assert body["updated_at"] >= original["updated_at"]
    assert patient.get(f"{API}/{original['id']}").get_json() == body


@pytest.mark.parametrize("change, field", [
    pytest.param({"id": str(uuid.uuid4())}, "id", id="id"),
    pytest.param({"anxiety": 11}, "anxiety", id="anxiety-11"),
    pytest.param({"anxiety": 7.5}, "anxiety", id="anxiety-fraction"),
    pytest.param({"anxiety": None}, "anxiety", id="anxiety-null"),
    pytest.param({"date": "2026-13-01"}, "date", id="date-malformed"),
    pytest.param({"date": None}, "date", id="date-null"),
    pytest.param({"note": "x" * 10_001}, "note", id="note-10001"),
    pytest.param({"triggers": "work"}, "triggers", id="triggers-string"),
    pytest.param({"triggers": [f"t{i}" for i in range(21)]}, "triggers", id="triggers-21"),
    pytest.param({"note": "new", "anxiety": 11}, "anxiety", id="valid-plus-invalid"),
    pytest.param({"note": "new", "mood": "ok"}, "mood", id="unknown-field"),
    pytest.param({"note": "new", "time": "25:00"}, "time", id="time-25"),
])
def test_patch_with_invalid_values_changes_nothing(patient, change, field):
    original = create(patient)
    response = patient.patch(f"{API}/{original['id']}", json=change)

    assert_flat(errors_of(response, 422, field))
    assert patient.get(f"{API}/{original['id']}").get_json() == original


def test_patch_to_tomorrow_changes_nothing(patient):
    original = create(patient)
    response = patient.patch(f"{API}/{original['id']}", json={"date": tomorrow_in_london()})

    errors_of(response, 422, "date")
    assert listed(patient) == [original]


@pytest.mark.parametrize("kwargs, status", [
    pytest.param({"data": "{not json", "content_type": "application/json"}, 400, id="broken-json"),
    pytest.param({"data": {"note": "x"}}, 415, id="form-encoded"),
    pytest.param({"json": [{"note": "x"}]}, 422, id="json-array"),
])
def test_patch_with_a_bad_body_changes_nothing(patient, kwargs, status):
    original = create(patient)
    errors_of(patient.patch(f"{API}/{original['id']}", **kwargs), status, "body")
    assert listed(patient) == [original]


@pytest.mark.parametrize("kwargs", [
    pytest.param({"json": {"anxiety": 1}}, id="valid"),
    pytest.param({"json": {"anxiety": 11}}, id="invalid"),
    pytest.param({"data": "{not json", "content_type": "application/json"}, id="broken-json"),
    pytest.param({"data": {"note": "x"}}, id="form-encoded"),
])
def test_patch_unknown_id_is_404(patient, kwargs):
    """The id is looked up before the body is read: whatever the body, a missing entry is 404."""
    errors_of(patient.patch(f"{API}/{uuid.uuid4()}", **kwargs), 404, "id")
    assert listed(patient) == []


def test_delete_answers_204_then_404(patient):
    keep = create(patient, date="2024-03-02")
    gone = create(patient)

    response = patient.delete(f"{API}/{gone['id']}")
    assert response.status_code == 204 and response.get_data() == b""
    errors_of(patient.get(f"{API}/{gone['id']}"), 404, "id")
    errors_of(patient.delete(f"{API}/{gone['id']}"), 404, "id")
    errors_of(patient.patch(f"{API}/{gone['id']}", json={"anxiety": 1}), 404, "id")
    assert listed(patient) == [keep]


# --- who may -------------------------------------------------------------------

def test_me_shows_the_account(patient, provider):
    assert patient.get("/api/v1/me").get_json() == {
        "id": 1, "email": "pat@example.com", "role": "patient", "display_name": "Pat",
        "timezone": "Europe/London", "language": "en",
    }
    me = provider.get("/api/v1/me")
    assert me.status_code == 200
    assert set(me.get_json()) == {"id", "email", "role", "display_name", "timezone", "language"}
    assert me.get_json()["role"] == "provider"


def api_routes(app):
    """(method, url) for every /api/v1 rule that needs a login, path variables filled in."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule == "/api/v1/openapi.json":
            continue
        url = rule.rule
        for argument in rule.arguments:
            value = "1" if isinstance(rule._converters[argument], IntegerConverter) else uuid.uuid4()
            url = re.sub(rf"<(?:[^>]+:)?{argument}>", str(value), url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url


def test_logged_out_every_api_route_answers_401_json(app, client):
    routes = list(api_routes(app))
    assert {("GET", "/api/v1/me"), ("POST", API), ("POST", "/api/v1/sessions")} <= {
        (m, u) for m, u in routes}
    for method, url in routes:
        response = client.open(url, method=method, json=VALID if method in ("POST", "PATCH") else None)
        assert response.status_code == 401, (method, url, response.status_code)
        assert "Location" not in response.headers, (method, url)
        errors = errors_of(response, 401, "auth")
        assert_flat(errors)


@pytest.mark.parametrize("method, path", [
    ("GET", "/api/v1/me"), ("GET", API), ("POST", API),
    ("GET", API + "/{id}"), ("PATCH", API + "/{id}"), ("DELETE", API + "/{id}"),
])
def test_after_logout_entries_routes_answer_401_and_data_survives(patient, auth, method, path):
    entry = create(patient)
    auth.logout()

    response = patient.open(path.format(id=entry["id"]), method=method,
                            json={**VALID, "anxiety": 9} if method in ("POST", "PATCH") else None)
    assert_flat(errors_of(response, 401, "auth"))
    auth.login()
    assert listed(patient) == [entry]


def test_provider_cannot_create_an_entry(app, patient, provider):
    entry_id = str(uuid.uuid4())
    response = provider.post(API, json={**VALID, "id": entry_id})

    assert_flat(errors_of(response, 403, "request"))
    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM entries").fetchone()[0] == 0
    # The id is still free: the patient can create with it.
    assert patient.post(API, json={**VALID, "id": entry_id}).status_code == 201


@pytest.mark.parametrize("method, path", [("GET", API), ("GET", API + "/{id}"), ("DELETE", API + "/{id}")])
def test_provider_cannot_read_or_delete_entries(patient, provider, method, path):
    entry = create(patient)
    errors_of(provider.open(path.format(id=entry["id"]), method=method), 403, "request")
    assert listed(patient) == [entry]


@pytest.mark.parametrize("method, body", [
    ("GET", None), ("PATCH", {"anxiety": 9, "note": "hijacked"}), ("DELETE", None),
])
def test_another_patients_entry_is_404_and_unchanged(patient, other_patient, method, body):
    entry = create(patient)
    response = other_patient.open(f"{API}/{entry['id']}", method=method, json=body)

    assert_flat(errors_of(response, 404, "id"))
    assert "tired" not in response.get_data(as_text=True)
    assert patient.get(f"{API}/{entry['id']}").get_json() == entry
    assert listed(patient) == [entry]


def test_ids_in_paths_are_case_insensitive_and_non_uuids_are_404(patient):
    entry = stored(patient.post(API, json={**VALID, "id": str(uuid.uuid4()).upper()}).get_json())
    assert entry["id"] == entry["id"].lower()
    assert patient.get(f"{API}/{entry['id'].upper()}").get_json() == entry
    assert patient.get(f"{API}/not-a-uuid").status_code == 404
    assert patient.delete(f"{API}/{entry['id'].upper()}").status_code == 204


@pytest.mark.parametrize("field, value", [("note", "\\ud800"), ("triggers", '["\\udfff"]')])
def test_text_that_is_not_valid_unicode_is_refused(patient, field, value):
    body = '{"date": "2024-01-01", "anxiety": 3, "%s": %s}' % (
        field, value if value.startswith("[") else f'"{value}"')
    response = patient.post(API, data=body, content_type="application/json")
    assert errors_of(response, 422, field)[field] == ["Contains characters that aren't valid text."]
    assert listed(patient) == []


def test_anonymous_write_is_401_not_a_csrf_error(client):
    response = client.post(API, json=VALID, csrf=False)
    assert errors_of(response, 401, "auth")


def test_list_says_where_the_next_page_starts(patient):
    for day in range(1, 6):
        create(patient, date=f"2024-03-0{day}")
    first = patient.get(API + "?limit=2").get_json()
    assert [e["date"] for e in first["entries"]] == ["2024-03-05", "2024-03-04"]
    second = patient.get(first["next"]).get_json()
    assert [e["date"] for e in second["entries"]] == ["2024-03-03", "2024-03-02"]
    last = patient.get(second["next"]).get_json()
    assert [e["date"] for e in last["entries"]] == ["2024-03-01"] and last["next"] is None


def test_trigger_names_cannot_hold_control_characters(patient):
    response = patient.post(API, json={**VALID, "triggers": ["bad\x00name"]})
    assert errors_of(response, 422, "triggers")["triggers"] == ["Can't contain a NUL character (\\0)."]
    # Tabs, line breaks and the other control characters are refused, not folded into spaces.
    for name in ("odd\x1f\tname", "two\nlines"):
        response = patient.post(API, json={**VALID, "triggers": [name]})
        assert errors_of(response, 422, "triggers")["triggers"] == [
            "Item 1: Can't contain line breaks, tabs or other control characters."]
    assert listed(patient) == []
    assert create(patient, triggers=["  odd   name "])["triggers"] == ["odd name"]  # spaces still fold


@pytest.mark.parametrize("fields", [
    {},
    {"triggers": [], "note": "", "private": True, "time": "07:05"},
    {"triggers": ["WORK", "  new   one ", "Ärger", "apple", "Zebra", "éclair", "work"], "anxiety": "3"},
    {"triggers": ["Sleep"], "note": "ünïcödé 🙂 note"},
    {"anxiety": 10, "note": "I want to die", "date": "2024-02-29"},
])
def test_a_created_check_in_answers_exactly_what_reading_it_back_gives(patient, fields):
    """The create's answer is built from what it wrote: the triggers as stored (an
    existing trigger keeps its own spelling), ordered like a read, every field typed like a read."""
    create(patient, triggers=["Work", "sleep"])  # existing triggers, spelled their own way
    response = patient.post(API, json={**VALID, **fields})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = stored(response.get_json())
    read_back = patient.get(f"{API}/{body['id']}").get_json()
    assert body == read_back
    assert {name: type(value) for name, value in body.items()} == {name: type(value) for name, value in read_back.items()}


# --- a provider's copy ---------------------------------------------------------------

SHARED_ENTRY_FIELDS = {"id", "date", "time", "anxiety", "triggers", "note"}


@pytest.mark.parametrize("scope, note", [("scores", None), ("full", "tired")])
def test_a_provider_reads_each_check_ins_time_under_every_scope(patient, provider, scope, note):
    """Like the provider's CSV: the time of day under every scope; the note only under "full"."""
    timed = create(patient, date="2024-03-02", time="08:05")
    untimed = create(patient, date="2024-03-01")
    share(patient, provider, scope)
    response = provider.get(f"/api/v1/patients/{user_id(patient)}/entries")
    assert response.status_code == 200, response.get_data(as_text=True)
    entries = response.get_json()["entries"]
    assert [(e["id"], e["date"], e["time"], e["anxiety"], e["note"]) for e in entries] == [
        (timed["id"], "2024-03-02", "08:05", 4, note), (untimed["id"], "2024-03-01", None, 4, note)]
    assert all(set(entry) == SHARED_ENTRY_FIELDS for entry in entries)
