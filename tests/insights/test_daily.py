"""diary.insights.daily against hand-worked examples."""
import datetime as dt

import pytest

from diary.insights.daily import (
    Day,
    Week,
    daily_means,
    daily_series,
    day_totals,
    days_logged,
    monthly_series,
    weekly_series,
    window_mean,
)

D = dt.date


def test_empty_diary_is_all_gaps():
    series = daily_series(day_totals([]), D(2026, 1, 1), D(2026, 1, 3))
    assert series == [Day(D(2026, 1, d), None, None, None, 0, None) for d in (1, 2, 3)]


def test_a_single_entry():
    [day] = daily_series(day_totals([("2026-01-01", 4, ())]), D(2026, 1, 1), D(2026, 1, 1))
    assert day == Day(D(2026, 1, 1), 4, 4, 4, 1, None)  # one logged day: no rolling mean yet


def test_a_day_is_the_mean_of_its_checkins_with_min_and_max():
    rows = [("2026-01-01", 4, ()), ("2026-01-01", 6, ()), ("2026-01-01", 8, ())]
    [day] = daily_series(day_totals(rows), D(2026, 1, 1), D(2026, 1, 1))
    assert (day.mean, day.min, day.max, day.count) == (6, 4, 8, 3)


def test_missing_days_are_gaps_not_zeros():
    rows = [("2026-01-01", 5, ()), ("2026-01-03", 3, ())]
    series = daily_series(day_totals(rows), D(2026, 1, 1), D(2026, 1, 3))
    assert [d.mean for d in series] == [5, None, 3]
    assert series[1].count == 0 and series[1].min is None


def test_rolling_mean_needs_three_logged_days_in_the_week():
    # 1 Jan: 4 and 6 (mean 5); 3 Jan: 3; 4 Jan: 7.
    rows = [("2026-01-01", 4, ()), ("2026-01-01", 6, ()), ("2026-01-03", 3, ()), ("2026-01-04", 7, ())]
    series = daily_series(day_totals(rows), D(2026, 1, 1), D(2026, 1, 8))
    rolling = [d.rolling_mean_7 for d in series]
    # 1-3 Jan: fewer than 3 logged days. 4-7 Jan: the week holds 1, 3 and 4 Jan: (5 + 3 + 7) / 3 = 5.
    # 8 Jan: the week 2-8 Jan holds only 3 and 4 Jan: none.
    assert rolling == [None, None, None, 5, 5, 5, 5, None]


def test_rolling_mean_uses_days_before_the_range():
    rows = [("2026-01-01", 5, ()), ("2026-01-03", 3, ()), ("2026-01-04", 7, ())]
    [day] = daily_series(day_totals(rows), D(2026, 1, 4), D(2026, 1, 4))
    assert day.rolling_mean_7 == 5


def test_rolling_mean_of_daily_means_not_of_checkins():
    # A day with three check-ins counts once: days 5 (from 2, 8, 5), 2 and 2 -> (5 + 2 + 2) / 3 = 3.
    rows = [("2026-01-01", 2, ()), ("2026-01-01", 8, ()), ("2026-01-01", 5, ()),
            ("2026-01-02", 2, ()), ("2026-01-03", 2, ())]
    assert daily_series(day_totals(rows), D(2026, 1, 3), D(2026, 1, 3))[0].rolling_mean_7 == 3


def test_window_mean_and_days_logged():
    means = daily_means([("2026-01-01", 2, ()), ("2026-01-02", 4, ()), ("2026-01-30", 9, ())])
    assert window_mean(means, D(2026, 1, 1), D(2026, 1, 7)) == 3
    assert window_mean(means, D(2026, 1, 3), D(2026, 1, 7)) is None
    assert window_mean(means, D(2026, 1, 1), D(2026, 1, 7), min_days=3) is None
    assert days_logged(means, D(2026, 1, 30)) == 3
    assert days_logged(means, D(2026, 1, 31)) == 2  # the 30 days ending 31 Jan start on 2 Jan


@pytest.mark.parametrize("dates", [("2026-02-28", "2026-03-01"), ("2024-02-28", "2024-03-01")])
def test_series_crosses_month_and_leap_days(dates):
    start, end = map(D.fromisoformat, dates)
    series = daily_series(day_totals([]), start, end)
    assert series[0].date == start and series[-1].date == end
    assert len(series) == (end - start).days + 1


# --- Long periods: weeks (the Trends page beyond a year) and months (the table under it) ---

def test_a_week_is_the_mean_of_its_days_and_runs_monday_to_sunday_cut_at_the_ends():
    # Thu 1 Jan 2026 .. Sun 11 Jan: a cut first week (Thu-Sun), then Mon 5 .. Sun 11.
    rows = [("2026-01-01", 2, ()), ("2026-01-01", 8, ()),  # a day of 5 (one day, counted once)
            ("2026-01-03", 2, ()),                         # 2: the week's mean is (5 + 2) / 2 = 3.5
            ("2026-01-09", 9, ())]
    first, second = weekly_series(day_totals(rows), D(2026, 1, 1), D(2026, 1, 11))
    assert first == Week(D(2026, 1, 1), D(2026, 1, 4), 3.5, 2, 8, 3, 2)
    assert second == Week(D(2026, 1, 5), D(2026, 1, 11), 9, 9, 9, 1, 1)


def test_weeks_without_checkins_are_gaps_and_days_outside_the_period_dont_count():
    rows = [("2025-12-31", 10, ()), ("2026-01-14", 4, ())]
    weeks = weekly_series(day_totals(rows), D(2026, 1, 1), D(2026, 1, 14))
    assert [(w.date, w.to, w.mean, w.days_logged) for w in weeks] == [
        (D(2026, 1, 1), D(2026, 1, 4), None, 0), (D(2026, 1, 5), D(2026, 1, 11), None, 0),
        (D(2026, 1, 12), D(2026, 1, 14), 4, 1)]


def test_months_newest_first_each_day_counted_once():
    rows = [("2026-01-30", 1, ()), ("2026-01-30", 3, ()), ("2026-01-31", 6, ()), ("2026-02-01", 7, ())]
    assert monthly_series(day_totals(rows), D(2026, 1, 1), D(2026, 2, 28)) == [
        (D(2026, 2, 1), 1, 7, 7, 7), (D(2026, 1, 1), 2, 4, 1, 6)]  # January: (2 + 6) / 2
