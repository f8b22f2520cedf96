"""The server-side SVG chart."""
import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from diary.insights.daily import day_totals
from diary.insights.trends import build, table_rows
from diary.timeutil import short_date
from diary.web import assets
from diary.web.charts import BANDS, DAYS_W, EMPTY_SHARE, HEIGHT, LEFT, _y, anxiety_chart, day_details, sparkline

SVG = "{http://www.w3.org/2000/svg}"
START = dt.date(2026, 1, 1)


def make_trends(values, sessions=(), for_page=False):
    """Trends for consecutive days from 1 Jan; None = not logged."""
    rows = [((START + dt.timedelta(days=i)).isoformat(), v, ()) for i, v in enumerate(values) if v is not None]
    end = START + dt.timedelta(days=len(values) - 1)
    return build(day_totals(rows), [], list(sessions), START, end, end, for_page=for_page)


def parse(markup):
    return ET.fromstring(str(markup).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))


def test_chart_is_valid_svg_with_title_and_description():
    svg = parse(anxiety_chart(make_trends([5, 6, 7])))
    assert svg.get("role") == "img"  # a picture: static/js/chart.js makes it a day picker (a slider)
    assert svg.find(f"{SVG}title").text == f"Daily anxiety from {short_date('2026-01-01')} to {short_date('2026-01-03')}"
    assert svg.find(f"{SVG}desc").text.startswith("3 of 3 days logged. Daily average anxiety ranged from 5 to 7")


def test_gaps_break_the_daily_line():
    svg = parse(anxiety_chart(make_trends([5, 6, None, 7, 8])))
    lines = svg.findall(f"{SVG}polyline[@class='daily']")
    assert [len(line.get("points").split()) for line in lines] == [2, 2]
    assert len(svg.findall(f".//{SVG}circle")) == 4


def test_sessions_are_marked_with_a_title():
    session = {"id": "s", "date": "2026-01-02", "treatment": "iv_ketamine", "anxiety_before": 7, "anxiety_after": 3}
    svg = parse(anxiety_chart(make_trends([5, 6, 7], [session])))
    [mark] = svg.findall(f"{SVG}g[@class='session-mark']")
    # The date as people read it ("Fri 2 Jan", with the year in other years).
    assert mark.find(f"{SVG}title").text == f"{short_date('2026-01-02')}: IV ketamine infusion, anxiety 7 before, 3 after"


def test_no_day_is_a_link_of_its_own():
    """90 days in ~320 px were 4 px tap targets that left Trends: a day is picked in place instead."""
    for values in ([5, None, 7], [5] * 90, [5] * 200):
        svg = parse(anxiety_chart(make_trends(values)))
        assert svg.findall(f".//{SVG}a") == []
        assert svg.get("data-days") == str(len(values))


def test_empty_period():
    svg = parse(anxiety_chart(make_trends([None, None])))
    assert svg.find(f"{SVG}desc").text == "No check-ins in this period."
    assert svg.findall(f".//{SVG}circle") == []


def test_table_is_daily_for_short_ranges_and_monthly_for_long_ones():
    short = table_rows(make_trends([5, None, 7]))
    assert [(r["label"], r["mean"]) for r in short] == [("2026-01-03", 7), ("2026-01-01", 5)]
    long = table_rows(make_trends([4] * 31 + [6] * 28 + [None] * 40, for_page=True))
    assert [(r["label"], r["days_logged"], r["mean"], r["to"]) for r in long] == [
        ("February 2026", 28, 6, "2026-02-28"), ("January 2026", 31, 4, "2026-01-31")]


def test_the_page_draws_ranges_over_a_year_by_week():
    # 400 days from Thu 1 Jan 2026 to Thu 4 Feb 2027: Thu-Sun, 56 whole weeks, then Mon-Thu.
    trends = make_trends([3, 7] * 200, for_page=True)
    svg = parse(anxiety_chart(trends))
    assert [(d["date"], d["to"]) for d in trends["days"][:2]] == [("2026-01-01", "2026-01-04"),
                                                                  ("2026-01-05", "2026-01-11")]
    assert len(trends["days"]) == 58 and trends["days"][-1]["to"] == "2027-02-04"
    assert trends["days"][0]["mean"] == 5 and trends["days"][1]["mean"] == round((4 * 3 + 3 * 7) / 7, 2)  # Mon 5 Jan: a 3
    assert len(svg.findall(f".//{SVG}circle")) == 58 and svg.findall(f"{SVG}line[@class='range']") == []
    assert svg.find(f"{SVG}title").text.startswith("Weekly average anxiety from Thu 1 Jan")
    assert "400 days logged, drawn as weekly averages" in svg.find(f"{SVG}desc").text
    assert make_trends([5] * 366, for_page=True)["resolution"] == "day"  # a year: still a point a day


def test_ranges_over_a_year_draw_lines_without_per_day_dots():
    svg = parse(anxiety_chart(make_trends([3, 7] * 200)))
    assert svg.findall(f".//{SVG}circle") == [] and svg.findall(f"{SVG}line[@class='range']") == []
    assert len(svg.findall(f"{SVG}polyline[@class='daily']")) == 1
    year = parse(anxiety_chart(make_trends([5] * 366)))
    assert len(year.findall(f".//{SVG}circle")) == 366


def test_sparkline_breaks_at_gaps_and_marks_lone_days():
    svg = parse(sparkline([1, 2, None, 5, None, None, 7, 8, 9])).find(f"div/{SVG}svg")
    assert [len(p.get("points").split()) for p in svg.findall(f"{SVG}polyline")] == [2, 3]
    assert len(svg.findall(f"{SVG}circle")) == 1  # 5 stands alone
    assert svg.get("aria-label") == "Anxiety, daily average from 0 to 10, last 9 days: 6 of 9 days logged, from 1 to 9"
    assert parse(sparkline([None] * 30)).find(f"div/{SVG}svg").get("aria-label").endswith("last 30 days: No check-ins in the last 30 days")


def test_the_mini_chart_shows_its_scale_period_and_words():
    figure = parse(sparkline([1, 2, None, 5, None, None, 7, 8, 9]))
    assert [s.text for s in figure.find("div/span[@class='mini-y']")] == ["10", "0"]
    assert [s.text for s in figure.find("div[@class='mini-x']")] == ["9 days ago", "today"]
    assert figure.find("figcaption").text == "Anxiety, 0–10, last 9 days: 6 of 9 days logged, from 1 to 9"
    lines = figure.find(f"div/{SVG}svg").findall(f"{SVG}line")
    assert sorted(float(line.get("y1")) for line in lines) == [2.0, 30.0]  # 10 at the top, 0 at the bottom


# --- Picking a day: the details static/js/chart.js shows (diary.charts.day_details) ---

def test_day_details_list_days_with_data_with_their_checkins_and_sessions():
    session = {"id": "s", "date": "2026-01-03", "time": "10:00", "treatment": "iv_ketamine",
               "anxiety_before": 7, "anxiety_after": 2}
    rows = [("2026-01-01", 5, ()), ("2026-01-03", 8, ()), ("2026-01-03", 6, ())]
    trends = build(day_totals(rows), [], [session], START, dt.date(2026, 1, 4), dt.date(2026, 1, 4))
    checkins = {"2026-01-03": [{"time": "19:30", "anxiety": 8}, {"time": "08:10", "anxiety": 6}],
                "2026-01-01": [{"time": None, "anxiety": 5}]}
    details = day_details(trends, checkins)
    assert [d["date"] for d in details] == ["2026-01-01", "2026-01-03"]  # days with data only
    first, third = details
    assert first["label"] == "Thu 1 Jan" and first["summary"] == "Average 5, 1 check-in"
    assert first["checkins"] == ["No time: 5"] and "sessions" not in first
    assert third["summary"] == "Average 7 (lowest 6, highest 8), 2 check-ins"
    assert third["checkins"] == ["08:10: 6", "19:30: 8"]  # by time of day
    assert third["sessions"] == ["IV ketamine infusion at 10:00: anxiety 7 before, 2 after"]
    # x and y are the point's centre on the chart, so the picked day lines up with what is drawn.
    svg = parse(anxiety_chart(trends))
    circles = [(float(c.get("cx")), float(c.get("cy"))) for c in svg.findall(f"{SVG}circle")]
    assert [(d["x"], d["y"]) for d in details] == [(round(cx, 1), round(cy, 1)) for cx, cy in circles]
    assert "checkins" not in day_details(trends)[0]  # without the check-ins (long ranges): the figures


def test_a_session_day_without_checkins_can_be_picked():
    session = {"id": "s", "date": "2026-01-02", "treatment": "iv_ketamine", "anxiety_before": 7, "anxiety_after": 2}
    details = day_details(make_trends([5, None, 7], [session]))
    assert details[1]["date"] == "2026-01-02" and details[1]["summary"] == "No check-ins"
    assert "y" not in details[1] and "checkins" not in details[1] and len(details[1]["sessions"]) == 1


def test_long_ranges_name_the_year():
    assert day_details(make_trends([None] * 199 + [4]))[0]["label"] == "Sun 19 Jul 2026"


def test_beyond_a_year_a_finger_picks_a_week():
    # 1 Jan 2026 is a Thursday: the first week is cut at the period's start.
    session = {"id": "s", "date": "2026-01-06", "treatment": "iv_ketamine", "anxiety_before": 7, "anxiety_after": 2}
    trends = make_trends([2, 4, 6, None, None, 5, None] + [None] * 400 + [3], [session], for_page=True)
    details = day_details(trends)
    assert len(details) == 3
    first, second, last = details
    assert (first["date"], first["to"], first["label"]) == ("2026-01-01", "2026-01-04", "Week of Mon 29 Dec 2025")
    assert first["summary"] == "Average 4 (lowest 2, highest 6), 3 days logged" and "sessions" not in first
    assert (second["date"], second["to"]) == ("2026-01-05", "2026-01-11")
    assert second["sessions"] == ["Tue 6 Jan: IV ketamine infusion: anxiety 7 before, 2 after"]
    assert second["summary"] == "Average 5, 1 day logged"
    assert (last["date"], last["to"]) == ("2027-02-08", "2027-02-12")  # cut at the period's end
    # A point per week on the chart, where the details put them.
    circles = [float(c.get("cx")) for c in parse(anxiety_chart(trends)).findall(f"{SVG}circle")]
    assert [d["x"] for d in (first, second, last)] == [round(cx, 1) for cx in circles]


def test_the_trends_page_carries_the_days_as_a_json_block(app, patient):
    today = dt.datetime.now(ZoneInfo("Europe/London")).date()
    for time, anxiety in (("21:00", 6), ("07:45", 3)):
        assert patient.post("/api/v1/entries", json={"date": today.isoformat(), "time": time,
                                                     "anxiety": anxiety}).status_code == 201
    html = patient.get("/trends?range=90d").get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="chart-days">(.*?)</script>', html, re.S).group(1)
    [day] = json.loads(block)
    assert day["date"] == today.isoformat() and day["checkins"] == ["07:45: 3", "21:00: 6"]
    with app.app_context():
        assert 'aria-live="polite"' in html and f"<script>{assets.inline_asset('js/chart.js')}</script>" in html
    # Without JavaScript the table still lists the day, linked to its check-ins.
    assert f'href="/history?from={today}&amp;to={today}"' in html


# --- The x-axis follows the data ---

def first_and_last_x(svg):
    xs = [float(c.get("cx")) for c in svg.findall(f"{SVG}circle")]
    return min(xs), max(xs)


def test_a_long_empty_start_is_squeezed_and_labelled():
    # A year, with check-ins on the last 40 days only (and one old record making the period start).
    values = [None] * 325 + [5] * 40
    svg = parse(anxiety_chart(make_trends(values)))
    first, last = first_and_last_x(svg)
    assert svg.get("data-empty-days") == "325"
    assert (last - first) / DAYS_W > 0.75  # the 40 days get most of the width, not its last ninth
    stretch = svg.find(f"{SVG}g[@class='empty-stretch']")
    assert [t.text for t in stretch.findall(f"{SVG}text")] == ["No check-ins", "before 22 Nov"]
    assert float(stretch.find(f"{SVG}rect").get("width")) == round(DAYS_W * EMPTY_SHARE, 1)
    assert "No check-ins before Sun 22 Nov (325 days, drawn narrow)." in svg.find(f"{SVG}desc").text
    # The date labels cover the days with data: the first one is the first check-in's.
    labels = [t for t in svg.findall(f"{SVG}text[@class='axis']") if t.get("y") == str(HEIGHT - 8)]
    assert labels[0].text == "22 Nov" and float(labels[0].get("x")) == first


def test_one_old_record_does_not_squeeze_the_recent_days():
    # The period starts at an old check-in; the 40 recent days still get most of the width.
    values = [6] + [None] * 284 + [5] * 40
    svg = parse(anxiety_chart(make_trends(values)))
    xs = [float(c.get("cx")) for c in svg.findall(f"{SVG}circle")]
    assert (xs[-1] - xs[1]) / DAYS_W > 0.75
    stretch = svg.find(f"{SVG}g[@class='empty-stretch']")
    assert [t.text for t in stretch.findall(f"{SVG}text")] == ["No check-ins", "2 Jan –", "12 Oct"]
    assert "No check-ins from Fri 2 Jan to Mon 12 Oct (284 days, drawn narrow)." in svg.find(f"{SVG}desc").text


def test_a_long_silence_at_the_end_is_squeezed_too():
    svg = parse(anxiety_chart(make_trends([5] * 60 + [None] * 300)))
    stretch = svg.find(f"{SVG}g[@class='empty-stretch']")
    assert [t.text for t in stretch.findall(f"{SVG}text")] == ["No check-ins", "after 1 Mar"]
    left, width = float(stretch.find(f"{SVG}rect").get("x")), float(stretch.find(f"{SVG}rect").get("width"))
    assert abs(left + width - (LEFT + DAYS_W)) < 0.2


def test_sessions_in_the_empty_stretch_stay_on_the_chart():
    session = {"id": "s", "date": "2026-03-01", "treatment": "iv_ketamine", "anxiety_before": 7, "anxiety_after": 2}
    svg = parse(anxiety_chart(make_trends([None] * 325 + [5] * 40, [session])))
    x = float(svg.find(f"{SVG}g[@class='session-mark']/{SVG}line").get("x1"))
    assert LEFT < x < LEFT + DAYS_W * EMPTY_SHARE


@pytest.mark.parametrize("values", [
    [5] * 90,                      # data from the start
    [None] * 10 + [5] * 80,        # a short empty start: under 14 days
    [None] * 50 + [5] * 315,       # an empty start under 16 % of the period
])
def test_otherwise_the_days_are_evenly_spaced(values):
    svg = parse(anxiety_chart(make_trends(values)))
    assert svg.get("data-empty-days") == "0" and svg.find(f"{SVG}g[@class='empty-stretch']") is None
    step = DAYS_W / len(values)
    first, last = first_and_last_x(svg)
    offset = values.index(5)
    assert abs(first - (LEFT + step * (offset + 0.5))) < 0.1 and abs(last - (LEFT + DAYS_W - step / 2)) < 0.1


# --- Colours: WCAG 2.2 non-text contrast (1.4.11, 3:1) of what the chart draws ---

CSS = (Path(__file__).resolve().parents[1] / "static" / "css" / "app.css").read_text()


def custom_properties(dark):
    """The custom properties in force in light or dark mode (the :root blocks, dark ones on top)."""
    found = {}
    blocks = re.findall(r"(@media[^{]*\{\s*)?:root\s*\{([^}]*)\}", CSS)
    for media, body in blocks:
        if media and not ("prefers-color-scheme: dark" in media and dark):
            continue
        found.update(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})", body))
    return found


def paint(selector, prop, dark):
    """The colour of ``fill``/``stroke`` in ``selector``'s rule (a var() resolved), checking the rule
    doesn't make it translucent."""
    body = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", CSS).group(1)
    assert "opacity" not in body, f"{selector}: an opaque colour is what the contrast was computed for"
    name = re.search(prop + r":\s*var\((--[\w-]+)\)", body).group(1)
    return custom_properties(dark)[name]


def luminance(colour):
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


MARKS = [(".chart .point", "fill"), (".chart .rolling", "stroke"), (".chart .daily", "stroke"),
         (".chart .range", "stroke"), (".chart .session-mark line", "stroke"),
         (".chart .session-mark path", "fill"), (".chart .selection line", "stroke"),
         (".chart .selection circle", "stroke")]
BAND_NAMES = [name for name, _, _ in BANDS]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_chart_colours_have_enough_contrast(dark):
    bands = {name: paint(f".chart .band-{name}", "fill", dark) for name in BAND_NAMES}
    edge = paint(".chart .band-edge", "stroke", dark)
    surface = custom_properties(dark)["--surface"]
    ratios = {}
    # Neighbouring bands are told apart by the line between them and their names, not by colour.
    for lower, upper in zip(BAND_NAMES, BAND_NAMES[1:]):
        ratios[f"edge on {lower}"] = contrast(edge, bands[lower])
        ratios[f"edge on {upper}"] = contrast(edge, bands[upper])
    for name in BAND_NAMES:
        ratios[f"{name} label"] = contrast(paint(f".chart .band-label-{name}", "fill", dark), bands[name]) / 1.5
        for selector, prop in MARKS:  # every mark stays visible on every band
            ratios[f"{selector} on {name}"] = contrast(paint(selector, prop, dark), bands[name])
    stretch = paint(".chart .empty-stretch rect", "fill", dark)
    ratios["empty-stretch label"] = contrast(paint(".chart .empty-stretch text", "fill", dark), stretch) / 1.5
    too_low = {what: round(r, 2) for what, r in ratios.items() if r < 3}
    assert not too_low, too_low  # (labels are text: 4.5:1, scaled to compare with 3)
    # The fills themselves stay pale (light) or dim (dark) so the marks on them keep their contrast:
    # against each other and the surface they measure about 1.0-1.3:1, which is why the edges and
    # names are drawn. If the fills ever reach 3:1, the edges become a bonus, not a requirement.
    assert contrast(edge, surface) >= 3  # and an edge reads on the page around the chart too


def test_band_edges_and_names_are_drawn():
    svg = parse(anxiety_chart(make_trends([2, 5, 8])))
    edges = svg.findall(f"{SVG}line[@class='band-edge']")
    assert sorted(float(e.get("y1")) for e in edges) == [round(_y(6.5), 1), round(_y(3.5), 1)]
    assert [t.text for t in svg.findall(f"{SVG}text") if "band-label" in (t.get("class") or "")] == [
        "calm", "moderate", "high"]
