"""Daily series: a day's value is the mean of its check-ins; days without any are gaps."""
import datetime as dt
from dataclasses import dataclass
from statistics import fmean

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


def dates_between(start, end):
    """Every calendar date from ``start`` to ``end`` inclusive."""
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def scores_by_date(rows):
    """{date: [anxiety, ...]} from rows of (date, anxiety, ...); dates may be ISO strings."""
    scores = {}
    for row in rows:
        date = row[0] if isinstance(row[0], dt.date) else dt.date.fromisoformat(row[0])
        scores.setdefault(date, []).append(row[1])
    return scores


def daily_means(rows):
    """{date: mean anxiety} for every date that has check-ins."""
    return {date: fmean(values) for date, values in scores_by_date(rows).items()}


def window_mean(means, first, last, min_days=1):
    """Mean of the daily means from ``first`` to ``last`` inclusive, or None if under ``min_days``."""
    values = [means[day] for day in dates_between(first, last) if day in means]
    return fmean(values) if len(values) >= min_days and values else None


def daily_series(rows, start, end):
    """One Day per calendar date from ``start`` to ``end``, with a 7-day rolling mean.

    The rolling mean on a date is the mean of the daily means of the 7 days ending on it
    (rows before ``start`` count, so pass them in), when at least 3 of those days were logged.
    """
    scores = scores_by_date(rows)
    means = {date: fmean(values) for date, values in scores.items()}
    series = []
    for date in dates_between(start, end):
        values = scores.get(date)
        rolling = window_mean(means, date - dt.timedelta(days=ROLLING_WINDOW - 1), date, ROLLING_MIN_DAYS)
        if values:
            series.append(Day(date, means[date], min(values), max(values), len(values), rolling))
        else:
            series.append(Day(date, None, None, None, 0, rolling))
    return series


def days_logged(means, end, window=30):
    """How many of the ``window`` days ending on ``end`` have at least one check-in."""
    return sum(1 for day in dates_between(end - dt.timedelta(days=window - 1), end) if day in means)
