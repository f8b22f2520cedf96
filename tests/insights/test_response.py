"""diary.insights.response against hand-worked examples."""
import datetime as dt

import pytest

from diary.insights.daily import daily_means
from diary.insights.response import course

D = dt.date


def means(*pairs):
    return daily_means([(f"2026-03-{day:02d}", value, ()) for day, value in pairs])


# A week before the session on 10 March (3-9 March: 6, 8, 7 -> baseline 7), then the days after it.
COURSE = means((3, 6), (5, 8), (9, 7), (11, 2), (12, 3), (13, 4), (14, 5), (15, 7), (16, 8), (17, 6))


def recent(*values, last_day=30):
    """Means for the last days of March ending on ``last_day``."""
    return {D(2026, 3, last_day - i): v for i, v in enumerate(values)}


def test_course_response_without_remission():
    data = {**COURSE, **recent(3, 3, 3, 3, last_day=31)}  # 28-31 March
    c = course("2026-03-10", data, D(2026, 3, 31))
    # The latest 14 days are 18-31 March: four 3s -> 3. (7 - 3) / 7 = 57 % lower.
    assert c.baseline == 7 and c.recent_mean == 3
    assert c.change == -4 and c.percent_change == pytest.approx(-4 / 7 * 100)
    assert c.response is True and c.remission is False


def test_course_just_short_of_a_response():
    data = {**COURSE, **recent(3, 3, 3, 3)}  # 27-30 March
    c = course("2026-03-10", data, D(2026, 3, 30))
    # The latest 14 days (17-30 March) hold 6 (17 March) and four 3s: 18 / 5 = 3.6, 48.6 % lower.
    assert c.recent_mean == pytest.approx(3.6) and c.percent_change == pytest.approx(-3.4 / 7 * 100)
    assert c.response is False


def test_course_remission():
    c = course("2026-03-10", {**means((3, 6), (5, 8), (9, 7)), **recent(2, 2, 1, 2)}, D(2026, 3, 30))
    assert c.recent_mean == 1.75 and c.response is True and c.remission is True


def test_course_is_not_a_response_below_50_percent():
    c = course("2026-03-10", {**means((3, 6), (5, 8), (9, 7)), **recent(4, 4, 4, 4)}, D(2026, 3, 30))
    assert c.percent_change == pytest.approx(-3 / 7 * 100) and c.response is False


def test_course_needs_enough_data_for_its_flags():
    thin_baseline = {**means((5, 8), (9, 7)), **recent(2, 2, 2, 2)}  # 2 of 7 baseline days
    c = course("2026-03-10", thin_baseline, D(2026, 3, 30))
    assert c.baseline is None and c.response is None and c.remission is None
    thin_recent = {**means((3, 6), (5, 8), (9, 7)), **recent(2, 2, 2)}  # 3 of 14 recent days
    c = course("2026-03-10", thin_recent, D(2026, 3, 30))
    assert c.baseline == 7 and c.recent_mean is None and c.response is None


def test_course_without_sessions_or_with_a_zero_baseline():
    c = course(None, recent(2, 2, 2, 2), D(2026, 3, 30))
    assert (c.baseline, c.recent_mean, c.response, c.remission) == (None, 2, None, None)
    c = course("2026-03-10", {**means((3, 0), (5, 0), (9, 0)), **recent(1, 1, 1, 1)}, D(2026, 3, 30))
    assert c.baseline == 0 and c.percent_change is None and c.response is None and c.remission is True
