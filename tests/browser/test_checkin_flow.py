"""A newcomer, on a phone, from registering to a saved check-in, in a real browser."""
import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pyotp
import pytest

pytestmark = pytest.mark.browser
_emails = (f"browser{n}@example.com" for n in itertools.count())


def register(page, live_server, role="patient"):
    page.goto(live_server + "/register")
    page.get_by_label("keeping my own diary" if role == "patient" else "a clinician").check()
    page.get_by_label("Your name").fill("Robin")
    page.get_by_label("Email").fill(next(_emails))
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()


def enrol_two_factor(page, check=None):
    """On the enrolment page: type the key shown (as someone without a camera would), confirm with
    the app's code and the password, then leave the recovery codes. ``check(page, name)`` is
    called on the enrolment and recovery-code pages."""
    page.get_by_text("Can't scan it? Type the key instead").click()
    if check:
        check(page, "two-factor-enrol")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from your app").fill(pyotp.TOTP(secret).now())
    page.get_by_label("Your password").fill("a long enough password")
    page.get_by_role("button", name="Turn on two-factor").click()
    page.locator("ol.recovery-codes").wait_for()  # the answer to the form post
    assert page.locator("ol.recovery-codes li").count() == 10
    if check:
        check(page, "two-factor-recovery-codes")
    page.get_by_role("link", name="I've saved them, continue").click()


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_register_and_log_a_checkin_on_a_phone(phone, live_server):
    page = phone
    page.goto(live_server + "/register")
    assert page.locator("#timezone").input_value() == "America/Chicago"  # taken from the browser
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    today = dt.datetime.now(ZoneInfo("America/Chicago")).date().isoformat()
    assert page.locator("#date").input_value() == today
    assert no_horizontal_scroll(page)

    page.locator("label.scale-option", has_text="6").first.click()
    page.locator("label.chip", has_text="work").click()
    page.get_by_label("Add your own").fill("commute")
    page.get_by_label("Note").fill("Busy morning, calmer after lunch.")
    page.get_by_role("button", name="Save check-in").click()

    # Saved without a reload (static/js/app.js): announced, and Today so far refreshed.
    page.get_by_role("status").filter(has_text="Check-in saved.").wait_for()
    card = page.locator("article.entry")
    card.wait_for()
    assert card.count() == 1
    assert card.locator(".score").inner_text() == "6"
    assert card.locator(".tag").all_inner_texts() == ["commute", "work"]
    assert "Busy morning" in card.inner_text()

    page.get_by_role("link", name="History").click()
    assert page.locator("article.entry").count() == 1


def test_invalid_checkin_keeps_input_and_names_the_field(phone, live_server):
    page = phone
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    page.get_by_label("Note").fill("I forgot to pick a number")
    page.get_by_role("button", name="Save check-in").click()
    summary = page.locator(".error-summary")
    assert "Choose a number from 0 to 10." in summary.inner_text()
    assert page.get_by_label("Note").input_value() == "I forgot to pick a number"
    assert page.locator("article.entry").count() == 0


def test_dark_mode_uses_dark_colours(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, color_scheme="dark")
    page = context.new_page()
    page.goto(live_server + "/login")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    context.close()
    assert background == "rgb(18, 23, 22)"


def test_long_words_never_widen_the_page(phone, live_server):
    page = phone
    page.goto(live_server + "/register")
    page.get_by_label("keeping my own diary").check()
    page.get_by_label("Your name").fill("N" * 60)
    page.get_by_label("Email").fill(next(_emails))
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(live_server + "/")
    page.locator("label.scale-option", has_text="4").first.click()
    page.get_by_label("Add your own").fill("x" * 40)
    page.get_by_label("Note").fill("y" * 300)
    page.get_by_role("button", name="Save check-in").click()
    page.locator("article.entry").wait_for()  # saved without a reload
    for path in ("/", "/history", "/triggers", "/trends", "/sessions/new", "/account"):
        page.goto(live_server + path)
        assert no_horizontal_scroll(page), path
