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


def test_questionnaires_are_in_the_menu_and_the_skip_link_is_a_full_target(phone, live_server):
    """An outside review found Questionnaires reachable only through Trends, and a 129×26 px skip
    link when it shows."""
    page = phone
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    more = page.locator("nav[aria-label=Main] details.nav-more")
    more.locator("summary").tap()
    more.get_by_role("link", name="Questionnaires").tap()
    page.wait_for_url(live_server + "/assessments/")
    assert page.locator("nav[aria-label=Main] summary.current").count() == 1  # More shows where you are
    page.keyboard.press("Tab")  # the first stop on every page: Skip to content
    skip = page.get_by_role("link", name="Skip to content")
    box = skip.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, box
