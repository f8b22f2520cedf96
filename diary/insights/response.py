"""The treatment course: the pre-treatment baseline against the latest 14 days (response, remission).

Relief per series of sessions lives in relief.py."""
import datetime as dt
from dataclasses import dataclass

from .daily import dates_between, window_mean

BASELINE_DAYS = 7        # baseline: mean daily anxiety over the 7 days before a session
COURSE_RECENT_DAYS = 14  # the course compares the first baseline with the latest 14 days
RESPONSE_REDUCTION = 0.5  # response: at least a 50 % reduction from the pre-treatment baseline
REMISSION_MAX = 2.0       # remission: latest 14-day mean of 2 or less
# Clinical flags need enough data: logged days in the baseline week and in the recent fortnight.
COURSE_MIN_BASELINE_DAYS = 3
COURSE_MIN_RECENT_DAYS = 4


def _as_date(value):
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def baseline_before(means, day, min_days=1):
    """Mean daily anxiety over the 7 days before ``day`` (not counting ``day``)."""
    return window_mean(means, day - dt.timedelta(days=BASELINE_DAYS), day - dt.timedelta(days=1), min_days)


def pretreatment_baseline(means, first_session_day):
    """The course's baseline: the week before the first session, with at least 3 logged days."""
    return baseline_before(means, _as_date(first_session_day), COURSE_MIN_BASELINE_DAYS)


@dataclass(frozen=True)
class Course:
    baseline: float | None
    recent_mean: float | None
    change: float | None
    percent_change: float | None
    response: bool | None
    remission: bool | None
    baseline_days: int = 0  # logged days in the pre-treatment week
    recent_days: int = 0    # logged days in the latest 14


def _logged(means, first, last):
    return sum(1 for day in dates_between(first, last) if day in means)


def course(first_session_day, means, today):
    """Pre-treatment baseline (7 days before the first session) vs the latest 14 days.

    Without a session there is no treatment course: only ``recent_mean`` is given. The flags
    (response, remission) are None unless both windows have enough logged days.
    """
    recent_first = today - dt.timedelta(days=COURSE_RECENT_DAYS - 1)
    recent = window_mean(means, recent_first, today, COURSE_MIN_RECENT_DAYS)
    recent_days = _logged(means, recent_first, today)
    if first_session_day is None:
        return Course(None, recent, None, None, None, None, 0, recent_days)
    first = _as_date(first_session_day)
    baseline = pretreatment_baseline(means, first)
    baseline_days = _logged(means, first - dt.timedelta(days=BASELINE_DAYS), first - dt.timedelta(days=1))
    if baseline is None or recent is None:
        return Course(baseline, recent, None, None, None, None, baseline_days, recent_days)
    change = recent - baseline
    percent = None if baseline == 0 else change / baseline * 100
    response = None if percent is None else percent <= -RESPONSE_REDUCTION * 100
    return Course(baseline, recent, change, percent, response, recent <= REMISSION_MAX, baseline_days, recent_days)
