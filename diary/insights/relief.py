"""Relief, measured honestly: series of sessions, uncontaminated baselines, censoring, the typical
relief (Kaplan–Meier) and a forecast from the last session. Pure. Definitions: docs/INSIGHTS.md.

- A **series** is sessions no more than SERIES_GAP_DAYS apart (an induction course); a session
  further from the last one starts a new series (a booster stands alone). Relief is measured from
  a series' last session.
- **Baseline** of a series: the first series uses the pre-treatment week (the 7 days before the
  first session). A later series uses the days of the week before it that lie outside the previous
  series' relief, when there are any logged; otherwise the most recent uncontaminated baseline.
  Without diary days, the first session's own ``anxiety_before`` rating. ``baseline_source`` says
  which: ``pretreatment``, ``week_before`` or ``session_rating``; ``baseline_days`` how many logged
  days it rests on (0 for a session rating).
- **Return**: on day k after the series' last session, the mean of the daily means of days
  max(1, k-2)..k (never days before the session) is within RELIEF_MARGIN of the baseline, or
  above it. Relief lasted k - 1 days ("returned").
- **Censoring**: if the next series starts, or today arrives, before that, relief lasted *at least*
  as long as the last day it was observed ("censored"). No check-in after the session at all:
  "not_enough_data".
- **Typical relief**: the Kaplan–Meier median of the series' relief, with the quartiles as its
  range; it needs at least MIN_RETURNED series whose anxiety came back.
"""
import datetime as dt
from dataclasses import dataclass

from ..vocabulary import plural
from .daily import window_mean, window_stats
from .survival import kaplan_meier, quantile

SERIES_GAP_DAYS = 7      # sessions at most 7 days apart are one series
BASELINE_DAYS = 7
RELIEF_MARGIN = 1.0      # relief ends when the 3-day mean is back within 1 point of baseline
RELIEF_WINDOW = 3
MAX_GAP_DAYS = 3         # a return seen after more than 3 days without a check-in has no known day
MIN_RETURNED = 2         # typical relief needs at least 2 series whose anxiety came back
APPROACHING_DAYS = 2     # forecast: "approaching" from 2 days before the usual return window


def _as_date(value):
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


@dataclass(frozen=True)
class Series:
    sessions: tuple          # session dicts, in date order
    start: dt.date
    end: dt.date
    baseline: float | None
    baseline_source: str | None  # pretreatment | week_before | session_rating
    baseline_days: int
    baseline_series: int | None  # the series (1-based) whose measurement the baseline is
    relief_days: int | None  # returned: days of relief; censored: at least this many
    status: str              # returned | censored | not_enough_data
    returned_on: dt.date | None


def group_series(sessions, gap=SERIES_GAP_DAYS):
    """Sessions (any order) as lists in date order, split where they are more than ``gap`` days apart."""
    ordered = sorted(sessions, key=lambda s: (_as_date(s["date"]), s.get("created_at") or ""))
    groups = []
    for session in ordered:
        if groups and (_as_date(session["date"]) - _as_date(groups[-1][-1]["date"])).days <= gap:
            groups[-1].append(session)
        else:
            groups.append([session])
    return groups


def relief_after(means, last_session, baseline, follow_until):
    """``(relief_days, status, returned_on)`` after a series whose last session was on ``last_session``."""
    if baseline is None:
        return None, "not_enough_data", None
    last_seen, window = None, []  # window: the daily means of the last 3 days since the session
    one_day = dt.timedelta(days=1)
    day = last_session
    while day < follow_until:
        day += one_day
        value = means.get(day)
        window = (window + [value])[-RELIEF_WINDOW:]
        if value is None:
            continue  # relief and its end are read only on days with a check-in of their own
        logged = [v for v in window if v is not None]
        if sum(logged) / len(logged) >= baseline - RELIEF_MARGIN:
            if (day - (last_seen or last_session)).days > MAX_GAP_DAYS:
                # Back, but after days without check-ins: when it came back is unknown. Relief lasted
                # at least until the last check-in before the gap (if there was one).
                break
            return (day - last_session).days - 1, "returned", day
        last_seen = day
    if last_seen is None:
        return None, "not_enough_data", None
    return (last_seen - last_session).days, "censored", None


def measure(sessions, means, today):
    """A Series per group of sessions, oldest first, each with its baseline and relief."""
    groups = group_series(sessions)
    result = []
    clean = None  # the most recent uncontaminated baseline: (value, source, days, series number)
    for index, group in enumerate(groups):
        number = index + 1
        start, end = _as_date(group[0]["date"]), _as_date(group[-1]["date"])
        week_first = start - dt.timedelta(days=BASELINE_DAYS)
        rating = group[0].get("anxiety_before")
        own = None
        if index == 0:
            value, days = window_stats(means, week_first, start - dt.timedelta(days=1))
            if value is not None:
                own = (value, "pretreatment", days, number)
            elif rating is not None:  # before any treatment: the rating is uncontaminated too
                own = (float(rating), "session_rating", 0, number)
        else:
            # Only the days outside the previous series' relief: from the day anxiety came back.
            # A previous series that never came back contaminates the whole week, and this
            # series' own before-rating with it.
            returned_on = result[-1].returned_on
            if returned_on:
                value, days = window_stats(means, max(week_first, returned_on), start - dt.timedelta(days=1))
                if value is not None:
                    own = (value, "week_before", days, number)
                elif clean is None and rating is not None:
                    own = (float(rating), "session_rating", 0, number)
        chosen = own or clean
        if own is not None:
            clean = own
        baseline, source, days, measured_in = chosen if chosen else (None, None, 0, None)
        follow_until = today
        if index + 1 < len(groups):
            follow_until = min(today, _as_date(groups[index + 1][0]["date"]) - dt.timedelta(days=1))
        relief_days, status, returned_on = relief_after(means, end, baseline, follow_until)
        result.append(Series(tuple(group), start, end, baseline, source, days, measured_in, relief_days, status,
                             returned_on))
    return result


@dataclass(frozen=True)
class Typical:
    median_days: float | None
    low: float | None     # Kaplan–Meier 25th percentile (None: not reached)
    high: float | None    # 75th percentile (None: not reached, "at least")
    returned: int
    censored: int
    method: str = "kaplan-meier"

    @property
    def enough(self):
        return self.returned >= MIN_RETURNED and self.median_days is not None


def typical(series):
    """Kaplan–Meier over the series with a relief duration (returned or censored)."""
    measured = [s for s in series if s.status in ("returned", "censored")]
    steps = kaplan_meier([s.relief_days for s in measured], [s.status == "returned" for s in measured])
    returned = sum(1 for s in measured if s.status == "returned")
    return Typical(quantile(steps, 0.5), quantile(steps, 0.25), quantile(steps, 0.75), returned,
                   len(measured) - returned)


@dataclass(frozen=True)
class Forecast:
    last_session: dt.date | None
    days_since: int | None
    return_from: float | None
    return_to: float | None
    status: str  # within | approaching | past | unknown


def forecast(series, summary, today):
    """Where today sits against the usual return window, counted from the last session.

    The window is the days after a session on which anxiety usually came back: relief of ``low``
    to ``high`` days means back on day low + 1 to high + 1. within: more than 2 days before the
    window; approaching: from 2 days before it to its last day; past: after it, or anxiety has
    already come back since the last session; unknown: no sessions, or not enough returned series.
    """
    if not series:
        return Forecast(None, None, None, None, "unknown")
    last = series[-1]
    days_since = max(0, (today - last.end).days)
    if not summary.enough:
        return Forecast(last.end, days_since, None, None, "unknown")
    back_from = (summary.low if summary.low is not None else summary.median_days) + 1
    back_to = (summary.high if summary.high is not None else summary.median_days) + 1
    if last.status == "returned" or days_since > back_to:
        status = "past"
    elif days_since >= back_from - APPROACHING_DAYS:
        status = "approaching"
    else:
        status = "within"
    return Forecast(last.end, days_since, back_from, back_to, status)


def outlook(sessions, means, today):
    """``(series, typical, forecast)`` for every session of a patient."""
    series = measure(sessions, means, today)
    summary = typical(series)
    return series, summary, forecast(series, summary, today)


def same_day(session, checkins):
    """The response within hours: the session's before → after, and the check-ins later that day.

    "Later" means a later time of day when both have one; otherwise saved after the session.
    :param checkins: that day's check-ins, ``[{time, created_at, anxiety}]``.
    """
    def after(checkin):
        if checkin["time"] and session.get("time"):
            return checkin["time"] > session["time"]
        return (checkin["created_at"] or "") > (session.get("created_at") or "")

    later = [c["anxiety"] for c in checkins if after(c)]
    return {"before": session.get("anxiety_before"), "after": session.get("anxiety_after"), "later": later,
            "later_mean": sum(later) / len(later) if later else None}


def session_rows(sessions, series, means, today, checkins_by_date=None):
    """Per session (date order): its series, the series' baseline, the day 1–3 and 4–7 means cut
    at the next session, the same-day response, and the series' relief on its last session
    ("in_series" on the others, whose relief is measured from the series' last session).

    :param checkins_by_date: {ISO date: that day's check-ins} for the same-day response.
    """
    checkins_by_date = checkins_by_date or {}
    ordered = [s for group in series for s in group.sessions]
    days = sorted({_as_date(s["date"]) for s in ordered})
    wanted = {s["id"] for s in sessions}
    rows = []
    for number, group in enumerate(series, start=1):
        for session in group.sessions:
            if session["id"] not in wanted:
                continue
            day = _as_date(session["date"])
            later = [d for d in days if d > day]
            stop = min(later[0] - dt.timedelta(days=1), today) if later else today

            def window(first, last):
                last = min(day + dt.timedelta(days=last), stop)
                return window_mean(means, day + dt.timedelta(days=first), last) if last >= day else None

            is_last = session is group.sessions[-1]
            rows.append({
                "session": session, "series": number, "baseline": group.baseline,
                "baseline_source": group.baseline_source, "baseline_days": group.baseline_days,
                "baseline_series": group.baseline_series,
                "mean_days_1_3": window(1, 3), "mean_days_4_7": window(4, 7),
                "relief_days": group.relief_days if is_last else None,
                "relief_status": group.status if is_last else "in_series",
                "same_day": same_day(session, checkins_by_date.get(session["date"], [])),
            })
    return rows


def _days(n):
    return plural(round(n), "day")


def sentence(series, summary, outlook, short_date, reader="patient"):
    """The answer in plain words, as a fact about past sessions, never advice on its own.

    :param short_date: formats a date for people ('Sat 14 Nov').
    :param reader: "patient" (Trends: "your last session", and when timing may be worth raising
        with the clinic) or "clinician" (the printed report and the provider's page: the same
        facts about the patient, with nothing the reader is told to do).
    """
    for_patient = reader == "patient"
    your = "your" if for_patient else "the"
    if not series:
        if for_patient:
            return ("Log your treatment sessions and check in most days: after a couple of sessions this shows "
                    "how long relief lasts for you.")
        return "No treatment sessions logged yet, so how long relief lasts can't be shown."
    if summary.returned >= MIN_RETURNED and summary.median_days is None:
        # Enough returns, but in most rounds the next session (or today) came first.
        longest = max(s.relief_days for s in series if s.status == "censored")
        return (f"In most rounds of treatment so far, the next session or today came before anxiety did "
                f"(relief of at least {_days(longest)}), so a typical length can't be given yet.")
    if not summary.enough:
        needed = MIN_RETURNED - summary.returned
        text = (f"Not enough yet to say how long relief usually lasts: that needs {MIN_RETURNED} rounds of "
                f"treatment after which anxiety came back, with check-ins in between ({summary.returned} so far, "
                f"{needed} more needed).")
        return text + (" Keep checking in most days, especially in the weeks after a session." if for_patient else "")
    measured = summary.returned + summary.censored
    if summary.low == summary.high:
        span = _days(summary.median_days)
    else:
        span = f"{round(summary.low)}–{_days(summary.high)}" if summary.high is not None else \
            f"{_days(summary.low)} or longer"
    text = (f"Over {plural(measured, 'round of treatment', 'rounds of treatment')}, anxiety came back after {span} "
            f"(typically {_days(summary.median_days)})")
    if summary.censored:
        text += (f"; {plural(summary.censored, 'round')} still below when last checked "
                 f"{'counts' if summary.censored == 1 else 'count'} as “at least”")
    text += "."
    # Only the patient is pointed to their clinic; the clinician reading the report is the clinic.
    timing = ": you may want to talk to your clinic about timing." if for_patient else "."
    last = series[-1]
    if last.status == "returned":
        return text + (f" Since {your} last session on {short_date(outlook.last_session)} "
                       f"({_days(outlook.days_since)} ago), it came back after {_days(last.relief_days)}{timing}")
    if outlook.last_session is not None:
        text += (f" It has been {_days(outlook.days_since)} since {your} last session"
                 f" on {short_date(outlook.last_session)}.")
    if outlook.status == "approaching":
        text += f" That is about when it has come back before{timing}"
    elif outlook.status == "past":
        text += f" That is past when it usually comes back{timing}"
    return text
