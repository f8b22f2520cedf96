"""The server-side SVG chart."""
import datetime as dt
import xml.etree.ElementTree as ET

from diary.charts import anxiety_chart, sparkline
from diary.insights.trends import build, table_rows

SVG = "{http://www.w3.org/2000/svg}"
START = dt.date(2026, 1, 1)


def make_trends(values, sessions=()):
    """Trends for consecutive days from 1 Jan; None = not logged."""
    rows = [((START + dt.timedelta(days=i)).isoformat(), v, ()) for i, v in enumerate(values) if v is not None]
    end = START + dt.timedelta(days=len(values) - 1)
    return build(rows, list(sessions), START, end, end)


def parse(markup):
    return ET.fromstring(str(markup).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))


def test_chart_is_valid_svg_with_title_and_description():
    svg = parse(anxiety_chart(make_trends([5, 6, 7])))
    assert svg.get("role") == "group"  # it holds day links
    assert parse(anxiety_chart(make_trends([5] * 100))).get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Daily anxiety from 2026-01-01 to 2026-01-03"
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
    assert mark.find(f"{SVG}title").text == "2026-01-02: IV ketamine infusion, anxiety 7 before, 3 after"


def test_short_ranges_link_each_logged_day_and_long_ranges_do_not():
    short = parse(anxiety_chart(make_trends([5, None, 7])))
    assert [a.get("href") for a in short.findall(f"{SVG}a")] == [
        "/history?from=2026-01-01&to=2026-01-01", "/history?from=2026-01-03&to=2026-01-03"]
    long = parse(anxiety_chart(make_trends([5] * 200)))
    assert long.findall(f"{SVG}a") == [] and long.get("data-days") == "200"


def test_empty_period():
    svg = parse(anxiety_chart(make_trends([None, None])))
    assert svg.find(f"{SVG}desc").text == "No check-ins in this period."
    assert svg.findall(f".//{SVG}circle") == []


def test_table_is_daily_for_short_ranges_and_monthly_for_long_ones():
    short = table_rows(make_trends([5, None, 7]))
    assert [(r["label"], r["mean"]) for r in short] == [("2026-01-03", 7), ("2026-01-01", 5)]
    long = table_rows(make_trends([4] * 31 + [6] * 28 + [None] * 40))
    assert [(r["label"], r["days_logged"], r["mean"], r["to"]) for r in long] == [
        ("February 2026", 28, 6, "2026-02-28"), ("January 2026", 31, 4, "2026-01-31")]


def test_ranges_over_a_year_draw_lines_without_per_day_dots():
    svg = parse(anxiety_chart(make_trends([3, 7] * 200)))
    assert svg.findall(f".//{SVG}circle") == [] and svg.findall(f"{SVG}line[@class='range']") == []
    assert len(svg.findall(f"{SVG}polyline[@class='daily']")) == 1
    year = parse(anxiety_chart(make_trends([5] * 366)))
    assert len(year.findall(f".//{SVG}circle")) == 366


def test_sparkline_breaks_at_gaps_and_marks_lone_days():
    svg = parse(sparkline([1, 2, None, 5, None, None, 7, 8, 9]))
    assert [len(p.get("points").split()) for p in svg.findall(f"{SVG}polyline")] == [2, 3]
    assert len(svg.findall(f"{SVG}circle")) == 1  # 5 stands alone
    assert svg.get("aria-label") == "Last 9 days: 6 logged, from 1 to 9"
    assert parse(sparkline([None] * 30)).get("aria-label") == "No check-ins in the last 30 days"
