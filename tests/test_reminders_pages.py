"""The reminders' pages as the server renders them: Account's device list, Today's offer, the
service worker's handlers. (The page script: tests/browser/test_reminders.py.)"""
import re

from push_service import Browser

FCM = "https://fcm.googleapis.com/fcm/send/"


def subscribe(client, name, **settings):
    body = Browser(FCM + name).subscription(**{"remind_at": "20:00", **settings})
    assert client.post("/api/v1/push/subscriptions", json=body,
                       headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile"}).status_code == 201


def test_account_lists_each_device_with_its_time_and_days_in_words(patient):
    subscribe(patient, "a", remind_at="07:30", days=[4, 0, 2])
    subscribe(patient, "b", days=[0, 1, 2, 3, 4, 5, 6])
    html = patient.get("/account").get_data(as_text=True)
    section = html[html.index('id="reminders"'):html.index("Your data")]
    assert "07:30 on Mon, Wed, Fri · added " in section and "20:00, every day · added " in section
    assert section.count("Chrome on Android") == 4  # each device's name, and in its Remove button
    for action in re.findall(r'action="(/reminders/devices/\d+/delete)"', section):
        assert patient.post(action).status_code == 302
    assert "None yet." in patient.get("/account").get_data(as_text=True)
    # Without JavaScript only the sentence shows; the script reveals the controls.
    assert "Reminders need JavaScript" in section
    assert re.search(r"<div data-reminders-controls hidden>", section)


def test_today_offers_reminders_after_the_first_check_in_until_a_device_has_them(patient):
    assert "data-reminders-offer" not in patient.get("/").get_data(as_text=True)
    patient.post("/api/v1/entries", json={"date": "2026-01-05", "anxiety": 4})
    html = patient.get("/").get_data(as_text=True)
    assert "Get a gentle reminder when you haven't checked in" in html
    # Below the check-in form and Today so far.
    assert html.index("data-today-so-far") < html.index("data-reminders-offer")
    assert 'action="/reminders/dismiss"' in html
    subscribe(patient, "c")
    assert "data-reminders-offer" not in patient.get("/").get_data(as_text=True)


def test_a_providers_account_has_no_reminders(provider):
    page = provider.get("/account")
    assert page.status_code == 200 and "Account type" in page.get_data(as_text=True)
    assert 'id="reminders"' not in page.get_data(as_text=True)


def test_the_service_worker_shows_pushes_and_opens_their_pages(client):
    script = client.get("/sw.js").get_data(as_text=True)
    for handler in ('addEventListener("push"', 'addEventListener("notificationclick"', "showNotification(",
                    "clients.openWindow(", "url.origin === self.location.origin"):
        assert handler in script
    badge = client.get("/static/icons/badge-96.png")
    assert badge.status_code == 200 and badge.get_data()[:8] == b"\x89PNG\r\n\x1a\n"
