"""One patient can never read, change or delete another's diary, through any route.

The route list comes from app.url_map, so a route added later is checked too (or
fails here until someone says what its parameters mean).
"""
import re

import pytest
from helpers import stored, today_iso, without_inline_code
from push_service import Browser

from diary.db import get_db

ENTRY = {"date": today_iso(), "anxiety": 6, "triggers": ["secret-trigger"], "note": "alice's secret note"}
SESSION = {"date": today_iso(), "treatment": "iv_ketamine", "anxiety_before": 8, "anxiety_after": 2,
           "reflection": "alice's secret reflection"}
# A plausible valid body for each write, so a refusal can't be blamed on bad input.
FORM = {"date": today_iso(), "anxiety": "1", "note": "overwritten", "treatment": "other",
        "anxiety_before": "1", "anxiety_after": "1", "name": "renamed", "into": "1", "scope": "scores"}
JSON = {"anxiety": 1, "note": "overwritten", "reflection": "overwritten"}
ASSESSMENT = {"date": today_iso(), "instrument": "phq9", "answers": [1, 2, 1, 0, 3, 1, 2, 0, 0]}


@pytest.fixture
def alice(patient, provider):
    """The victim: a patient with an entry, a session, a trigger, a pending share code and a provider."""
    entry = stored(patient.post("/api/v1/entries", json=ENTRY).get_json())
    session = stored(patient.post("/api/v1/sessions", json=SESSION).get_json())
    assessment = stored(patient.post("/api/v1/assessments", json=ASSESSMENT).get_json())
    shared = patient.post("/api/v1/invites", json={"scope": "full"}).get_json()["code"]
    assert provider.post("/api/v1/invites/redeem", json={"code": shared}).status_code == 200
    code = patient.post("/api/v1/invites", json={}).get_json()["code"]
    provider_id = provider.get("/api/v1/me").get_json()["id"]
    device = patient.post("/api/v1/push/subscriptions",
                          json=Browser("https://fcm.googleapis.com/fcm/send/alice").subscription(remind_at="20:00"))
    return {"client": patient, "entry": entry, "session": session, "assessment": assessment, "code": code,
            "provider_id": provider_id, "device_id": device.get_json()["id"]}


def snapshot(app):
    """Everything stored, to prove a refused request changed nothing."""
    with app.app_context():
        db = get_db()
        return {table: db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                for table in ("entries", "entry_triggers", "triggers", "treatment_sessions", "users",
                              "shares", "invites", "assessments", "safety_plans", "safety_events",
                              "safety_acknowledgements", "dismissals", "push_subscriptions")}


PATIENT_OBJECTS = {"entry_id", "session_id", "assessment_id", "trigger_id", "code", "provider_id", "device_id"}


def object_routes(app):
    """(rule, method) for every route that names one patient-owned object.

    Routes naming a patient (``patient_id``) are the provider's: tests/test_provider_access.py. A
    route taking a bearer ``token`` (a password-reset link) is opened by the token itself, for anyone
    who holds it: tests/test_password_reset.py.
    """
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.arguments or rule.endpoint == "static" or rule.arguments & {"patient_id", "token"}:
            continue
        unknown = rule.arguments - PATIENT_OBJECTS
        assert not unknown, f"{rule}: teach test_isolation what {unknown} refers to"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((rule, method))
    return routes


def fill(rule, alice, trigger_id):
    values = {"entry_id": alice["entry"]["id"], "session_id": alice["session"]["id"],
              "assessment_id": alice["assessment"]["id"],
              "trigger_id": trigger_id, "code": alice["code"], "provider_id": alice["provider_id"],
              "device_id": alice["device_id"]}
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:[^:>]+:)?{name}>", str(values[name]), path)
    return path


def test_every_object_route_is_covered(app):
    paths = {rule.rule for rule, _ in object_routes(app)}
    assert "/entries/<uuid:entry_id>/edit" in paths
    assert "/api/v1/sessions/<uuid:session_id>" in paths
    assert "/triggers/<row_id:trigger_id>/merge" in paths
    assert "/api/v1/care-team/<row_id:provider_id>" in paths
    assert "/care-team/invites/<code>/cancel" in paths
    assert "/api/v1/assessments/<uuid:assessment_id>" in paths
    assert "/assessments/<uuid:assessment_id>/delete" in paths


def test_other_patient_gets_404_on_every_object_route(app, alice, other_patient):
    with app.app_context():
        trigger_id = get_db().execute("SELECT id FROM triggers").fetchone()[0]
    before = snapshot(app)
    for rule, method in object_routes(app):
        path = fill(rule, alice, trigger_id)
        kwargs = {"json": JSON} if path.startswith("/api/") else {"data": FORM}
        response = other_patient.open(path, method=method, **kwargs)
        assert response.status_code == 404, f"{method} {path} answered {response.status_code}"
        body = without_inline_code(response.get_data(as_text=True))
        assert "secret" not in body, f"{method} {path} leaked data"
    assert snapshot(app) == before


def test_other_patients_lists_never_show_my_data(alice, other_patient):
    for path in ("/", "/history", "/sessions/", "/triggers", "/api/v1/entries", "/api/v1/sessions", "/api/v1/triggers",
                 "/history?trigger_id=1", "/history?trigger_id=2", "/api/v1/entries?trigger_id=1",
                 "/api/v1/entries?trigger_id=2"):
        response = other_patient.get(path)
        assert response.status_code == 200, path
        assert "secret" not in without_inline_code(response.get_data(as_text=True)), path


def test_reusing_another_patients_id_is_a_conflict_not_an_overwrite(app, alice, other_patient):
    before = snapshot(app)
    response = other_patient.post("/api/v1/entries", json={**ENTRY, "id": alice["entry"]["id"]})
    assert response.status_code == 409
    assert "secret" not in response.get_data(as_text=True)
    response = other_patient.post("/api/v1/sessions", json={**SESSION, "id": alice["session"]["id"]})
    assert response.status_code == 409
    assert snapshot(app) == before


def test_the_owner_still_sees_everything(alice):
    client = alice["client"]
    assert client.get(f"/api/v1/entries/{alice['entry']['id']}").get_json() == alice["entry"]
    assert client.get(f"/api/v1/sessions/{alice['session']['id']}").get_json() == alice["session"]
    assert client.get(f"/api/v1/assessments/{alice['assessment']['id']}").get_json() == alice["assessment"]


def test_provider_cannot_write_or_read_patient_routes(app, alice, provider):
    before = snapshot(app)
    for method, path, kwargs in [
        ("POST", "/", {"data": FORM}),
        ("POST", "/api/v1/entries", {"json": ENTRY}),
        ("POST", "/api/v1/sessions", {"json": SESSION}),
        ("POST", "/sessions/new", {"data": FORM}),
        ("GET", "/api/v1/entries", {}),
        ("GET", "/history", {}),
        ("GET", f"/api/v1/entries/{alice['entry']['id']}", {}),
        ("PATCH", f"/api/v1/entries/{alice['entry']['id']}", {"json": JSON}),
        ("DELETE", f"/api/v1/sessions/{alice['session']['id']}", {}),
        ("POST", "/api/v1/assessments", {"json": ASSESSMENT}),
        ("GET", "/api/v1/assessments", {}),
        ("GET", f"/api/v1/assessments/{alice['assessment']['id']}", {}),
        ("GET", "/safety-plan", {}),
        ("PUT", "/api/v1/safety-plan", {"json": {"warning_signs": "overwritten"}}),
    ]:
        response = provider.open(path, method=method, **kwargs)
        assert response.status_code == 403, f"{method} {path}"
        assert "secret" not in without_inline_code(response.get_data(as_text=True))
    assert snapshot(app) == before


def test_provider_on_today_is_sent_to_the_dashboard(provider):
    response = provider.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/provider/"
