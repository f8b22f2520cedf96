"""Safety alerts for clinicians by web push, end to end without a browser: a provider turns alerts on
for a (local) push service, a patient's shared record raises a safety signal, and `flask send-reminders`
sends one encrypted push that names no one and holds no health data. Then everything that must not
alert: private records, patients who don't share, acknowledged signals, revoked shares, reruns. The
pages' words are at the end. (The rules of the signals themselves: tests/test_safety.py.)"""
import datetime as dt
import json
import re
import threading
from zoneinfo import ZoneInfo

import pytest
from helpers import app_connection, errors_of, new_user, share, user_id, without_inline_code
from push_service import Browser, PushService, vapid_claims

from diary.config.crisis_contacts import EMERGENCY
from diary.db import get_db
from diary.push import webpush
from diary.services import safety_alerts

LONDON = ZoneInfo("Europe/London")  # conftest's patients live in London
CRISIS = "thinking about killing myself tonight"
ALERT = {"title": "Symptom Diary", "body": "A patient you care for needs attention. Open Symptom Diary.",
         "url": "/provider/", "tag": "diary-safety-alert"}
ALERTS = "/api/v1/safety-alerts/subscriptions"
FCM = "https://fcm.googleapis.com/fcm/send/dr-lee"


def today():
    return dt.datetime.now(LONDON).date().isoformat()


@pytest.fixture
def push():
    with PushService() as service:
        yield service


@pytest.fixture
def care(patient, provider):
    """Pat shares everything with Dr. Lee."""
    share(patient, provider, "full")
    return {"patient": patient, "provider": provider, "patient_id": user_id(patient)}


def turn_on(provider, browser, status=201):
    response = provider.post(ALERTS, json=browser.subscription(),
                             headers={"User-Agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Firefox/133.0"})
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def run(runner, now=None):
    result = runner.invoke(args=["send-reminders", *(["--now", now] if now else [])])
    assert result.exit_code == 0, result.output
    return result.output


def alerts_line(output):
    [line] = [line for line in output.splitlines() if "safety alerts" in line]
    return line


def sent(output):
    """How many safety alerts a run says it sent."""
    return int(re.search(r"safety alerts (\d+) sent", alerts_line(output)).group(1))


def checkin(client, anxiety=5, note=CRISIS, private=False, date=None):
    response = client.post("/api/v1/entries", json={"date": date or today(), "anxiety": anxiety, "note": note,
                                                    "private": private})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def phq9(client, item9, private=False):
    response = client.post("/api/v1/assessments", json={
        "instrument": "phq9", "date": today(), "answers": [1, 1, 1, 1, 1, 1, 1, 1, item9], "private": private})
    assert response.status_code == 201, response.get_data(as_text=True)


def subscriptions(app):
    with app.app_context():
        return get_db().execute("SELECT endpoint, purpose FROM push_subscriptions ORDER BY id").fetchall()


def backdate_signals(app, **delta):
    """Every safety signal raised ``delta`` ago (as if written then)."""
    moment = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(**delta)).isoformat(timespec="milliseconds")
    with app.app_context():
        get_db().execute("UPDATE safety_events SET raised_at = ?", [moment.replace("+00:00", "Z")])


# --- the alert --------------------------------------------------------------------------

def test_a_shared_crisis_checkin_sends_one_encrypted_alert_without_names_or_health_data(app, care, runner, push):
    patient, provider = care["patient"], care["provider"]
    browser = push.browser("dr-lee-laptop")
    saved = turn_on(provider, browser)
    assert saved["device"] == "Firefox on Mac" and saved["last_sent_at"] is None
    assert set(saved) == {"id", "endpoint", "device", "created_at", "last_sent_at"}  # no reminder time
    checkin(patient, 9, CRISIS)

    output = run(runner)
    assert sent(output) == 1 and "0 expired and removed, 0 failed" in alerts_line(output)
    [request] = push.received
    assert request["path"] == "/push/dr-lee-laptop"
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["content-encoding"] == "aes128gcm"
    # Kept a day for a phone that is off, at high urgency (a reminder: 2 hours, normal).
    assert (headers["ttl"], headers["urgency"]) == ("86400", "high")
    # VAPID (RFC 8292): signed with the key the provider's page subscribed with.
    public_key = provider.get("/api/v1/safety-alerts/key").get_json()["public_key"]
    assert public_key == webpush.public_key(app)
    claims = vapid_claims(headers["authorization"], public_key)
    assert claims["aud"] == push.url and claims["sub"] == app.config["VAPID_SUBJECT"]
    # The body is ciphertext; decrypted, it is the fixed sentence and the dashboard, nothing else.
    assert b"attention" not in request["body"]
    message = browser.decrypt(request["body"])
    assert message == ALERT
    text = json.dumps(message)
    for health_or_name in ("Pat", "pat@example.com", str(care["patient_id"]), "killing", "myself", "crisis",
                           "PHQ", "9", today()):
        assert health_or_name not in text, health_or_name
    # The flag the alert is about is there on the dashboard it opens.
    assert "Safety: needs acknowledging" in provider.get(message["url"]).get_data(as_text=True)
    with app.app_context():
        last_sent_at = get_db().execute("SELECT last_sent_at FROM push_subscriptions").fetchone()[0]
    assert last_sent_at is not None

    # The next run (cron every few minutes) sends nothing more.
    output = run(runner)
    assert sent(output) == 0 and len(push.received) == 1
    assert "sent 0, nothing to do 0, already done 0" in output  # the reminders' line: none for a provider


def test_phq9_item_9_alerts_and_each_new_signal_alerts_once(care, runner, push):
    turn_on(care["provider"], push.browser("dr"))
    phq9(care["patient"], item9=1)
    assert sent(run(runner)) == 1
    checkin(care["patient"], 4, "I can't go on")
    checkin(care["patient"], 4, "I want to die")
    assert sent(run(runner)) == 2  # one for each newly raised signal
    assert sent(run(runner)) == 0 and len(push.received) == 3


def test_quiet_hours_do_not_apply(care, runner, push):
    turn_on(care["provider"], push.browser("dr"))
    checkin(care["patient"])
    at_three = dt.datetime.combine(dt.datetime.now(LONDON).date(), dt.time(3, 0), tzinfo=LONDON).isoformat()
    assert sent(run(runner, at_three)) == 1


def test_every_browser_of_the_provider_gets_it_once_and_a_second_provider_too(app, care, runner, push):
    turn_on(care["provider"], push.browser("dr-laptop"))
    turn_on(care["provider"], push.browser("dr-phone"))
    second = new_user(app, "dr2@example.com", "Dr. Two", role="provider")
    share(care["patient"], second, "scores")  # scores only: alerted all the same, as the flag shows
    turn_on(second, push.browser("dr-two"))
    checkin(care["patient"])
    assert sent(run(runner)) == 3
    assert sorted(r["path"] for r in push.received) == ["/push/dr-laptop", "/push/dr-phone", "/push/dr-two"]
    assert sent(run(runner)) == 0


def test_two_runs_at_once_send_one_alert(app, care, push):
    turn_on(care["provider"], push.browser("dr"))
    checkin(care["patient"])
    send = webpush.sender(app.config, app.instance_path)
    counts, barrier = [], threading.Barrier(2)

    def one_run():
        db = app_connection(app)  # each run its own connection, as two cron jobs would
        barrier.wait()
        counts.append(safety_alerts.send_due(db, send))
        db.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(c["sent"] for c in counts) == 1 and len(push.received) == 1


# --- what must not alert --------------------------------------------------------------

def test_a_private_crisis_checkin_or_phq9_sends_nothing(care, runner, push):
    turn_on(care["provider"], push.browser("dr"))
    checkin(care["patient"], 10, CRISIS, private=True)
    phq9(care["patient"], item9=3, private=True)
    assert sent(run(runner)) == 0 and push.received == []


def test_a_patient_who_does_not_share_sends_nothing(app, care, runner, push):
    turn_on(care["provider"], push.browser("dr"))
    stranger = new_user(app, "sam@example.com", "Sam")
    checkin(stranger, 10, CRISIS)
    phq9(stranger, item9=3)
    assert sent(run(runner)) == 0 and push.received == []


def test_a_score_of_10_alone_is_no_safety_signal(care, runner, push):
    turn_on(care["provider"], push.browser("dr"))
    checkin(care["patient"], 10, "rough day")
    assert sent(run(runner)) == 0


def test_an_acknowledged_signal_sends_nothing_and_a_later_one_does(care, runner, push):
    patient, provider, pid = care["patient"], care["provider"], care["patient_id"]
    turn_on(provider, push.browser("dr"))
    checkin(patient)
    assert provider.post(f"/api/v1/patients/{pid}/safety/acknowledge").status_code == 204
    assert sent(run(runner)) == 0
    checkin(patient, 5, "suicidal again")
    assert sent(run(runner)) == 1


def test_acknowledging_is_for_each_provider(app, care, runner, push):
    second = new_user(app, "dr2@example.com", "Dr. Two", role="provider")
    share(care["patient"], second, "full")
    turn_on(care["provider"], push.browser("dr"))
    turn_on(second, push.browser("dr-two"))
    checkin(care["patient"])
    care["provider"].post(f"/api/v1/patients/{care['patient_id']}/safety/acknowledge")
    assert sent(run(runner)) == 1
    assert [r["path"] for r in push.received] == ["/push/dr-two"]


def test_a_revoked_share_sends_nothing(care, runner, push):
    patient, provider = care["patient"], care["provider"]
    turn_on(provider, push.browser("dr"))
    checkin(patient)
    provider_id = provider.get("/api/v1/me").get_json()["id"]
    assert patient.delete(f"/api/v1/care-team/{provider_id}").status_code == 204
    assert sent(run(runner)) == 0 and push.received == []


def test_signals_from_before_alerts_were_turned_on_send_nothing(app, care, runner, push):
    checkin(care["patient"])
    backdate_signals(app, minutes=1)  # raised a minute before the provider turned alerts on
    turn_on(care["provider"], push.browser("dr"))
    assert sent(run(runner)) == 0


def test_a_patient_who_starts_sharing_alerts_as_the_dashboard_flags(app, patient, provider, runner, push):
    """A new share shows, as an open flag, signals raised from two weeks before it began (docs/INSIGHTS.md):
    those alert, when the share began after alerts were turned on; older ones are history."""
    turn_on(provider, push.browser("dr"))
    checkin(patient)
    backdate_signals(app, days=20)
    share(patient, provider)
    assert sent(run(runner)) == 0
    assert provider.get("/api/v1/patients").get_json()["patients"][0]["safety"] is None
    backdate_signals(app, days=3)
    assert sent(run(runner)) == 1
    assert provider.get("/api/v1/patients").get_json()["patients"][0]["safety"] is not None


def test_changed_words_alert_again_only_once_acknowledged(care, runner, push):
    patient, provider, pid = care["patient"], care["provider"], care["patient_id"]
    turn_on(provider, push.browser("dr"))
    entry = checkin(patient)
    assert sent(run(runner)) == 1
    # Raised anew while still open: the provider was told already, and it's the same signal.
    patient.patch(f"/api/v1/entries/{entry['id']}", json={"note": "I want to die"})
    assert sent(run(runner)) == 0
    provider.post(f"/api/v1/patients/{pid}/safety/acknowledge")
    patient.patch(f"/api/v1/entries/{entry['id']}", json={"note": "I have a plan to kill myself"})
    assert sent(run(runner)) == 1  # raised anew after it was seen: news again
    # Private, then shared again: also raised anew, and not yet seen.
    patient.patch(f"/api/v1/entries/{entry['id']}", json={"private": True})
    patient.patch(f"/api/v1/entries/{entry['id']}", json={"private": False})
    assert sent(run(runner)) == 0
    assert len(push.received) == 2


def test_turned_off_sends_nothing(care, runner, push):
    browser = push.browser("dr")
    turn_on(care["provider"], browser)
    assert care["provider"].delete(ALERTS, json={"endpoint": browser.endpoint}).status_code == 204
    checkin(care["patient"])
    assert sent(run(runner)) == 0 and push.received == []


# --- the push service's answers ---------------------------------------------------------

@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_forgotten(app, care, runner, push, status):
    turn_on(care["provider"], push.browser("old-laptop"))
    push.status["/push/old-laptop"] = status
    checkin(care["patient"])
    checkin(care["patient"], 5, "I want to die")
    output = run(runner)
    assert "0 sent, 1 expired and removed" in alerts_line(output)
    assert len(push.received) == 1  # not tried again for the second signal
    assert subscriptions(app) == []
    with app.app_context():
        assert get_db().execute("SELECT count(*) FROM safety_alerts_sent").fetchone()[0] == 0
    assert "old-laptop" not in care["provider"].get("/account").get_data(as_text=True)


def test_a_failed_push_is_tried_again_by_the_next_run(care, runner, push):
    turn_on(care["provider"], push.browser("dr"))
    push.status["/push/dr"] = 503
    checkin(care["patient"])
    assert "0 sent, 0 expired and removed, 1 failed" in alerts_line(run(runner))
    del push.status["/push/dr"]
    assert sent(run(runner)) == 1 and sent(run(runner)) == 0
    assert len(push.received) == 2


# --- who may use which endpoint; bad input ------------------------------------------------

def test_a_patient_cannot_use_the_alert_endpoints_and_a_provider_cannot_use_reminders(app, patient, provider):
    body = Browser(FCM).subscription()
    stranger = app.test_client()
    for method, path, kwargs in (("GET", "/api/v1/safety-alerts/key", {}), ("POST", ALERTS, {"json": body}),
                                 ("DELETE", ALERTS, {"json": {"endpoint": FCM}})):
        assert patient.open(path, method=method, **kwargs).status_code == 403, path
        assert stranger.open(path, method=method, **kwargs).status_code in (400, 401), path  # not logged in
    assert patient.post("/reminders/safety-alerts/remove", data={"device_id": "1"}).status_code == 403
    reminder = {**body, "remind_at": "20:00"}
    assert provider.post("/api/v1/push/subscriptions", json=reminder).status_code == 403
    assert provider.get("/api/v1/push/key").status_code == 403
    assert subscriptions(app) == []


def test_a_providers_browser_gets_no_reminders_and_a_patients_no_alerts(app, care, runner, push):
    patient, provider = care["patient"], care["provider"]
    assert patient.post("/api/v1/push/subscriptions", json=push.browser("pat").subscription(
        remind_at="20:00")).status_code == 201
    turn_on(provider, push.browser("dr"))
    checkin(patient)
    assert patient.post("/assessments/due/dismiss").status_code == 302  # no questionnaire reminder either
    eight = dt.datetime.combine(dt.datetime.now(LONDON).date(), dt.time(20, 5), tzinfo=LONDON).isoformat()
    output = run(runner, eight)
    assert sent(output) == 1 and "sent 0, nothing to do 1" in output  # Pat checked in: no reminder
    assert [r["path"] for r in push.received] == ["/push/dr"]
    # The provider's browser isn't on the patient's list, nor the other way round.
    assert "/push/dr" not in patient.get("/account").get_data(as_text=True)
    assert "/push/pat" not in provider.get("/account").get_data(as_text=True)


def test_a_browser_moves_from_reminders_to_alerts_and_back(app, care, runner, push):
    """A browser profile notifies whoever turned notifications on in it last."""
    patient, provider = care["patient"], care["provider"]
    browser = push.browser("shared")
    assert patient.post("/api/v1/push/subscriptions", json=browser.subscription(remind_at="20:00")).status_code == 201
    turn_on(provider, browser, status=201)  # new to this provider
    assert subscriptions(app) == [(browser.endpoint, "safety_alerts")]
    errors_of(patient.delete("/api/v1/push/subscriptions", json={"endpoint": browser.endpoint}), 404, "endpoint")
    turn_on(provider, browser, status=200)  # the same again: nothing new
    checkin(patient)
    assert sent(run(runner)) == 1
    assert patient.post("/api/v1/push/subscriptions", json=browser.subscription(remind_at="20:00")).status_code == 201
    assert subscriptions(app) == [(browser.endpoint, "reminders")]
    with app.app_context():
        assert get_db().execute("SELECT count(*) FROM safety_alerts_sent").fetchone()[0] == 0


FINE = Browser(FCM).subscription()


@pytest.mark.parametrize("body, field", [
    ({**FINE, "endpoint": "http://fcm.googleapis.com/fcm/send/x"}, "endpoint"),    # not https
    ({**FINE, "endpoint": "https://push.example.com/x"}, "endpoint"),              # not a push service
    ({**FINE, "endpoint": "https://fcm.googleapis.com.evil.example/x"}, "endpoint"),
    ({**FINE, "endpoint": "https://10.0.0.5/x"}, "endpoint"),
    ({**FINE, "endpoint": "https://fcm.googleapis.com/" + "x" * 2100}, "endpoint"),
    ({**FINE, "keys": {"p256dh": "abc", "auth": FINE["keys"]["auth"]}}, "keys"),
    ({**FINE, "keys": {"p256dh": FINE["keys"]["p256dh"], "auth": "short"}}, "keys"),
    ({"endpoint": FCM}, "keys"),
    ({"keys": FINE["keys"]}, "endpoint"),
    ({**FINE, "remind_at": "20:00"}, "remind_at"),  # alerts have no time: an unknown field
    ({**FINE, "patient_id": 1}, "patient_id"),
])
def test_bad_subscriptions_are_refused_naming_the_field_and_change_nothing(app, provider, body, field):
    errors = errors_of(provider.post(ALERTS, json=body), 422, field)
    assert all(isinstance(m, str) and m for m in errors[field])
    assert subscriptions(app) == []


def test_bad_bodies_and_missing_csrf_are_refused(app, provider):
    response = provider.post(ALERTS, data="endpoint=x", headers={"Content-Type": "application/x-www-form-urlencoded"})
    errors_of(response, 415, "body")
    errors_of(provider.post(ALERTS, data="{", headers={"Content-Type": "application/json"}), 400, "body")
    errors_of(provider.post(ALERTS, json=FINE, csrf=False), 400, "csrf_token")
    errors_of(provider.delete(ALERTS, json={"endpoint": FCM}), 404, "endpoint")
    errors_of(provider.delete(ALERTS, json={}), 422, "endpoint")
    assert subscriptions(app) == []


def test_a_provider_cannot_turn_off_anothers_alerts(app, provider, push):
    browser = push.browser("dr")
    turn_on(provider, browser)
    other = new_user(app, "dr2@example.com", "Dr. Two", role="provider")
    errors_of(other.delete(ALERTS, json={"endpoint": browser.endpoint}), 404, "endpoint")
    with app.app_context():
        [device_id] = get_db().execute("SELECT id FROM push_subscriptions").fetchone()
    assert other.post("/reminders/safety-alerts/remove", data={"device_id": str(device_id)}).status_code == 404
    for bad in ("", "abc", "-1", "99999999999999999999999", "١"):
        assert provider.post("/reminders/safety-alerts/remove", data={"device_id": bad}).status_code == 400, bad
    assert len(subscriptions(app)) == 1
    response = provider.post("/reminders/safety-alerts/remove", data={"device_id": str(device_id)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/account#safety-alerts")
    assert subscriptions(app) == []


def test_twenty_browsers_at_most(provider):
    for n in range(20):
        assert provider.post(ALERTS, json=Browser(f"{FCM}/{n}").subscription()).status_code == 201
    errors = errors_of(provider.post(ALERTS, json=Browser(f"{FCM}/20").subscription()), 422, "endpoint")
    assert "too many browsers" in errors["endpoint"][0]


# --- the pages ----------------------------------------------------------------------------

def words(response):
    """A page's HTML with each run of white space as one space (the templates wrap their sentences)."""
    assert response.status_code == 200
    return " ".join(response.get_data(as_text=True).split())


def test_the_dashboard_says_the_diary_is_not_monitored_and_what_patients_get_instead(app, provider):
    html = words(provider.get("/provider/"))
    assert "Symptom Diary is not monitored around the clock." in html
    assert "support card with crisis lines they can reach day or night" in html
    for contact in app.config["CRISIS_CONTACTS"]:
        assert contact["name"].replace("&", "&amp;") in html
    assert str(EMERGENCY) in html
    assert 'href="/account#safety-alerts"' in html


def test_the_providers_account_has_the_alert_switch_the_notice_and_the_browsers(app, provider, push):
    html = words(provider.get("/account"))
    section = html[html.index('id="safety-alerts"'):html.index("Your data")]
    assert "Symptom Diary is not monitored around the clock." in section and str(EMERGENCY) in section
    assert "A patient you care for needs attention. Open Symptom Diary." in section
    assert "marks private never" in section
    assert "data-safety-alerts" in section and "Turn on safety alerts in this browser" in section
    assert "Safety alerts need JavaScript" in section and re.search(r"<div data-reminders-controls hidden>", section)
    assert "None yet." in section
    browser = push.browser("dr")
    turn_on(provider, browser)
    section = words(provider.get("/account"))
    assert f'data-push-endpoint="{browser.endpoint}"' in section and "Firefox on Mac" in section
    assert 'name="device_id"' in section
    assert 'id="reminders"' not in section  # reminders are a patient's


def test_a_patients_account_has_no_alert_switch(patient):
    html = without_inline_code(patient.get("/account").get_data(as_text=True))
    assert "data-safety-alerts" not in html and 'id="safety-alerts"' not in html


def test_the_share_screen_tells_patients_their_clinic_may_be_alerted(patient):
    html = patient.get("/care-team").get_data(as_text=True)
    [sentence] = re.findall(r"<p[^>]*data-safety-alert-note[^>]*>([^<]*)</p>", html)
    assert sentence == ("Your clinic may also get an alert on their phone or computer when something you log "
                        "suggests you need support; it never includes your words.")


def test_the_page_script_knows_both_kinds(client):
    script = client.get("/static/js/reminders.js").get_data(as_text=True)
    for name in ("[data-safety-alerts]", "/api/v1/safety-alerts/key", "/api/v1/safety-alerts/subscriptions",
                 "/api/v1/push/key", "/api/v1/push/subscriptions"):
        assert name in script
