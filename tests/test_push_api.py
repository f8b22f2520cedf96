"""The push API (GET /push/key, POST and DELETE /push/subscriptions) and the pages around it:
who may call it, what it refuses and why, the Account page's device list, Today's offer."""
import pytest
from helpers import errors_of
from push_service import Browser

from diary import create_app
from diary.config import DEFAULT_PUSH_HOSTS
from diary.db import close_db, get_db, migrate
from diary.schemas.push import endpoint_problem

FCM = "https://fcm.googleapis.com/fcm/send/abc123"


def body(endpoint=FCM, **settings):
    return Browser(endpoint).subscription(**{"remind_at": "20:00", **settings})


def test_subscribe_then_change_the_time_then_turn_off(patient):
    first = body(days=[0, 2, 4])
    response = patient.post("/api/v1/push/subscriptions", json=first,
                            headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile Safari/537.36"})
    assert response.status_code == 201
    saved = response.get_json()
    assert {k: saved[k] for k in ("endpoint", "remind_at", "days", "device")} == {
        "endpoint": FCM, "remind_at": "20:00", "days": [0, 2, 4], "device": "Chrome on Android"}
    # The same browser again: its time and days change, nothing is added.
    again = patient.post("/api/v1/push/subscriptions", json={**first, "remind_at": "07:15", "days": [6, 5]})
    assert again.status_code == 200
    assert again.get_json()["id"] == saved["id"]
    assert (again.get_json()["remind_at"], again.get_json()["days"]) == ("07:15", [5, 6])
    assert patient.get("/account").get_data(as_text=True).count('name="device_id"') <= 1
    # Off: one call, and the endpoint is gone.
    assert patient.delete("/api/v1/push/subscriptions", json={"endpoint": FCM}).status_code == 204
    errors_of(patient.delete("/api/v1/push/subscriptions", json={"endpoint": FCM}), 404, "endpoint")


def test_days_default_to_every_day(patient):
    assert patient.post("/api/v1/push/subscriptions", json=body()).get_json()["days"] == [0, 1, 2, 3, 4, 5, 6]


# What the outside review sent: each host reads as a push service to urllib's parser but not to
# the library that sends (urllib3), or breaks the request at send time.
PARSER_TRICKS = [
    "https://127.0.0.1\\.fcm.googleapis.com/x",     # urllib3 connects to 127.0.0.1
    "https://127.0.0.1%2f.fcm.googleapis.com/x",     # a percent-encoded delimiter in the host
    "https://127.0.0.1%23.fcm.googleapis.com/x",
    "https://fcm.googleapis.com%2F@127.0.0.1/x",
    "https://fcm.googleapis.com/x\tgo",             # control characters
    "https://fcm.googleapis.com/x\r\nHost: 127.0.0.1",
    "https://fcm.googleapis.com\t/x",
    "https://127.0.0.1\u2215.fcm.googleapis.com/x",  # DIVISION SLASH, not ASCII
    "https://fcm.googleapis.com:22/x",               # not the default port
    "https://fcm.googleapis.com:8443/x",
    "https://@fcm.googleapis.com/x",                 # userinfo, even empty
    "https://fcm.googleapis.com./x",                 # a trailing dot
    "https://FCM.googleapis.com\\@127.0.0.1/x",
    "https://[::1].fcm.googleapis.com/x",
]


@pytest.mark.parametrize("endpoint", PARSER_TRICKS)
def test_an_endpoint_is_checked_as_the_sending_library_reads_it(endpoint):
    """Refused for reminders and alerts alike, whether or not a local push service is allowed; the
    sender runs the same check before each push (webpush.sender: "refused")."""
    for loopback in (False, True):
        assert endpoint_problem(endpoint, DEFAULT_PUSH_HOSTS, loopback), (endpoint, loopback)


@pytest.mark.parametrize("endpoint", PARSER_TRICKS)
def test_a_tricky_endpoint_is_refused_at_subscribe(patient, endpoint):
    errors_of(patient.post("/api/v1/push/subscriptions", json={**body(), "endpoint": endpoint}), 422, "endpoint")


@pytest.mark.parametrize("endpoint", ["https://fcm.googleapis.com:443/fcm/send/abc", FCM,
                                      "https://updates.push.services.mozilla.com/wpush/v2/gAAAA_-~.=%3D?x=1#frag"])
def test_real_endpoints_still_pass(endpoint):
    assert endpoint_problem(endpoint, DEFAULT_PUSH_HOSTS, False) is None


@pytest.mark.parametrize("change, field", [
    ({"endpoint": "http://fcm.googleapis.com/fcm/send/x"}, "endpoint"),       # not https
    ({"endpoint": "https://push.example.com/x"}, "endpoint"),                 # not a push service
    ({"endpoint": "https://fcm.googleapis.com.evil.example/x"}, "endpoint"),  # only a look-alike
    ({"endpoint": "https://user:pw@fcm.googleapis.com/x"}, "endpoint"),
    ({"endpoint": "https://10.0.0.5/x"}, "endpoint"),
    ({"endpoint": "https://fcm.googleapis.com:99999/x"}, "endpoint"),
    ({"endpoint": "https://fcm.googleapis.com/" + "x" * 2100}, "endpoint"),
    ({"remind_at": "24:00"}, "remind_at"),
    ({"remind_at": "8pm"}, "remind_at"),
    ({"days": []}, "days"),
    ({"days": [7]}, "days"),
    ({"days": [1, 1]}, "days"),
    ({"days": ["1"]}, "days"),
    ({"keys": {"p256dh": "abc", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "keys"),
    ({"keys": {"p256dh": Browser(FCM).subscription()["keys"]["p256dh"], "auth": "short"}}, "keys"),
    ({"keys": None}, "keys"),
    ({"colour": "blue"}, "colour"),
])
def test_bad_subscriptions_are_refused_naming_the_field(patient, change, field):
    errors = errors_of(patient.post("/api/v1/push/subscriptions", json={**body(), **change}), 422, field)
    if field == "keys" and change["keys"]:  # which key: "keys": ["auth: Must be ..."]
        assert errors["keys"][0].startswith(("p256dh: " if change["keys"]["p256dh"] == "abc" else "auth: "))
    assert patient.get("/account").get_data(as_text=True).count("Remove") == 0
    with patient.application.app_context():
        assert get_db().execute("SELECT count(*) FROM push_subscriptions").fetchone()[0] == 0


@pytest.mark.parametrize("endpoint", ["https://updates.push.services.mozilla.com/wpush/v2/abc",
                                      "https://web.push.apple.com/QGx", "https://wns2-by3p.notify.windows.com/w/?token=1"])
def test_every_browsers_push_service_is_accepted(patient, endpoint):
    assert patient.post("/api/v1/push/subscriptions", json=body(endpoint)).status_code == 201


def test_loopback_only_when_turned_on(tmp_path, monkeypatch):
    monkeypatch.setenv("DIARY_INSTANCE_PATH", str(tmp_path / "instance"))
    from helpers import FAST_HASHING, AuthActions, DiaryClient
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "d.sqlite3"), **FAST_HASHING})
    assert app.config["PUSH_LOOPBACK"] is False  # the default: a deployment never posts to itself
    app.test_client_class = DiaryClient
    with app.app_context():
        migrate(get_db())
    client = app.test_client()
    AuthActions(client).register()
    errors = errors_of(client.post("/api/v1/push/subscriptions", json=body("http://127.0.0.1:8080/push/1")),
                       422, "endpoint")
    assert "DIARY_PUSH_LOOPBACK" in errors["endpoint"][0]
    close_db(app.config["DATABASE"])


def test_loopback_accepted_for_local_testing(patient):
    for endpoint in ("http://127.0.0.1:9/push/a", "http://localhost:9/push/b", "http://[::1]:9/push/c"):
        assert patient.post("/api/v1/push/subscriptions", json=body(endpoint)).status_code == 201, endpoint


def test_the_key_and_subscriptions_are_for_patients(client, provider):
    assert client.get("/api/v1/push/key").status_code == 401
    assert client.post("/api/v1/push/subscriptions", json=body()).status_code in (400, 401)
    assert provider.get("/api/v1/push/key").status_code == 403
    assert provider.post("/api/v1/push/subscriptions", json=body()).status_code == 403


def test_writes_need_the_csrf_header(patient):
    response = patient.post("/api/v1/push/subscriptions", json=body(), csrf=False)
    errors_of(response, 400, "csrf_token")


def test_a_patient_cannot_turn_off_anothers_reminders(patient, other_patient):
    assert patient.post("/api/v1/push/subscriptions", json=body()).status_code == 201
    errors_of(other_patient.delete("/api/v1/push/subscriptions", json={"endpoint": FCM}), 404, "endpoint")
    with patient.application.app_context():
        row_id = get_db().execute("SELECT id FROM push_subscriptions").fetchone()[0]
    assert other_patient.post(f"/reminders/devices/{row_id}/delete").status_code == 404
    assert patient.post(f"/reminders/devices/{row_id}/delete").status_code == 302
    with patient.application.app_context():
        assert get_db().execute("SELECT count(*) FROM push_subscriptions").fetchone()[0] == 0


def test_a_browser_moves_to_whoever_subscribed_on_it_last(patient, other_patient):
    patient.post("/api/v1/push/subscriptions", json=body())
    assert other_patient.post("/api/v1/push/subscriptions", json=body()).status_code == 201
    with patient.application.app_context():
        owners = get_db().execute("SELECT u.email FROM push_subscriptions s JOIN users u ON u.id = s.user_id").fetchall()
    assert owners == [("sam@example.com",)]


def test_twenty_browsers_at_most(patient):
    for n in range(20):
        assert patient.post("/api/v1/push/subscriptions", json=body(f"{FCM}/{n}")).status_code == 201
    errors_of(patient.post("/api/v1/push/subscriptions", json=body(f"{FCM}/20")), 422, "endpoint")


def test_account_lists_devices_and_today_offers_reminders_until_no_thanks(patient):
    assert "data-reminders-offer" not in patient.get("/").get_data(as_text=True)  # nothing logged yet
    patient.post("/api/v1/entries", json={"date": "2026-01-05", "anxiety": 4})
    assert "data-reminders-offer" in patient.get("/").get_data(as_text=True)
    assert patient.post("/reminders/dismiss").status_code == 302
    assert "data-reminders-offer" not in patient.get("/").get_data(as_text=True)
    with patient.application.app_context():
        assert get_db().execute("SELECT card FROM dismissals").fetchall() == [("reminders",)]
    patient.post("/api/v1/push/subscriptions", json=body(), headers={"User-Agent": "Mozilla/5.0 (iPhone) Safari/604.1"})
    html = patient.get("/account").get_data(as_text=True)
    assert "Safari on iPhone" in html and "20:00" in html


@pytest.mark.parametrize("agent, label", [
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36", "Chrome on Android"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Version/18.1 Mobile/15E148 Safari/604.1",
     "Safari on iPhone"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0", "Edge on Windows"),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/156.0 Safari/537.36", "Chrome on Linux"),
    ("Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0", "Firefox on Android"),
    ("", "A browser"),
])
def test_devices_are_named_as_people_know_them(agent, label):
    from diary.services.reminders import device_label
    assert device_label(agent) == label
