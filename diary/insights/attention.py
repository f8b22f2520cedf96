"""Who needs attention: the numbers and flags on a provider's dashboard."""
import datetime as dt
from dataclasses import dataclass

from .daily import window_mean
from .response import pretreatment_baseline

QUIET_DAYS = 7        # no check-in for 7 or more days
HIGH_MEAN = 7.0       # 7-day mean of 7 or more
RISING_BY = 2.0       # 7-day mean at least 2 points above the 7 days before
SPARKLINE_DAYS = 30

FLAG_LABELS = {
    "high": "7-day average 7 or more",
    "rising": "Rising: up 2+ points on the week before",
    "quiet": "No check-in for 7+ days",
}


@dataclass(frozen=True)
class Summary:
    last_entry_date: dt.date | None
    mean_7: float | None
    previous_mean_7: float | None
    change_from_baseline: float | None
    flags: tuple
    sparkline: tuple  # daily means of the last 30 days, None for unlogged days


def summarize(means, today, last_entry_date, first_session_day=None):
    """The dashboard line for one patient.

    :param means: {date: daily mean} from shared check-ins, covering at least the last 30 days and
        the week before the first session.
    :param last_entry_date: the latest shared check-in's date (it may be older than ``means``).
    """
    last = last_entry_date
    mean_7 = window_mean(means, today - dt.timedelta(days=6), today)
    previous = window_mean(means, today - dt.timedelta(days=13), today - dt.timedelta(days=7))
    change = None
    if first_session_day is not None and mean_7 is not None:
        baseline = pretreatment_baseline(means, first_session_day)
        change = None if baseline is None else mean_7 - baseline
    flags = []
    if mean_7 is not None and mean_7 >= HIGH_MEAN:
        flags.append("high")
    if mean_7 is not None and previous is not None and mean_7 - previous >= RISING_BY:
        flags.append("rising")
    if last is None or (today - last).days >= QUIET_DAYS:
        flags.append("quiet")
    sparkline = tuple(means.get(today - dt.timedelta(days=n)) for n in range(SPARKLINE_DAYS - 1, -1, -1))
    return Summary(last, mean_7, previous, change, tuple(flags), sparkline)
