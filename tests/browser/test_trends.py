"""The Trends page on a phone: fits 375 px, links days to their check-ins, reads in dark mode."""
import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from .test_checkin_flow import no_horizontal_scroll, register

pytestmark = pytest.mark.browser


def post_json(page, path, payload, method="POST"):
    """Send JSON from inside the page, with its CSRF token, as the app's own scripts would."""
    return page.evaluate(
        """async ([path, body, method]) => {
            const token = document.querySelector('meta[name="csrf-token"]').content;
            const r = await fetch(path, {method, body,
                headers: {"Content-Type": "application/json", "X-CSRFToken": token}});
            return r.status;
        }""",
        [path, json.dumps(payload), method],
    )


def seed(page, days):
    today = dt.datetime.now(ZoneInfo("America/Chicago")).date()
    for n in range(days):
        date = (today - dt.timedelta(days=n)).isoformat()
        assert post_json(page, "/api/v1/entries", {"date": date, "anxiety": 3 + n % 5,
                                                    "triggers": ["work"] if n % 2 else []}) == 201
    session_day = (today - dt.timedelta(days=10)).isoformat()
    assert post_json(page, "/api/v1/sessions", {"date": session_day, "treatment": "iv_ketamine",
                                                "anxiety_before": 7, "anxiety_after": 2}) == 201
    return today


def test_trends_on_a_phone(phone, live_server):
    page = phone
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    today = seed(page, 40)
    page.goto(live_server + "/trends?range=30d")
    chart = page.locator("svg.chart")
    assert chart.is_visible()
    assert no_horizontal_scroll(page)
    assert chart.bounding_box()["width"] <= 375
    assert page.locator("svg.chart .session-mark").count() == 1
    assert "30 of 30 days logged" in chart.locator("desc").text_content()

    # Tap yesterday's point: its check-ins open.
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    page.locator(f'svg.chart a[href="/history?from={yesterday}&to={yesterday}"]').click()
    page.wait_for_url(f"**/history?from={yesterday}&to={yesterday}")
    assert page.locator("article.entry").count() == 1


def test_long_range_chart_opens_the_tapped_day(phone, live_server):
    page = phone
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    seed(page, 3)
    long_ago = (dt.datetime.now(ZoneInfo("America/Chicago")).date() - dt.timedelta(days=400)).isoformat()
    assert post_json(page, "/api/v1/entries", {"date": long_ago, "anxiety": 4}) == 201  # older than a year
    page.goto(live_server + "/trends?range=1y")
    chart = page.locator("svg.chart[data-start]")
    assert chart.locator("a").count() == 0
    chart.scroll_into_view_if_needed()  # below the answer card on a phone
    box = chart.bounding_box()
    # The plot ends 8 of the 480 viewBox units before the right edge; tap near its end. A day of a
    # year is under a pixel wide on a phone, so tap a whole pixel and expect the day under it.
    x = round(box["x"] + box["width"] * 471 / 480)
    days, plot_left, plot_width = (int(chart.get_attribute(name)) for name in ("data-days", "data-plot-left",
                                                                              "data-plot-width"))
    offset = int(((x - box["x"]) * 480 / box["width"] - plot_left) // (plot_width / days))
    expected = (dt.date.fromisoformat(chart.get_attribute("data-start")) + dt.timedelta(days=offset)).isoformat()
    today = dt.datetime.now(ZoneInfo("America/Chicago")).date()
    assert expected in (today.isoformat(), (today - dt.timedelta(days=1)).isoformat())  # near the end
    page.mouse.click(x, box["y"] + box["height"] / 2)
    page.wait_for_url("**/history?from=*")
    assert page.url.endswith(f"/history?from={expected}&to={expected}")


def test_trends_in_dark_mode(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, color_scheme="dark")
    page = context.new_page()
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    seed(page, 5)
    page.goto(live_server + "/trends?range=30d")
    band = page.evaluate("getComputedStyle(document.querySelector('.band-calm')).fill")
    rolling = page.evaluate("getComputedStyle(document.querySelector('.chart .point')).fill")
    context.close()
    assert band == "rgb(31, 58, 46)"       # --calm in dark mode
    assert rolling == "rgb(231, 236, 234)"  # --text in dark mode: light points on a dark page
