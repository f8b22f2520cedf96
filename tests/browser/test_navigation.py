"""The phone's bottom bar: its More menu behaves like an app's menu (a tap elsewhere or Escape
closes it; Escape gives focus back to More)."""
import pytest

from .test_checkin_flow import register

pytestmark = pytest.mark.browser


def test_more_menu_closes_on_a_tap_elsewhere_and_on_escape(phone, live_server):
    page = phone
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    more = page.locator("nav[aria-label=Main] details.nav-more")
    summary = more.locator("summary")

    summary.tap()
    assert more.get_attribute("open") is not None
    account = more.get_by_role("link", name="Account")
    assert account.is_visible()
    page.touchscreen.tap(180, 120)  # the page above the bar, nothing there to press
    assert more.get_attribute("open") is None and account.is_hidden()

    summary.tap()
    assert more.get_attribute("open") is not None
    page.keyboard.press("Escape")
    assert more.get_attribute("open") is None
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"

    # A tap inside the menu still follows its link.
    summary.tap()
    account.tap()
    page.wait_for_url(live_server + "/account")
