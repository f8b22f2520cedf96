"""A save you can see: on a 375 × 667 phone, what Save did shows inside the screen (above the
navigation bar and the sticky Save), announced by a live region, online and offline; while the
request runs the button says so and a second tap sends nothing more."""
import pytest

from .test_checkin_flow import register
from .test_pwa import wait_for_worker

pytestmark = pytest.mark.browser


@pytest.fixture
def small_phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 667}, timezone_id="America/Chicago",
                                  has_touch=True, is_mobile=True, device_scale_factor=2)
    yield context.new_page()
    context.close()


def assert_in_view(page, locator):
    """``locator`` is inside the viewport, and is what the screen shows at its centre (nothing covers it)."""
    box = locator.bounding_box()
    assert box is not None and box["height"] > 0
    assert box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= 375 and box["y"] + box["height"] <= 667, box
    assert locator.evaluate("(el, [x, y]) => el.contains(document.elementFromPoint(x, y))",
                            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    assert locator.get_attribute("role") == "status"


def test_an_online_save_is_seen_and_sent_once(small_phone, live_server):
    page = small_phone
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    held = []
    page.route("**/api/v1/entries", lambda route: held.append(route))  # the request waits until let go

    page.locator("label.scale-option", has_text="4").first.click()
    save = page.locator("form.checkin button[type=submit]")
    save.click()
    page.wait_for_function("document.querySelector('form.checkin button[type=submit]').getAttribute('aria-disabled') === 'true'")
    assert save.inner_text() == "Saving…"
    save.click(force=True)  # a second, impatient tap while the first save runs (aria-disabled: still tappable)
    page.wait_for_function("document.querySelector('form.checkin button[type=submit]').classList.contains('busy')")

    held[0].continue_()
    toast = page.locator("[data-save-status]")
    toast.get_by_text("Check-in saved.").wait_for()
    assert_in_view(page, toast)
    assert save.inner_text() == "Save check-in" and save.get_attribute("aria-disabled") is None
    # Only now: a request the second tap sent would have reached the route long before this answer.
    # (The server alone can't tell: the same form id would make a second save a 200, not a copy.)
    assert len(held) == 1


def test_an_offline_save_is_seen(small_phone, live_server):
    page, context = small_phone, small_phone.context
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    wait_for_worker(page)
    context.set_offline(True)
    page.locator("label.scale-option", has_text="7").first.click()
    page.get_by_role("button", name="Save check-in").click()
    toast = page.locator("[data-save-status]")
    toast.get_by_text("Saved on this phone. It will be sent when you're back online.").wait_for()
    assert_in_view(page, toast)
    assert page.evaluate("diaryOutbox.all().then(items => items.length)") == 1
