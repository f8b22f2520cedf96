"""The offline outbox belongs to the account that wrote it, on a phone two patients share.

A's check-in, saved offline, is never sent as B's (B logged in after A's session ended without a
logout on this phone), nor shown to B; it waits for A, and only A's deliberate logout drops it.
"""
import pytest

from .accounts import NEW_PASSWORD, PASSWORD, end_logins_elsewhere, log_in, register_as
from .test_pwa import check_in, server_entries, wait_for_worker, wait_until

pytestmark = pytest.mark.browser
ENTRIES = "**/api/v1/entries"  # the outbox's POST (page.request, used by server_entries, isn't routed)


def on_phone(page):
    """Every check-in in this phone's outbox, whoever wrote it (what the page shows is filtered)."""
    return sorted(item["payload"]["note"] for item in page.evaluate("diaryOutbox.all()"))


def queue_offline(page, anxiety, note):
    """A check-in saved offline, then back online with the server unreachable for it: it stays."""
    context = page.context
    context.set_offline(True)
    check_in(page, anxiety, note)
    page.locator("#outbox-status").get_by_text("1 check-in saved on this phone").wait_for()
    page.route(ENTRIES, lambda route: route.abort())
    context.set_offline(False)
    page.evaluate("diaryOutbox.replay()")


def log_out(page):
    warnings = []
    page.once("dialog", lambda dialog: (warnings.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")
    return warnings


def test_a_checkin_saved_offline_waits_for_its_own_patient(phone, browser, live_server):
    page, context = phone, phone.context
    alex = register_as(page, live_server, "Alex")
    wait_for_worker(page)
    context.set_offline(True)
    check_in(page, 7, "Alex, offline")
    page.locator("#outbox-status").get_by_text("1 check-in saved on this phone").wait_for()

    # Alex's session ends elsewhere; nobody logs out on this phone. Blake logs in on it.
    end_logins_elsewhere(browser, live_server, alex)
    context.set_offline(False)
    register_as(page, live_server, "Blake")
    page.evaluate("diaryOutbox.replay()")  # a whole pass, as Blake
    assert server_entries(page, live_server) == []  # Blake's diary: nothing of Alex's
    assert page.locator("#outbox-status").is_hidden()
    assert "Alex, offline" not in page.content()
    assert on_phone(page) == ["Alex, offline"]  # kept, unsent

    # Blake's own unsent check-in is his to see; logging out on purpose drops his, not Alex's.
    queue_offline(page, 2, "Blake, offline")
    assert "1 check-in saved on this phone" in page.locator("#outbox-status").inner_text()
    assert "Alex" not in page.locator("#outbox-status").inner_text()
    assert on_phone(page) == ["Alex, offline", "Blake, offline"]
    warnings = log_out(page)
    page.unroute(ENTRIES)
    assert warnings and warnings[0].startswith("1 check-in(s) haven't been sent yet")
    # The login page, once loaded, has deleted what was Blake's (and his support page copy).
    wait_until(page, "Promise.all([diaryOutbox.all(), caches.keys()]).then(([items, keys]) =>"
                     " items.length === 1 && !keys.includes('diary-personal'))")
    assert on_phone(page) == ["Alex, offline"]
    assert page.locator("#outbox-status").is_hidden()  # the login page shows nobody's check-ins

    # Alex comes back: it is shown to Alex, then sent into Alex's diary.
    page.route(ENTRIES, lambda route: route.abort())
    log_in(page, live_server, alex, NEW_PASSWORD)
    page.locator("#outbox-status").get_by_text("1 check-in saved on this phone").wait_for()
    page.unroute(ENTRIES)
    page.evaluate("diaryOutbox.replay()")
    wait_until(page, "diaryOutbox.all().then(items => items.length === 0)")
    assert [e["note"] for e in server_entries(page, live_server)] == ["Alex, offline"]

    # Alex logs out on purpose with a check-in still unsent: it's gone from the phone.
    queue_offline(page, 5, "Alex, never sent")
    warnings = log_out(page)
    page.unroute(ENTRIES)
    assert warnings and warnings[0].startswith("1 check-in(s) haven't been sent yet")
    assert on_phone(page) == []
    assert "diary-personal" not in page.evaluate("caches.keys()")


def test_checkins_saved_before_owners_were_recorded_are_not_sent_as_whoever_logs_in(phone, live_server):
    """Check-ins queued by an older outbox.js say nobody's name: never sent on their own; the
    patient logged in can say they're theirs (seeing only their dates), or leave them."""
    page = phone
    register_as(page, live_server, "Alex")
    legacy = {"id": "6f2b3c3e-5d1a-4b7e-9f00-00000000a001", "saved_at": "2026-01-02T08:00:00.000Z",
              "payload": {"id": "6f2b3c3e-5d1a-4b7e-9f00-00000000a001", "date": "2026-01-02", "time": None,
                          "anxiety": 6, "triggers": [], "note": "saved before the update", "private": False}}
    page.evaluate("item => diaryOutbox.put(item)", legacy)
    page.evaluate("diaryOutbox.replay()")
    assert server_entries(page, live_server) == []
    box = page.locator("#outbox-status")
    box.get_by_text("1 check-in saved on this phone doesn't say whose it is").wait_for()
    assert "2026-01-02" in box.inner_text() and "saved before the update" not in box.inner_text()
    page.reload()
    page.evaluate("diaryOutbox.replay()")
    assert server_entries(page, live_server) == [] and on_phone(page) == ["saved before the update"]

    box.get_by_role("button", name="It's mine").click()
    wait_until(page, "diaryOutbox.all().then(items => items.length === 0)")
    assert [e["note"] for e in server_entries(page, live_server)] == ["saved before the update"]


def test_deleting_an_account_takes_only_its_own_checkins(phone, browser, live_server):
    page, context = phone, phone.context
    alex = register_as(page, live_server, "Alex")
    wait_for_worker(page)
    context.set_offline(True)
    check_in(page, 7, "Alex, offline")
    page.locator("#outbox-status").get_by_text("1 check-in saved on this phone").wait_for()
    end_logins_elsewhere(browser, live_server, alex)
    context.set_offline(False)
    register_as(page, live_server, "Blake")
    queue_offline(page, 2, "Blake, offline")

    page.goto(live_server + "/account/delete")
    page.get_by_label("Your password").fill("not my password")
    page.get_by_label('Type "delete" to confirm').fill("delete")
    page.get_by_role("button", name="Delete my account for good").click()
    page.locator(".error-summary").wait_for()  # refused: nothing is deleted, on the phone either
    page.evaluate("diaryOutbox.replay()")
    assert on_phone(page) == ["Alex, offline", "Blake, offline"]

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label('Type "delete" to confirm').fill("delete")
    page.get_by_role("button", name="Delete my account for good").click()
    page.get_by_text("Your account and everything in it have been deleted.").wait_for()
    page.unroute(ENTRIES)
    wait_until(page, "diaryOutbox.all().then(items => items.length === 1)")
    assert on_phone(page) == ["Alex, offline"]
