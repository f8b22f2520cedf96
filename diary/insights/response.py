"""The treatment course: the pre-treatment baseline against the latest 14 days (response, remission).

Relief per series of sessions lives in relief.py."""
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from .daily import window_stats

BASELINE_DAYS = 7        # baseline: mean daily anxiety over the 7 days before a session
COURSE_RECENT_DAYS = 14  # the course compares the first baseline with the latest 14 days
RESPONSE_REDUCTION = 0.5  # response: at least a 50 % reduction from the pre-treatment baseline
REMISSION_MAX = 2.0       # remission: latest 14-day mean of 2 or less
# Clinical flags need enough data: logged days in the baseline week and in the recent fortnight.
COURSE_MIN_BASELINE_DAYS = 3
COURSE_MIN_RECENT_DAYS = 4


def _as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _pretreatment_week(means: Mapping[dt.date, float], first_session_day: dt.date | str) -> tuple[float | None, int]:
    """(mean, logged days) over the 7 days before the first session."""
    day = _as_date(first_session_day)
    return window_stats(means, day - dt.timedelta(days=BASELINE_DAYS), day - dt.timedelta(days=1))


def pretreatment_baseline(means: Mapping[dt.date, float], first_session_day: dt.date | str) -> float | None:
    """The course's baseline: the week before the first session, with at least 3 logged days."""
    mean, days = _pretreatment_week(means, first_session_day)
    return mean if days >= COURSE_MIN_BASELINE_DAYS else None


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


def course(first_session_day: dt.date | str | None, means: Mapping[dt.date, float], today: dt.date) -> Course:
    """Pre-treatment baseline (7 days before the first session) vs the latest 14 days.

    Without a session there is no treatment course: only ``recent_mean`` is given. The flags
    (response, remission) are None unless both windows have enough logged days.
    """
    recent, recent_days = window_stats(means, today - dt.timedelta(days=COURSE_RECENT_DAYS - 1), today)
    recent = recent if recent_days >= COURSE_MIN_RECENT_DAYS else None
    if first_session_day is None:
        return Course(None, recent, None, None, None, None, 0, recent_days)
    baseline, baseline_days = _pretreatment_week(means, first_session_day)
    baseline = baseline if baseline_days >= COURSE_MIN_BASELINE_DAYS else None
    if baseline is None or recent is None:
        return Course(baseline, recent, None, None, None, None, baseline_days, recent_days)
    change = recent - baseline
    percent = None if baseline == 0 else change / baseline * 100
    response = None if percent is None else percent <= -RESPONSE_REDUCTION * 100
    return Course(baseline, recent, change, percent, response, recent <= REMISSION_MAX, baseline_days, recent_days)
