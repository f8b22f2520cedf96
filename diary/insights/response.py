"""Session response: how much a treatment session helped, and for how long."""
import datetime as dt
from dataclasses import dataclass

from .daily import dates_between, window_mean

BASELINE_DAYS = 7        # baseline: mean daily anxiety over the 7 days before a session
RELIEF_MARGIN = 1.0      # relief ends when the 3-day mean is back within 1 point of baseline
RELIEF_WINDOW = 3
COURSE_RECENT_DAYS = 14  # the course compares the first baseline with the latest 14 days
RESPONSE_REDUCTION = 0.5  # response: at least a 50 % reduction from the pre-treatment baseline
REMISSION_MAX = 2.0       # remission: latest 14-day mean of 2 or less
# Clinical flags need enough data: logged days in the baseline week and in the recent fortnight.
COURSE_MIN_BASELINE_DAYS = 3
COURSE_MIN_RECENT_DAYS = 4


@dataclass(frozen=True)
class SessionResponse:
    session: dict
    baseline: float | None
    mean_days_1_3: float | None
    mean_days_4_7: float | None
    relief_days: int | None
    relief_status: str  # returned | still_below | not_enough_data


def _as_date(value):
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def baseline_before(means, day, min_days=1):
    """Mean daily anxiety over the 7 days before ``day`` (not counting ``day``)."""
    return window_mean(means, day - dt.timedelta(days=BASELINE_DAYS), day - dt.timedelta(days=1), min_days)


def pretreatment_baseline(means, first_session_day):
    """The course's baseline: the week before the first session, with at least 3 logged days."""
    return baseline_before(means, _as_date(first_session_day), COURSE_MIN_BASELINE_DAYS)


def relief(means, day, baseline, follow_until):
    """``(relief_days, status)`` after a session on ``day``.

    For each day k = 1, 2, ... after the session, the 3-day mean covers days k-2..k (never days
    before the session). Relief lasts until the first k whose 3-day mean is within 1 point of the
    baseline (or above it): relief_days = k - 1. If that never happens by ``follow_until``
    the status is "still_below".
    """
    if baseline is None:
        return None, "not_enough_data"
    observed = False
    for offset, current in enumerate(dates_between(day + dt.timedelta(days=1), follow_until), start=1):
        first = max(day + dt.timedelta(days=1), current - dt.timedelta(days=RELIEF_WINDOW - 1))
        rolling = window_mean(means, first, current)
        if rolling is None:
            continue
        observed = True
        if rolling >= baseline - RELIEF_MARGIN:
            return offset - 1, "returned"
    return (None, "still_below") if observed else (None, "not_enough_data")


def session_responses(sessions, means, today):
    """A SessionResponse per session (any order in, date order out).

    ``means`` is {date: daily mean}. Follow-up after a session stops the day before the next
    session (that one starts its own measurement) or at ``today``.
    """
    ordered = sorted(sessions, key=lambda s: (_as_date(s["date"]), s.get("created_at") or ""))
    session_days = sorted({_as_date(s["date"]) for s in ordered})
    results = []
    for session in ordered:
        day = _as_date(session["date"])
        later = [d for d in session_days if d > day]
        follow_until = min(later[0] - dt.timedelta(days=1), today) if later else today
        baseline = baseline_before(means, day)
        relief_days, status = relief(means, day, baseline, follow_until)
        results.append(SessionResponse(
            session=session, baseline=baseline,
            mean_days_1_3=window_mean(means, day + dt.timedelta(days=1), day + dt.timedelta(days=3)),
            mean_days_4_7=window_mean(means, day + dt.timedelta(days=4), day + dt.timedelta(days=7)),
            relief_days=relief_days, relief_status=status,
        ))
    return results


@dataclass(frozen=True)
class Course:
    baseline: float | None
    recent_mean: float | None
    change: float | None
    percent_change: float | None
    response: bool | None
    remission: bool | None


def course(first_session_day, means, today):
    """Pre-treatment baseline (7 days before the first session) vs the latest 14 days.

    Without a session there is no treatment course: only ``recent_mean`` is given. The flags
    (response, remission) are None unless both windows have enough logged days.
    """
    recent = window_mean(means, today - dt.timedelta(days=COURSE_RECENT_DAYS - 1), today,
                         COURSE_MIN_RECENT_DAYS)
    if first_session_day is None:
        return Course(None, recent, None, None, None, None)
    baseline = pretreatment_baseline(means, first_session_day)
    if baseline is None or recent is None:
        return Course(baseline, recent, None, None, None, None)
    change = recent - baseline
    percent = None if baseline == 0 else change / baseline * 100
    response = None if percent is None else percent <= -RESPONSE_REDUCTION * 100
    return Course(baseline, recent, change, percent, response, recent <= REMISSION_MAX)
