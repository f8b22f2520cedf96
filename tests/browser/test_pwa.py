"""Installable, and offline check-ins arrive exactly once."""
import time

import pytest

from diary.views.pwa import SHELL_STATIC
from diary.web import assets

from .accounts import NEW_PASSWORD, end_logins_elsewhere, log_in, register_as
from .helpers import CHROMIUM, CHROMIUM_ARGS
from .test_checkin_flow import register

pytestmark = pytest.mark.browser


def wait_until(page, expression, timeout=10, explain="document.getElementById('outbox-status')?.textContent"):
    """Poll until the (possibly asynchronous) ``expression`` is truthy.

    Not page.wait_for_function: a Promise is truthy, so it returns after one look whatever the
    Promise resolves to. page.evaluate awaits the Promise. On a time-out the message shows what
    ``explain`` evaluates to (by default the outbox's status line).
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out waiting for {expression}; {explain} is "
                                 f"{page.evaluate(explain)!r}; outbox: {page.evaluate('diaryOutbox.all()')!r}")
        time.sleep(0.05)


def wait_for_worker(page):
    """Until the service worker is active and controls this page."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("Boolean(navigator.serviceWorker.controller)"):
        page.reload()
        wait_until(page, "Boolean(navigator.serviceWorker.controller)")


def test_chromium_reports_the_app_installable(playwright, live_server, tmp_path):
    # A persistent profile: in an incognito-like context Chromium answers "not installable" regardless.
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    try:
        page = context.new_page()
        page.goto(live_server + "/login")
        wait_for_worker(page)
        manifest = page.request.get(live_server + "/manifest.webmanifest")
        assert manifest.headers["content-type"].startswith("application/manifest+json")
        errors = context.new_cdp_session(page).send("Page.getInstallabilityErrors")
        assert errors["installabilityErrors"] == []
    finally:
        context.close()


def server_entries(page, live_server):
    return page.request.get(live_server + "/api/v1/entries?limit=500").json()["entries"]


def owned(page, item):
    """``item`` as the outbox queues it for the account this page was rendered for (an item naming
    no owner is never sent on its own: tests/browser/test_outbox_owner.py)."""
    return {**item, "owner": page.evaluate("document.querySelector('meta[name=diary-user]').content")}


def check_in(page, anxiety, note):
    page.locator("label.scale-option", has_text=str(anxiety)).first.click()
    page.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Save check-in").click()


def test_offline_checkins_arrive_exactly_once(phone, live_server):
    page, context = phone, phone.context
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    wait_for_worker(page)

    context.set_offline(True)
    for n, anxiety in enumerate((3, 6, 8)):
        check_in(page, anxiety, f"offline {n}")
    status = page.locator("#outbox-status")
    status.get_by_text("3 check-ins saved on this phone").wait_for()
    stored = page.evaluate("diaryOutbox.all()")
    assert len(stored) == 3 and len({item["id"] for item in stored}) == 3

    page.reload()  # offline: the worker serves the shell, with the check-in form
    assert "You're offline" in page.content()
    page.locator("#outbox-status").get_by_text("3 check-ins saved on this phone").wait_for()
    # The cached offline page carries no token at all (it is the same for everyone): the outbox
    # fetches a fresh one before sending.
    assert page.evaluate("document.querySelector('meta[name=csrf-token]')") is None

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(page, "diaryOutbox.all().then(items => items.length === 0)")
    entries = server_entries(page, live_server)
    assert sorted(e["note"] for e in entries) == ["offline 0", "offline 1", "offline 2"]
    assert sorted(e["id"] for e in entries) == sorted(item["id"] for item in stored)

    # Replaying the same three again (a lost response, a second tab) stores nothing new.
    page.evaluate("items => Promise.all(items.map(item => diaryOutbox.put(item)))", stored)
    page.evaluate("diaryOutbox.replay()")
    wait_until(page, "diaryOutbox.all().then(items => items.length === 0)")
    assert len(server_entries(page, live_server)) == 3


def test_rejected_replay_stays_and_is_shown(phone, live_server):
    page = phone
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    bad = {"id": "6f2b3c3e-5d1a-4b7e-9f00-000000000001",
           "payload": {"id": "6f2b3c3e-5d1a-4b7e-9f00-000000000001", "date": "2999-01-01", "anxiety": 4,
                       "triggers": [], "note": "from the future", "private": False}}
    page.evaluate("item => diaryOutbox.put(item)", owned(page, bad))
    page.evaluate("diaryOutbox.replay()")
    page.locator(".outbox-failed").get_by_text("wasn't accepted").wait_for()
    assert "date: Can't be in the future" in page.locator(".outbox-failed").inner_text()
    assert len(page.evaluate("diaryOutbox.all()")) == 1 and server_entries(page, live_server) == []


def test_logout_clears_this_phones_storage(phone, live_server):
    page = phone
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    wait_for_worker(page)
    assert page.evaluate("caches.keys().then(keys => keys.length)") >= 1
    # Today keeps this patient's support page (their safety plan) on the device for offline use.
    wait_until(page, "caches.open('diary-personal').then(c => c.match('/support')).then(Boolean)")
    page.evaluate("diaryOutbox.put({id: 'x', payload: {id: 'x', date: '2026-01-01', anxiety: 1}, errors: {date: ['kept']}}).then(diaryOutbox.render)")
    warnings = []
    page.once("dialog", lambda dialog: (warnings.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")
    assert warnings and "haven't been sent yet" in warnings[0]
    # The login page registers the worker again, which caches the shell anew: no diary page,
    # nothing personal; and the outbox is gone.
    wait_until(page, "navigator.serviceWorker.ready.then(() => true)")
    cached = page.evaluate("""caches.keys().then(keys => Promise.all(keys.map(key => caches.open(key)
        .then(cache => cache.keys()).then(requests => requests.map(r => new URL(r.url).pathname))))).then(l => l.flat())""")
    assert set(cached) <= ({"/offline", "/support/offline", "/manifest.webmanifest", "/crisis-rules.json"}
                           | {"/static/" + assets.build().names[name] for name in SHELL_STATIC})
    assert "diary-personal" not in page.evaluate("caches.keys()")
    databases = page.evaluate("indexedDB.databases().then(list => list.map(db => db.name))")
    assert "diary-outbox" not in databases or page.evaluate(
        "new Promise(r => { const q = indexedDB.open('diary-outbox'); q.onsuccess = () => "
        "{ const db = q.result; if (!db.objectStoreNames.contains('entries')) { r(0); return; } "
        "const c = db.transaction('entries').objectStore('entries').count(); c.onsuccess = () => r(c.result); }; })") == 0


def test_a_401_keeps_the_checkins_until_login(phone, browser, live_server):
    page = phone
    email = register_as(page, live_server, "Robin")
    item = {"id": "6f2b3c3e-5d1a-4b7e-9f00-000000000002",
            "payload": {"id": "6f2b3c3e-5d1a-4b7e-9f00-000000000002", "date": "2026-01-02", "anxiety": 4,
                        "triggers": [], "note": "waits for login", "private": False}}
    item = owned(page, item)
    # The session ends on the server (a password change elsewhere). Not by clearing this
    # browser's cookies: a response still on its way (the page load's own outbox pass) would
    # set the cookie again, and the check-in went out as if never logged out (1 run in ~8).
    end_logins_elsewhere(browser, live_server, email)
    page.evaluate("item => diaryOutbox.put(item)", item)
    # Each pass (as on the next page load or "online" event) keeps it and asks for a login.
    wait_until(page, "diaryOutbox.replay().then(() => document.getElementById('outbox-status')"
                     ".textContent.includes('Log in to send them.'))")
    assert len(page.evaluate("diaryOutbox.all()")) == 1
    log_in(page, live_server, email, NEW_PASSWORD)  # Today again: its load sends the check-in
    wait_until(page, "diaryOutbox.all().then(items => items.length === 0)")
    assert [e["note"] for e in server_entries(page, live_server)] == ["waits for login"]


def test_offline_checkins_send_their_time_of_day(phone, live_server):
    """The time field travels with an offline check-in: as typed on Today, and on the cached
    offline page (which can't know "now" when it is cached) as the phone's current time."""
    page, context = phone, phone.context
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    wait_for_worker(page)
    assert page.get_by_label("Time (optional)").input_value()  # Today: now, in the patient's zone

    context.set_offline(True)
    page.get_by_label("Time (optional)").fill("06:40")
    check_in(page, 4, "typed time")
    page.locator("#outbox-status").get_by_text("1 check-in saved on this phone").wait_for()
    page.reload()  # offline: the cached offline page
    assert "You're offline" in page.content()
    phone_now = page.evaluate("new Date().toTimeString().slice(0, 5)")  # Chicago (the phone's zone)
    shown = page.get_by_label("Time (optional)").input_value()
    assert shown == phone_now or shown == page.evaluate("new Date().toTimeString().slice(0, 5)")
    check_in(page, 5, "offline page time")
    page.locator("#outbox-status").get_by_text("2 check-ins saved on this phone").wait_for()
    assert page.get_by_label("Time (optional)").input_value()  # ready for the next one: now again
    sent = {item["payload"]["note"]: item["payload"]["time"] for item in page.evaluate("diaryOutbox.all()")}
    assert sent == {"typed time": "06:40", "offline page time": shown}

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(page, "diaryOutbox.all().then(items => items.length === 0)")
    stored = {e["note"]: e["time"] for e in server_entries(page, live_server)}
    assert stored == {"typed time": "06:40", "offline page time": shown}
