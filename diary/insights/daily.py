"""Daily series: a day's value is the mean of its check-ins; days without any are gaps."""
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

ROLLING_WINDOW = 7
ROLLING_MIN_DAYS = 3  # fewer logged days than this in the window: no rolling mean (noise)


@dataclass(frozen=True)
class Day:
    date: dt.date
    mean: float | None
    min: int | None
    max: int | None
    count: int
    rolling_mean_7: float | None = None


def dates_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every calendar date from ``start`` to ``end`` inclusive."""
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


# A day's totals: ``(check-ins, sum of their scores, lowest, highest)``, keyed by date in
# {date: totals} dicts. Plain tuples: five years of days are built on every Trends request.
Totals = tuple[int, int, int, int]


def totals_by_date(rows: Iterable[tuple[str, int, int, int, int]]) -> dict[dt.date, Totals]:
    """{date: totals} from rows of (ISO date, check-ins, sum, lowest, highest), one per logged day
    (what the store keeps in checkin_days)."""
    return {dt.date.fromisoformat(row[0]): row[1:] for row in rows}


def day_totals(checkins: Iterable[Sequence[Any]]) -> dict[dt.date, Totals]:
    """{date: totals} from check-in rows (date, anxiety, ...); dates may be ISO strings."""
    scores: dict[dt.date, list[int]] = {}
    for row in checkins:
        date = row[0] if isinstance(row[0], dt.date) else dt.date.fromisoformat(row[0])
        scores.setdefault(date, []).append(row[1])
    return {date: (len(values), sum(values), min(values), max(values)) for date, values in scores.items()}


def daily_means(checkins: Iterable[Sequence[Any]]) -> dict[dt.date, float]:
    """{date: mean anxiety} for every date that has check-ins."""
    return means_of(day_totals(checkins))


def means_of(totals: Mapping[dt.date, Totals]) -> dict[dt.date, float]:
    """{date: the day's mean} from {date: totals}."""
    return {date: total / count for date, (count, total, _, _) in totals.items()}


def window_stats(means: Mapping[dt.date, float], first: dt.date, last: dt.date) -> tuple[float | None, int]:
    """``(mean, logged days)`` of the daily means from ``first`` to ``last`` inclusive; (None, 0) if none."""
    values = [means[day] for day in dates_between(first, last) if day in means] if first <= last else []
    return (sum(values) / len(values), len(values)) if values else (None, 0)


def window_mean(means: Mapping[dt.date, float], first: dt.date, last: dt.date, min_days: int = 1) -> float | None:
    """Mean of the daily means from ``first`` to ``last`` inclusive, or None if under ``min_days``."""
    mean, days = window_stats(means, first, last)
    return mean if days >= max(min_days, 1) else None


def daily_series(totals: Mapping[dt.date, Totals], start: dt.date, end: dt.date,
                 means: Mapping[dt.date, float] | None = None) -> list[Day]:
    """One Day per calendar date from ``start`` to ``end``, with a 7-day rolling mean.

    ``totals``: {date: totals}. The rolling mean on a date is the mean of the daily means of the
    7 days ending on it (days before ``start`` count, so pass them in), when at least 3 of those
    days were logged. ``means`` (means_of(totals)) saves computing them again.
    """
    means = means_of(totals) if means is None else means
    # A sliding window over the days: add the day entering it, drop the day leaving it.
    window_sum, window_days = 0.0, 0
    first = start - dt.timedelta(days=ROLLING_WINDOW - 1)
    days = dates_between(first, end)
    series = []
    for i, date in enumerate(days):
        if date in means:
            window_sum += means[date]
            window_days += 1
        if i >= ROLLING_WINDOW and days[i - ROLLING_WINDOW] in means:
            window_sum -= means[days[i - ROLLING_WINDOW]]
            window_days -= 1
        if date < start:
            continue
        rolling = window_sum / window_days if window_days >= ROLLING_MIN_DAYS else None
        day = totals.get(date)
        if day:
            series.append(Day(date, means[date], day[2], day[3], day[0], rolling))
        else:
            series.append(Day(date, None, None, None, 0, rolling))
    return series


def days_logged(means: Mapping[dt.date, float], end: dt.date, window: int = 30) -> int:
    """How many of the ``window`` days ending on ``end`` have at least one check-in."""
    return sum(1 for day in dates_between(end - dt.timedelta(days=window - 1), end) if day in means)


@dataclass(frozen=True)
class Week:
    """A calendar week (Monday to Sunday, cut at the period's ends) of a long period."""
    date: dt.date  # its first day in the period
    to: dt.date  # its last day in the period
    mean: float | None  # the mean of its logged days' means: each day counts once, as in Day
    min: int | None
    max: int | None
    count: int  # check-ins
    days_logged: int


# A run of days: (first, last, logged days, sum of their means, lowest, highest, check-ins).
Run = tuple[dt.date, dt.date, int, float, int | None, int | None, int]
# A month: (first day, logged days, mean of their means, lowest, highest).
Month = tuple[dt.date, int, float, int | None, int | None]


def _runs_of(totals: Mapping[dt.date, Totals], means: Mapping[dt.date, float], start: dt.date, end: dt.date,
             next_start: Callable[[dt.date], dt.date]) -> list[Run]:
    """``(first, last, logged days, sum of their means, lowest, highest, check-ins)`` for each run of
    days from ``start`` to ``end``, a run ending where ``next_start(first)`` begins the next.

    One walk over the logged days in date order (no per-day date arithmetic: five years of days
    are grouped on every long Trends request)."""
    logged = sorted(day for day in totals if start <= day <= end)
    runs, i, first = [], 0, start
    while first <= end:
        following = next_start(first)
        last = min(following - dt.timedelta(days=1), end)
        total: float
        days = total = checkins = 0
        low = high = None
        while i < len(logged) and logged[i] <= last:
            day = logged[i]
            count, _, day_low, day_high = totals[day]
            days += 1
            total += means[day]
            checkins += count
            if low is None or day_low < low:
                low = day_low
            if high is None or day_high > high:
                high = day_high
            i += 1
        runs.append((first, last, days, total, low, high, checkins))
        first = following
    return runs


def weekly_series(totals: Mapping[dt.date, Totals], start: dt.date, end: dt.date,
                  means: Mapping[dt.date, float] | None = None) -> list[Week]:
    """One Week per calendar week from ``start`` to ``end``; ``totals``: {date: totals}."""
    means = means_of(totals) if means is None else means
    monday_after = lambda day: day + dt.timedelta(days=7 - day.weekday())  # noqa: E731
    return [Week(first, last, total / days if days else None, low, high, checkins, days)
            for first, last, days, total, low, high, checkins in _runs_of(totals, means, start, end, monday_after)]


def monthly_series(totals: Mapping[dt.date, Totals], start: dt.date, end: dt.date,
                   means: Mapping[dt.date, float] | None = None) -> list[Month]:
    """``(first day of the month, logged days, mean of their means, lowest, highest)`` per month
    with check-ins from ``start`` to ``end``, newest first."""
    means = means_of(totals) if means is None else means
    month_after = lambda day: (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)  # noqa: E731
    return [(first.replace(day=1), days, total / days, low, high)
            for first, _, days, total, low, high, _ in reversed(_runs_of(totals, means, start, end, month_after))
            if days]
