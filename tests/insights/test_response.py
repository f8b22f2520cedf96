"""diary.insights.response against hand-worked examples."""
import datetime as dt

import pytest

from diary.insights.daily import daily_means
from diary.insights.response import course, session_responses

D = dt.date


def means(*pairs):
    return daily_means([(f"2026-03-{day:02d}", value, ()) for day, value in pairs])


def session(day, sid="s1"):
    return {"id": sid, "date": f"2026-03-{day:02d}", "treatment": "iv_ketamine",
            "anxiety_before": 7, "anxiety_after": 3}


# Baseline week 3-9 March: 6, 8, 7 -> 7. After the session on 10 March: 2, 3, 4, 5, 7, 8, 6.
COURSE = means((3, 6), (5, 8), (9, 7), (11, 2), (12, 3), (13, 4), (14, 5), (15, 7), (16, 8), (17, 6))


def test_baseline_means_and_relief():
    [r] = session_responses([session(10)], COURSE, D(2026, 3, 31))
    assert r.baseline == 7
    assert r.mean_days_1_3 == 3                   # (2 + 3 + 4) / 3
    assert r.mean_days_4_7 == 6.5                 # (5 + 7 + 8 + 6) / 4
    # 3-day means after the session: 2, 2.5, 3, 4, 5.33, then 6.67 on day 6 (>= 7 - 1).
    assert (r.relief_days, r.relief_status) == (5, "returned")


def test_relief_not_over_yet():
    [r] = session_responses([session(10)], COURSE, D(2026, 3, 14))
    assert (r.relief_days, r.relief_status) == (None, "still_below")


def test_next_session_ends_the_follow_up():
    first, second = session_responses([session(15, "s2"), session(10, "s1")], COURSE, D(2026, 3, 31))
    assert first.session["id"] == "s1"  # returned in date order
    assert (first.relief_days, first.relief_status) == (None, "still_below")  # followed 11-14 March only
    # The second session's baseline is 8-14 March: (7 + 2 + 3 + 4 + 5) / 5 = 4.2.
    assert second.baseline == pytest.approx(4.2)
    # Day 1 after it (16 March) is 8: already within 1 point, so no relief.
    assert (second.relief_days, second.relief_status) == (0, "returned")


def test_no_checkins_before_the_session():
    [r] = session_responses([session(10)], means((11, 2)), D(2026, 3, 31))
    assert r.baseline is None and r.relief_status == "not_enough_data"


def test_session_with_no_data_after_it():
    [r] = session_responses([session(10)], means((5, 6)), D(2026, 3, 31))
    assert r.baseline == 6
    assert r.mean_days_1_3 is None and r.mean_days_4_7 is None
    assert (r.relief_days, r.relief_status) == (None, "not_enough_data")


def test_gaps_after_the_session_are_skipped_not_zero():
    # Baseline 6; after: day 1 = 1, days 2-4 unlogged, day 5 = 6 -> the 3-day mean on day 5 is 6.
    [r] = session_responses([session(10)], means((9, 6), (11, 1), (15, 6)), D(2026, 3, 31))
    assert (r.relief_days, r.relief_status) == (4, "returned")


def test_no_sessions():
    assert session_responses([], COURSE, D(2026, 3, 31)) == []


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
