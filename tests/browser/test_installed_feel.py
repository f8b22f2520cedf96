"""Installed feel: an online check-in saves without a reload, zoom and swipes behave like an app."""
import pytest

from .test_checkin_flow import register
from .test_pwa import server_entries, wait_until

pytestmark = pytest.mark.browser


def test_online_checkin_saves_without_a_reload_and_announces_it(phone, live_server):
    page = phone
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    page.evaluate("window.stillThisPage = true")
    form_id = page.locator('form.checkin input[name="id"]').input_value()

    page.locator("label.scale-option", has_text="6").first.click()
    page.locator("label.chip", has_text="work").click()
    page.get_by_label("Add your own").fill("commute")
    page.get_by_label("Note").fill("Saved without a reload")
    page.get_by_role("button", name="Save check-in").click()

    status = page.locator("[data-save-status]")
    status.get_by_text("Check-in saved.").wait_for()
    assert status.get_attribute("role") == "status"  # announced by screen readers
    assert page.evaluate("window.stillThisPage") is True  # the same page: no reload
    [entry] = server_entries(page, live_server)
    assert entry["id"] == form_id  # the form's idempotency key
    assert (entry["anxiety"], entry["note"], sorted(entry["triggers"])) == (6, "Saved without a reload",
                                                                             ["commute", "work"])
    # The form is ready for the next one (a new id), and Today so far shows this one.
    assert page.get_by_label("Note").input_value() == ""
    assert page.locator('input[name="anxiety"]:checked').count() == 0
    assert page.locator('form.checkin input[name="id"]').input_value() not in ("", form_id)
    page.locator("article.entry", has_text="Saved without a reload").wait_for()

    # A second one goes through the same way, as a new check-in.
    page.locator("label.scale-option", has_text="3").first.click()
    page.get_by_role("button", name="Save check-in").click()
    wait_until(page, "document.querySelectorAll('article.entry').length === 2")
    assert len(server_entries(page, live_server)) == 2 and page.evaluate("window.stillThisPage") is True


def test_a_10_saved_without_a_reload_still_shows_the_support_card(phone, live_server):
    page = phone
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    page.evaluate("window.stillThisPage = true")
    page.locator("label.scale-option", has_text="10").first.click()
    page.get_by_role("button", name="Save check-in").click()
    card = page.locator("main .support-card")
    card.wait_for()
    assert page.evaluate("window.stillThisPage") is True
    assert card.count() == 1 and card.get_attribute("data-support-reason") == "score_10"
    assert "A 10 is as hard as it gets." in card.inner_text() and "988" in card.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('support-card')")
    assert [e["anxiety"] for e in server_entries(page, live_server)] == [10]


def test_without_javascript_the_form_post_still_saves(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        register(page, live_server)
        page.wait_for_url(live_server + "/")
        page.locator('input[name="anxiety"][value="5"]').check()
        page.get_by_role("button", name="Save check-in").click()
        page.wait_for_url(live_server + "/")
        assert "Check-in saved." in page.locator("main").inner_text()
        assert page.locator("article.entry .score").inner_text() == "5"
    finally:
        context.close()


def test_a_refused_fetch_falls_back_to_the_form_post(phone, live_server):
    page = phone
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    page.route("**/api/v1/entries", lambda route: route.fulfill(status=503, body="down"))
    page.evaluate("window.stillThisPage = true")
    page.locator("label.scale-option", has_text="4").first.click()
    page.get_by_role("button", name="Save check-in").click()
    page.locator("main > p.flash", has_text="Check-in saved.").wait_for()  # the server's page
    assert page.evaluate("window.stillThisPage") is None  # a real post, and a new page
    assert page.locator("article.entry .score").inner_text() == "4"


def test_zoom_and_swipes(phone, live_server):
    page = phone
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    viewport = page.locator('meta[name="viewport"]').get_attribute("content")
    assert "maximum-scale" not in viewport and "user-scalable" not in viewport  # text zoom stays possible
    # Pull-to-refresh would lose a half-typed check-in; elsewhere it stays.
    assert page.evaluate("getComputedStyle(document.documentElement).overscrollBehaviorY") == "contain"
    # Taps act at once (no double-tap-zoom wait), pinch zoom still works: manipulation, not none.
    for selector in ("button.primary", "label.scale-option", "a.support-link"):
        assert page.locator(selector).first.evaluate("el => getComputedStyle(el).touchAction") == "manipulation"
    assert page.evaluate("getComputedStyle(document.body).touchAction") == "auto"
    page.goto(live_server + "/trends")
    assert page.evaluate("getComputedStyle(document.documentElement).overscrollBehaviorY") == "auto"
