"""The Trends page on a phone: fits 375 px, a touch or the arrow keys show a day in place, a year of
sparse data uses the width, the bands read in dark mode."""
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


def chart_point(page, date):
    """Where, on screen, the chart draws ``date`` (from the page's day details and the SVG's box)."""
    days = json.loads(page.locator("#chart-days").text_content())
    day = next(d for d in days if d["date"] == date)
    box = page.locator("svg.chart[data-start]").bounding_box()
    scale = box["width"] / 480  # the viewBox width
    return box["x"] + day["x"] * scale, box["y"] + day.get("y", 120) * scale


def test_trends_on_a_phone(phone, live_server):
    page = phone
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    seed(page, 40)
    page.goto(live_server + "/trends?range=30d")
    chart = page.locator("svg.chart")
    assert chart.is_visible()
    assert no_horizontal_scroll(page)
    assert chart.bounding_box()["width"] <= 375
    assert page.locator("svg.chart .session-mark").count() == 1
    assert "30 of 30 days logged" in chart.locator("desc").text_content()
    assert chart.locator("a").count() == 0  # no 4 px links: a tap picks the day in place


def test_tapping_the_chart_shows_that_day_in_place(phone, live_server):
    page = phone
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    today = seed(page, 40)
    assert post_json(page, "/api/v1/entries", {"date": (today - dt.timedelta(days=10)).isoformat(),
                                                "time": "21:15", "anxiety": 9}) == 201
    page.goto(live_server + "/trends?range=90d")
    chart = page.locator("svg.chart[data-start]")
    chart.scroll_into_view_if_needed()
    panel = page.locator("[data-day-panel]")
    assert panel.is_hidden() and panel.get_attribute("aria-live") == "polite"

    # The session day: 3 + 10 % 5 = 3 from the seed, and 9 at 21:15.
    session_day = (today - dt.timedelta(days=10)).isoformat()
    x, y = chart_point(page, session_day)
    page.touchscreen.tap(x + 1, y - 30)  # near the point, not on it: the nearest day is picked
    assert panel.is_visible()
    # Brought on screen when the finger lifts, and clear of the bottom navigation bar.
    page.wait_for_function("""() => {
        const box = document.querySelector("[data-day-panel]").getBoundingClientRect();
        const bar = document.querySelector(".main-nav").getBoundingClientRect();
        return box.top >= 0 && box.bottom <= bar.top + 1;
    }""", timeout=3000)
    text = panel.inner_text()
    assert "Average 6 (lowest 3, highest 9), 2 check-ins" in text
    assert "No time: 3" in text and "21:15: 9" in text
    assert "Session: IV ketamine infusion: anxiety 7 before, 2 after" in text
    assert page.url == live_server + "/trends?range=90d"  # still on Trends
    assert page.locator("svg.chart .selection").count() == 1
    assert chart.get_attribute("aria-valuetext") == panel.locator("time").inner_text()
    assert no_horizontal_scroll(page)

    # The panel's link opens the day's check-ins (a real 44 px target, not a 4 px one).
    link = panel.get_by_role("link", name="Open this day in History")
    assert link.bounding_box()["height"] >= 44
    link.click()
    page.wait_for_url(f"**/history?from={session_day}&to={session_day}")


def test_arrow_keys_move_the_selection_and_the_live_region_follows(phone, live_server):
    page = phone
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    today = seed(page, 12)
    page.goto(live_server + "/trends?range=30d")
    chart = page.get_by_role("slider", name="Daily anxiety")
    chart.focus()
    panel = page.locator("[data-day-panel]")
    page.keyboard.press("End")
    assert panel.locator("time").get_attribute("datetime") == today.isoformat()
    page.keyboard.press("ArrowLeft")
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    assert panel.locator("time").get_attribute("datetime") == yesterday
    assert "Average 4, 1 check-in" in panel.inner_text()  # 3 + 1 % 5
    assert chart.get_attribute("aria-valuenow") == "11"
    page.keyboard.press("Home")
    assert panel.locator("time").get_attribute("datetime") == (today - dt.timedelta(days=11)).isoformat()
    page.keyboard.press("ArrowLeft")  # stays on the first day
    assert chart.get_attribute("aria-valuenow") == "1"
    page.keyboard.press("ArrowRight")
    assert chart.get_attribute("aria-valuenow") == "2"
    assert page.url.endswith("/trends?range=30d")


def test_a_year_with_40_days_of_data_uses_most_of_the_width(phone, live_server):
    page = phone
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    today = seed(page, 40)
    long_ago = (today - dt.timedelta(days=300)).isoformat()
    assert post_json(page, "/api/v1/entries", {"date": long_ago, "anxiety": 4}) == 201  # one old check-in
    page.goto(live_server + "/trends?range=1y")
    chart = page.locator("svg.chart[data-start]")
    plot = chart.evaluate("""svg => {
        const box = svg.getBoundingClientRect(), scale = box.width / Number(svg.dataset.viewWidth);
        const xs = [...svg.querySelectorAll("circle.point")].map(c => c.getBoundingClientRect())
            .map(r => r.x + r.width / 2);
        return {left: box.x + Number(svg.dataset.plotLeft) * scale, width: Number(svg.dataset.plotWidth) * scale, xs};
    }""")
    recent = plot["xs"][1:]  # the 40 recent days, after the old one
    assert len(recent) == 40
    assert (recent[-1] - recent[0]) / plot["width"] > 0.75  # was about 13 % before
    assert recent[-1] > plot["left"] + plot["width"] * 0.95
    assert "No check-ins" in chart.locator(".empty-stretch").text_content()
    assert no_horizontal_scroll(page)


def test_trends_in_dark_mode(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, color_scheme="dark")
    page = context.new_page()
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    seed(page, 5)
    page.goto(live_server + "/trends?range=30d")
    style = lambda selector, prop: page.evaluate(  # noqa: E731
        f"getComputedStyle(document.querySelector('{selector}')).{prop}")
    bands = [style(f".chart .band-{name}", "fill") for name in ("calm", "moderate", "high")]
    edge, point = style(".chart .band-edge", "stroke"), style(".chart .point", "fill")
    context.close()
    assert bands == ["rgb(28, 59, 46)", "rgb(59, 51, 22)", "rgb(74, 39, 32)"]  # --chart-* in dark mode
    assert edge == "rgb(167, 178, 174)"     # the line between bands: 3:1 against both (tests/test_charts.py)
    assert point == "rgb(231, 236, 234)"    # --text in dark mode: light points on a dark page


def test_the_answer_reads_in_five_seconds_on_a_phone_even_at_200_percent_text(phone, live_server):
    page = phone
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    today = dt.datetime.now(ZoneInfo("America/Chicago")).date()

    def on(n):
        return (today - dt.timedelta(days=n)).isoformat()

    # Two boosters whose relief held 5 and 7 days, and a third 3 days ago still holding.
    for n in range(50, 0, -1):
        low = 42 >= n >= 38 or 22 >= n >= 16 or n <= 2
        assert post_json(page, "/api/v1/entries", {"date": on(n), "anxiety": 2 if low else 7}) == 201
    for n in (43, 23, 3):
        assert post_json(page, "/api/v1/sessions", {"date": on(n), "treatment": "iv_ketamine",
                                                    "anxiety_before": 7, "anxiety_after": 2}) == 201
    page.goto(live_server + "/trends")
    heading = page.locator("#answer-title")
    assert heading.text_content() == "Relief usually lasts about 5 days"
    # The answer and its dates are on the first screen, before any scrolling.
    sentence = page.locator(".answer-card .lede")
    assert "it may start to fade" in sentence.text_content()
    assert sentence.bounding_box()["y"] + sentence.bounding_box()["height"] <= 740
    assert not page.locator(".answer-card details.method").evaluate("d => d.open")
    assert no_horizontal_scroll(page)
    # The browser's text size at 200 %: the card still fits the width, nothing cut off.
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    card = page.locator(".answer-card")
    assert card.evaluate("c => c.scrollWidth <= c.clientWidth")
    assert heading.evaluate("h => h.scrollWidth <= h.clientWidth")  # no word cut off
    assert heading.evaluate("h => parseFloat(getComputedStyle(h).fontSize)") >= 40  # the answer grew with the text
