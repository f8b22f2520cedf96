"""flask send-reminders: due reminders travel encrypted to a (local) push service, once, and only
when there is something to do. The rules' time arithmetic is in tests/insights/test_reminders.py."""
import base64
import datetime as dt
import os
import threading
import time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from helpers import AuthActions, app_connection, share, user_id
from push_service import PushService, vapid_claims

from diary.db import get_db
from diary.push import webpush
from diary.services import reminders

LONDON = ZoneInfo("Europe/London")  # conftest's patients live in London


def london_today():
    return dt.datetime.now(LONDON).date()


def at(day, hhmm, zone=LONDON):
    """``--now`` for ``day`` at ``hhmm`` in ``zone``."""
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=zone).isoformat()


@pytest.fixture
def push():
    with PushService() as service:
        yield service


def subscribe(client, browser, remind_at="20:00", days=None):
    body = browser.subscription(remind_at=remind_at, **({"days": days} if days is not None else {}))
    response = client.post("/api/v1/push/subscriptions", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def run(runner, now):
    result = runner.invoke(args=["send-reminders", "--now", now])
    assert result.exit_code == 0, result.output
    return result.output


def check_in(client, day, anxiety=4):
    response = client.post("/api/v1/entries", json={"date": day.isoformat(), "anxiety": anxiety})
    assert response.status_code == 201, response.get_data(as_text=True)


def log_session(client, day, **fields):
    response = client.post("/api/v1/sessions", json={"date": day.isoformat(), "treatment": "iv_ketamine", **fields})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def no_questionnaire_due(client):
    """Questionnaires fall due from the day a patient joins; "Not now" settles them for this test."""
    assert client.post("/assessments/due/dismiss").status_code == 302


def test_a_reminder_travels_encrypted_from_the_cli_and_decrypts_to_its_message(app, patient, runner, push):
    browser = push.browser("alex-phone")
    subscribe(patient, browser, remind_at="20:00")
    today = london_today()

    output = run(runner, at(today, "20:05"))
    assert "sent 1," in output
    [request] = push.received
    assert request["path"] == "/push/alex-phone"
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["ttl"] == str(webpush.TTL_SECONDS) and headers["urgency"] == "normal"
    # VAPID (RFC 8292): signed with the key the page subscribed with, for this push service.
    public_key = patient.get("/api/v1/push/key").get_json()["public_key"]
    claims = vapid_claims(headers["authorization"], public_key)
    assert claims["aud"] == push.url and claims["sub"] == app.config["VAPID_SUBJECT"]
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    # The body is ciphertext: no words of the message travel in the clear.
    assert b"check-in" not in request["body"]
    assert browser.decrypt(request["body"]) == {
        "title": "Symptom Diary", "body": "Time for today's check-in.", "url": "/", "tag": "diary-reminder"}

    sent_at = patient.get("/export/everything.json").get_json()["reminders"][0]["last_sent_at"]
    assert abs(dt.datetime.fromisoformat(sent_at.replace("Z", "+00:00")).timestamp() - time.time()) < 60
    # A rerun (cron every few minutes) sends nothing more that day.
    assert "sent 0, nothing to do 0, already done 1" in run(runner, at(today, "20:10"))
    assert len(push.received) == 1


def test_the_vapid_key_is_made_once_and_kept_private(app, patient):
    key = patient.get("/api/v1/push/key").get_json()["public_key"]
    raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert len(raw) == 65 and raw[0] == 4  # an uncompressed P-256 point, as pushManager.subscribe() takes
    assert os.stat(os.path.join(app.instance_path, webpush.KEY_FILE)).st_mode & 0o777 == 0o600
    # Another process of the same app (a second gunicorn worker) reads the same key.
    app.extensions.pop("diary.vapid_public_key")
    assert patient.get("/api/v1/push/key").get_json()["public_key"] == key


def test_a_day_already_logged_sends_nothing(patient, runner, push):
    subscribe(patient, push.browser("phone"), remind_at="20:00")
    today = london_today()
    check_in(patient, today)
    no_questionnaire_due(patient)
    assert "sent 0, nothing to do 1" in run(runner, at(today, "20:01"))
    assert push.received == []
    assert patient.get("/export/everything.json").get_json()["reminders"][0]["last_sent_at"] is None


def test_only_on_the_chosen_days_and_from_the_chosen_time(patient, runner, push):
    today = london_today()
    other_days = [d for d in range(7) if d != today.weekday()]
    subscribe(patient, push.browser("phone"), remind_at="20:00", days=other_days)
    assert "sent 0, nothing to do 0, already done 0" in run(runner, at(today, "20:05"))
    patient.post("/api/v1/push/subscriptions", json=push.browser("phone").subscription(remind_at="20:00"))
    assert "sent 0," in run(runner, at(today, "19:55"))  # not yet
    assert "sent 0," in run(runner, at(today, "22:01"))  # a late run: quiet hours have begun
    assert push.received == []
    assert "sent 1," in run(runner, at(today, "21:59"))


def test_a_gone_subscription_is_removed(app, patient, runner, push):
    subscribe(patient, push.browser("old-phone"))
    push.status["/push/old-phone"] = 410
    assert "expired and removed 1" in run(runner, at(london_today(), "20:00"))
    assert "old-phone" not in patient.get("/account").get_data(as_text=True)
    with app.app_context():
        assert get_db().execute("SELECT count(*) FROM push_subscriptions").fetchone()[0] == 0


def test_a_failed_push_is_tried_again_by_the_next_run(patient, runner, push):
    subscribe(patient, push.browser("phone"))
    push.status["/push/phone"] = 503
    assert "sent 0, nothing to do 0, already done 0, expired and removed 0, failed 1" in run(
        runner, at(london_today(), "20:00"))
    del push.status["/push/phone"]
    assert "sent 1," in run(runner, at(london_today(), "20:05"))
    assert len(push.received) == 2


def test_the_morning_after_a_session_asks_for_a_reflection(patient, runner, push):
    browser = push.browser("phone")
    subscribe(patient, browser, remind_at="08:30")
    today = london_today()
    session = log_session(patient, today - dt.timedelta(days=1), anxiety_before=7, anxiety_after=3)
    check_in(patient, today)  # a check-in today doesn't settle the reflection
    assert "sent 1," in run(runner, at(today, "08:31"))
    assert browser.decrypt(push.received[0]["body"]) == {
        "title": "Symptom Diary", "body": "How are you feeling after yesterday's session? Add a reflection.",
        "url": f"/sessions/{session['id']}/edit#reflection", "tag": "diary-reminder"}


def test_a_session_with_its_reflection_needs_no_reminder(patient, runner, push):
    subscribe(patient, push.browser("phone"), remind_at="08:30")
    today = london_today()
    log_session(patient, today - dt.timedelta(days=1), anxiety_before=7, anxiety_after=3,
                reflection="Calmer than I feared.")
    check_in(patient, today)
    no_questionnaire_due(patient)
    assert "sent 0, nothing to do 1" in run(runner, at(today, "08:31"))


def test_a_due_questionnaire_is_reminded_once(app, patient, runner, push):
    browser = push.browser("phone")
    subscribe(patient, browser, remind_at="20:00")
    today = london_today()
    yesterday = today - dt.timedelta(days=1)
    with app.app_context():  # joined three days ago: the first GAD-7 and PHQ-9 have been due since
        get_db().execute("UPDATE users SET created_at = ?", [f"{today - dt.timedelta(days=3)}T09:00:00.000Z"])
    check_in(patient, yesterday)
    check_in(patient, today)
    assert "sent 1," in run(runner, at(yesterday, "20:00"))
    message = browser.decrypt(push.received[0]["body"])
    assert message["body"] == "A short questionnaire is ready for you (about 2 minutes)."
    assert message["url"] == "/assessments/new?instrument=gad7"
    # Still not taken today: no second reminder for the same questionnaire, nothing else to do.
    assert "sent 0, nothing to do 1" in run(runner, at(today, "20:00"))


def test_the_first_day_relief_has_usually_faded_gets_one_gentle_reminder(patient, runner, push):
    browser = push.browser("phone")
    subscribe(patient, browser, remind_at="09:00")
    today = london_today()

    def day(n):
        return today - dt.timedelta(days=n)

    # As in test_trends: three rounds on a baseline of 8, relief for 4, 6 and 8 days; a fourth
    # session 5 days ago, still holding. Relief usually started to fade 5 to 9 days after a
    # session: today is the first day of that window.
    for n in range(67, 60, -1):
        check_in(patient, day(n), 8)
    for start, low in ((60, 4), (40, 6), (20, 8)):
        log_session(patient, day(start), anxiety_before=7, anxiety_after=3, reflection="Felt lighter.")
        for n in range(start, start - 20, -1):
            check_in(patient, day(n), 2 if start - n <= low else 8)
    log_session(patient, day(5), anxiety_before=7, anxiety_after=3, reflection="Felt lighter.")
    for n in range(5, -1, -1):
        check_in(patient, day(n), 2)  # checked in today too: the reminder is about the window, not a to-do
    relief = patient.get("/api/v1/trends?days=all").get_json()["relief"]
    assert relief["forecast"]["fade_from"] == today.isoformat(), relief
    no_questionnaire_due(patient)
    assert "sent 1," in run(runner, at(today, "09:00"))
    message = browser.decrypt(push.received[0]["body"])
    assert message["body"] == reminders.rules.MESSAGES["relief"] and message["url"] == "/trends"
    assert "advice" not in message["body"] and "session" not in message["body"]
    # Never twice: not again today, and on the next day of the window only the usual check-in.
    assert "sent 0," in run(runner, at(today, "09:30")) and len(push.received) == 1
    assert "sent 1," in run(runner, at(today + dt.timedelta(days=1), "09:00"))
    assert browser.decrypt(push.received[1]["body"])["body"] == reminders.rules.MESSAGES["checkin"]


def test_two_runs_at_once_send_one_reminder(app, patient, push):
    subscribe(patient, push.browser("phone"))
    now = dt.datetime.combine(london_today(), dt.time(20, 0), tzinfo=LONDON).astimezone(dt.timezone.utc)
    send = webpush.sender(app.config, app.instance_path)
    counts, barrier = [], threading.Barrier(2)

    def one_run():
        db = app_connection(app)  # each run its own connection, as two cron jobs would
        barrier.wait()
        counts.append(reminders.send_due(db, now, send))
        db.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(c["sent"] for c in counts) == 1 and sum(c["already_done"] for c in counts) == 1
    assert len(push.received) == 1


def test_each_patient_in_their_own_time_zone(app, push):
    """UTC-10 (Honolulu) and UTC+13 (Tonga) around their midnights: the reminder belongs to the
    patient's own day, and their own day's check-in settles it."""
    from helpers import AuthActions
    clients = {}
    for name, zone in (("kai", "Pacific/Honolulu"), ("sione", "Pacific/Tongatapu")):
        client = app.test_client()
        AuthActions(client).register(email=f"{name}@example.com", display_name=name.title(), timezone=zone)
        clients[name] = (client, ZoneInfo(zone))
    kai, honolulu = clients["kai"]
    sione, tonga = clients["sione"]
    subscribe(kai, push.browser("kai"), remind_at="23:50")
    subscribe(sione, push.browser("sione"), remind_at="00:10")
    kai_today = dt.datetime.now(honolulu).date()
    sione_today = dt.datetime.now(tonga).date()
    # Kai checked in on his today; Sione's today has no check-in yet.
    check_in(kai, kai_today)
    assert kai.post("/assessments/due/dismiss").status_code == 302
    runner = app.test_cli_runner()
    # 23:55 in Honolulu is 09:55 UTC the next day: Kai's own day is logged, nothing to send.
    output = run(runner, at(kai_today, "23:55", honolulu))
    assert "sent 0, nothing to do 1" in output
    # 00:15 in Tonga is 11:15 UTC the day before: Sione's reminder goes, for Sione's date.
    assert "sent 1," in run(runner, at(sione_today, "00:15", tonga))
    assert [urlsplit(r["path"]).path for r in push.received] == ["/push/sione"]
    with app.app_context():
        rows = get_db().execute("SELECT s.endpoint, r.local_date FROM reminders_sent r"
                                " JOIN push_subscriptions s ON s.id = r.subscription_id ORDER BY s.endpoint").fetchall()
    assert [(e.rsplit("/", 1)[1], d) for e, d in rows] == [("kai", kai_today.isoformat()),
                                                           ("sione", sione_today.isoformat())]


def test_send_reminders_refuses_a_time_without_an_offset(runner):
    result = runner.invoke(args=["send-reminders", "--now", "2026-11-24T20:00"])
    assert result.exit_code == 2 and "offset" in result.output
    result = runner.invoke(args=["send-reminders", "--now", "tonight"])
    assert result.exit_code == 2 and "2026-11-24T20:05:00-06:00" in result.output


def test_a_patient_whose_words_dont_open_costs_only_their_own_reminder(app, patient, runner, push):
    """One account's key lost (a key store that isn't the database's): its reminder isn't worked
    out this run, and the next patient still gets theirs."""
    other = app.test_client()
    AuthActions(other).register(email="other@example.com")
    yesterday = london_today() - dt.timedelta(days=1)
    log_session(patient, yesterday, anxiety_before=6, anxiety_after=3, reflection="it went well")  # sealed
    no_questionnaire_due(patient)
    no_questionnaire_due(other)
    subscribe(patient, push.browser("pat-phone"))
    subscribe(other, push.browser("other-phone"))
    with app.app_context():
        get_db().execute("DELETE FROM keys.data_keys WHERE user_id = ?", [user_id(patient)])
    output = run(runner, at(london_today(), "20:05"))
    assert "sent 1," in output and "failed 1." in output
    assert [request["path"] for request in push.received] == ["/push/other-phone"]


def test_a_clinicians_weekly_schedule_brings_the_questionnaire_reminder_sooner(app, patient, provider, runner, push):
    """Taken 9 days ago: not due on the patient's own 14 days, due on the clinician's weekly schedule."""
    patient_id = share(patient, provider, "scores")
    today = london_today()
    yesterday = today - dt.timedelta(days=1)
    for instrument, count in (("gad7", 7), ("phq9", 9)):
        assert patient.post("/api/v1/assessments", json={
            "instrument": instrument, "date": (today - dt.timedelta(days=9)).isoformat(),
            "answers": [1] * (count - 1) + [0]}).status_code == 201
    check_in(patient, yesterday)
    check_in(patient, today)
    browser = push.browser("phone")
    subscribe(patient, browser, remind_at="20:00")
    assert "sent 0, nothing to do 1" in run(runner, at(yesterday, "20:00"))
    assert provider.put(f"/api/v1/patients/{patient_id}/questionnaire-schedule",
                        json={"cadence": "weekly"}).status_code == 200
    assert "sent 1," in run(runner, at(today, "20:00"))
    message = browser.decrypt(push.received[0]["body"])
    assert message["url"] == "/assessments/new?instrument=gad7"
