"""Daily series: a day's value is the mean of its check-ins; days without any are gaps."""
import datetime as dt
from dataclasses import dataclass

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
    scores, parsed = {}, {}
    for row in rows:
        date = row[0]
        if not isinstance(date, dt.date):  # rows come sorted by date: parse each string once
            date = parsed.get(date) or parsed.setdefault(date, dt.date.fromisoformat(date))
        scores.setdefault(date, []).append(row[1])
    return scores


def daily_means(rows):
    """{date: mean anxiety} for every date that has check-ins."""
    return means_of(scores_by_date(rows))


def means_of(scores):
    return {date: sum(values) / len(values) for date, values in scores.items()}


def window_stats(means, first, last):
    """``(mean, logged days)`` of the daily means from ``first`` to ``last`` inclusive; (None, 0) if none."""
    values = [means[day] for day in dates_between(first, last) if day in means] if first <= last else []
    return (sum(values) / len(values), len(values)) if values else (None, 0)


def window_mean(means, first, last, min_days=1):
    """Mean of the daily means from ``first`` to ``last`` inclusive, or None if under ``min_days``."""
    mean, days = window_stats(means, first, last)
    return mean if days >= max(min_days, 1) else None


def daily_series(rows, start, end, scores=None):
    """One Day per calendar date from ``start`` to ``end``, with a 7-day rolling mean.

    The rolling mean on a date is the mean of the daily means of the 7 days ending on it
    (rows before ``start`` count, so pass them in), when at least 3 of those days were logged.
    ``scores`` (from scores_by_date) saves regrouping the rows when the caller has it already.
    """
    scores = scores_by_date(rows) if scores is None else scores
    means = means_of(scores)
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
        values = scores.get(date)
        if values:
            series.append(Day(date, means[date], min(values), max(values), len(values), rolling))
        else:
            series.append(Day(date, None, None, None, 0, rolling))
    return series


def days_logged(means, end, window=30):
    """How many of the ``window`` days ending on ``end`` have at least one check-in."""
    return sum(1 for day in dates_between(end - dt.timedelta(days=window - 1), end) if day in means)
