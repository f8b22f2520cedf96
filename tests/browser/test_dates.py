"""One date style: a date field shows its date in the words every other date in the diary uses
("Sat 5 Dec"), not the browser's numeric format beside them; the field stays the browser's own."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from .test_checkin_flow import register

pytestmark = pytest.mark.browser


def shown(page, selector):
    """What a person sees in the date field: the drawn date, and whether the browser's text is hidden."""
    return page.evaluate("""selector => {
      const input = document.querySelector(selector), drawn = input.parentElement.querySelector('.date-shown');
      return [drawn && getComputedStyle(drawn).display !== 'none' ? drawn.textContent : null,
              getComputedStyle(input).color === 'rgba(0, 0, 0, 0)'];
    }""", selector)


def test_the_date_field_reads_like_the_page(phone, live_server):
    page = phone
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    today = dt.datetime.now(ZoneInfo("America/Chicago")).date()
    lede = page.locator(".lede time").inner_text()
    assert shown(page, "#date") == [lede, True]

    last_year = today.replace(year=today.year - 1, day=min(today.day, 28))
    page.locator("#date").fill(last_year.isoformat())
    page.locator("#note").click()  # leave the field
    weekday = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[last_year.weekday()]
    assert shown(page, "#date") == [f"{weekday} {last_year.day} {last_year:%b} {last_year.year}", True]
    assert page.locator("#date").input_value() == last_year.isoformat()  # the form sends ISO, as before

    page.locator("#date").focus()  # editing: the browser's own text comes back
    assert shown(page, "#date") == [None, False]

    # After a save the form resets to today, and so does what the field shows.
    page.locator("#note").click()
    page.locator("label.scale-option", has_text="3").first.click()
    page.get_by_role("button", name="Save check-in").click()
    page.locator("[data-save-status]").get_by_text("Check-in saved.").wait_for()
    page.wait_for_function("document.querySelector('.date-shown').textContent === document.querySelector('.lede time').textContent")
