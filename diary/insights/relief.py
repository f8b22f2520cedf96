"""Relief, measured honestly: series of sessions, uncontaminated baselines, the day anxiety is
back, censoring, the typical relief (Kaplan–Meier, with a confidence interval), a forecast from
the last session, and the answer in words. Pure. Definitions: docs/INSIGHTS.md; how well the
return is found, on courses with a known answer: docs/VALIDATION.md.

- A **series** is sessions no more than SERIES_GAP_DAYS apart (an induction course); a session
  further from the last one starts a new series (a booster stands alone). Relief is measured from
  a series' last session.
- **Baseline** of a series: the first series uses the pre-treatment week (the 7 days before the
  first session). A later series uses the days of the week before it that lie outside the previous
  series' relief, when at least WEEK_BEFORE_MIN_DAYS are logged; otherwise the most recent
  uncontaminated baseline (``baseline_note`` says why). Without diary days, the first session's
  own ``anxiety_before`` rating. ``baseline_source`` says which: ``pretreatment``,
  ``week_before`` or ``session_rating``; ``baseline_days`` how many logged days it rests on.
- **Return** (``relief_after``): one change point fitted by least squares to the logged days after
  the series (``change_point``); anxiety is back on the first day of the second level when that
  level is back near the baseline (``is_back``), confirmed by a second logged day.
- **Censoring**: if the next series starts, or today arrives, before that, relief lasted *at least*
  as long as the last day it was observed ("censored"). No check-in after the session at all:
  "not_enough_data".
- **Typical relief**: the Kaplan–Meier median of the series' relief, its quartiles and 95 %
  confidence interval, and the observed range; it needs at least MIN_RETURNED series whose
  anxiety came back. ``no_relief`` when none brought relief of more than a day.
"""
import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypedDict

from ..messages import DayOnly, Msg, msg, plural_msg
from .daily import dates_between, window_mean, window_stats
from .survival import kaplan_meier, median_confidence_interval, quantile

SERIES_GAP_DAYS = 7      # sessions at most 7 days apart are one series
BASELINE_DAYS = 7
WEEK_BEFORE_MIN_DAYS = 3  # a later series' own baseline needs 3 logged days after the last relief
RELIEF_MARGIN = 1.0      # anxiety is back when within 1 point of the baseline
FAR_BELOW_BASELINE = 2.0  # ...or halfway back from a deep relief, if within 2 points of it
MIN_RELIEF_DEPTH = 1.5   # relief is measurable when anxiety sat at least 1.5 points below the baseline
SSE_FLOOR = 1e-6         # keeps the change-point test finite when the days fit a level exactly
CHANGE_PENALTY = 2.0     # a return must improve the fit by n·ln(SSE₁/SSE₂) > CHANGE_PENALTY·ln n
BAD_DAY_POINTS = 3.0     # a day this far above the days either side of it (or the rest of relief) is a bad day
MAX_GAP_DAYS = 3         # a return seen after more than 3 days without a check-in has no known day
MIN_RETURNED = 2         # typical relief needs at least 2 series whose anxiety came back
FEW_ROUNDS = 4           # under 4 returned series the answer gives their lengths, not quartiles
NO_RELIEF_DAYS = 1       # no series with relief beyond a day: "no measurable relief"
APPROACHING_DAYS = 2     # forecast: "approaching" from 2 days before the usual return window


def _as_date(value: dt.date | str) -> dt.date:
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
    # Why a later series' baseline is an earlier one's (None when it is its own):
    # "previous_relief" (the week before it was still in the previous series' relief) or
    # "too_few_days" (not enough days logged since the previous relief ended to compare).
    baseline_note: str | None = None
    back_by: dt.date | None = None  # anxiety was back by this day (returned_on, or seen after a gap)


def group_series(sessions: Iterable[Mapping[str, Any]], gap: int = SERIES_GAP_DAYS) -> list[list[Mapping[str, Any]]]:
    """Sessions (any order) as lists in date order, split where they are more than ``gap`` days apart."""
    ordered = sorted(sessions, key=lambda s: (_as_date(s["date"]), s.get("created_at") or ""))
    groups: list[list[Mapping[str, Any]]] = []
    for session in ordered:
        if groups and (_as_date(session["date"]) - _as_date(groups[-1][-1]["date"])).days <= gap:
            groups[-1].append(session)
        else:
            groups.append([session])
    return groups


def relief_after(means: Mapping[dt.date, float], last_session: dt.date, baseline: float | None,
                 follow_until: dt.date, *, next_series: bool = False,
                 next_rating: float | None = None) -> tuple[int | None, str, dt.date | None]:
    """``(relief_days, status, returned_on)`` after a series whose last session was on ``last_session``.

    The logged days from the day after ``last_session`` to ``follow_until`` are fitted by least
    squares with one change point: a level while relief holds, then a level after it
    (``change_point``). Anxiety is back on the first day of the second level when that level is
    back near ``baseline`` (``is_back``). The first day back must be confirmed by a logged day
    after it (the second level has two days at least). When the next series starts first
    (``next_series``), ``next_rating``, its first session's rating before, is that next
    observation; without one the last day counts alone. A return first seen after more than
    MAX_GAP_DAYS without a check-in has
    no known day: relief is censored at the last check-in before the gap.
    """
    if baseline is None:
        return None, "not_enough_data", None
    days = [day for day in dates_between(last_session + dt.timedelta(days=1), follow_until) if day in means]
    if not days:
        return None, "not_enough_data", None
    back = baseline - RELIEF_MARGIN
    values = [means[day] for day in days]
    if next_rating is not None:
        # The rating before the next session, the day after follow-up: it can confirm a last day
        # back, never be the first day back itself.
        first_back = change_point(values + [float(next_rating)], baseline)
        if first_back == len(values):
            first_back = None
    else:
        first_back = change_point(values, baseline, confirm=not next_series)
    if first_back is None:
        # Still in relief when follow-up ended: at least until the last day below ``back`` (a last
        # day back that nothing has confirmed yet is not counted as relief).
        below = [day for day in days if means[day] < back]
        return ((below[-1] - last_session).days, "censored", None) if below else (None, "not_enough_data", None)
    before = days[first_back - 1] if first_back else last_session
    if (days[first_back] - before).days - 1 > MAX_GAP_DAYS:  # the days between without a check-in
        # Back, but after days without check-ins: when it came back is unknown. Relief lasted at
        # least until the last check-in before the gap (if there was one).
        return ((before - last_session).days, "censored", None) if first_back else (None, "not_enough_data", None)
    if first_back == 0:
        # Back from the first logged day: no relief was measured, whatever the unlogged days
        # before it (at most MAX_GAP_DAYS) held.
        return 0, "returned", days[0]
    # Anxiety came back on one of the unlogged days before the first day seen back, or on that
    # day itself: date it in the middle of them (the later of two middles), as interval-censored
    # times are. Never later than the day it was first seen.
    unlogged = (days[first_back] - before).days - 1
    returned_on = days[first_back] - dt.timedelta(days=unlogged // 2)
    return (returned_on - last_session).days - 1, "returned", returned_on


def change_point(values: list[float], baseline: float, *, confirm: bool = True) -> int | None:
    """The index of the first value of anxiety back in ``values``, or None (still in relief).

    ``values`` are the daily means of the logged days after a series, in order. A bad day first
    leaves the fit: a single day more than BAD_DAY_POINTS above the logged days either side of it
    (``bad_days``; anxiety that is back stays back, a bad night doesn't). The fit: every split of
    the other days into a first part (relief) and a second part, the one with the smallest sum of
    squared distances from the two parts' means (least squares, one change point).

    The second part is anxiety **back** (``is_back``) when its mean is within RELIEF_MARGIN of
    ``baseline`` or, when relief went deep, at least halfway back from the relief level to the
    baseline, and never more than FAR_BELOW_BASELINE below it; the first part must be at least
    MIN_RELIEF_DEPTH below ``baseline`` (measurable relief). The split must also earn its extra
    level (``_earns_second_level``), so two noisy days don't make a return. Without such a split,
    anxiety was back from the first logged day when all the days together sit less than
    MIN_RELIEF_DEPTH below the baseline (no measurable relief), else it is still in relief.

    ``confirm``: the second part needs at least 2 logged days.
    """
    bad = bad_days(values)
    kept = [index for index in range(len(values)) if index not in bad]
    values = [values[index] for index in kept]
    count = len(values)
    best, best_cost = None, None
    for split in range(1, count - (1 if confirm else 0)):
        low, high = values[:split], values[split:]
        low_mean, high_mean = sum(low) / len(low), sum(high) / len(high)
        if not is_back(low_mean, high_mean, baseline):
            continue
        cost = _sse(low) + _sse(high)
        if best_cost is None or cost < best_cost:
            best, best_cost = split, cost
    if best is not None and _earns_second_level(values[:best], values[best:]):
        return kept[best]
    if sum(values) / count >= baseline - MIN_RELIEF_DEPTH:
        return kept[0] if count >= (2 if confirm else 1) else None
    return None


def bad_days(values: list[float]) -> set[int]:
    """The indexes of single bad days in ``values``: more than BAD_DAY_POINTS above the values
    either side of them (never the first or the last, which have no day after or before)."""
    return {index for index in range(1, len(values) - 1)
            if values[index] - max(values[index - 1], values[index + 1]) > BAD_DAY_POINTS}


def _sse(values: list[float]) -> float:
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values)


def _earns_second_level(low: list[float], high: list[float]) -> bool:
    """Whether two levels (``low`` then ``high``) fit the days better than one by more than the
    extra level costs: n·ln(SSE₁/SSE₂) > CHANGE_PENALTY·ln n (a BIC-style test).

    A single bad day inside relief (the relief's highest day, more than BAD_DAY_POINTS above the
    rest of it) is left out of the test: it inflates both sums of squares alike and would
    otherwise hide a return that is plainly there. It stays in the fit itself."""
    low = list(low)
    if len(low) >= 3:
        highest = max(low)
        rest = list(low)
        rest.remove(highest)
        if highest - sum(rest) / len(rest) > BAD_DAY_POINTS:
            low = rest
    count = len(low) + len(high)
    gain = count * math.log((_sse(low + high) + SSE_FLOOR) / (_sse(low) + _sse(high) + SSE_FLOOR))
    return gain > CHANGE_PENALTY * math.log(count)


def is_back(relief_level: float, level: float, baseline: float) -> bool:
    """Whether ``level`` (after ``relief_level``) is anxiety back near ``baseline``: below it by
    at most RELIEF_MARGIN, or by at most FAR_BELOW_BASELINE when that is still at least halfway
    from the relief level to the baseline. Relief itself must have been measurable: at least
    MIN_RELIEF_DEPTH below the baseline."""
    if relief_level > baseline - MIN_RELIEF_DEPTH:
        return False
    halfway = (relief_level + baseline) / 2
    return level >= max(baseline - FAR_BELOW_BASELINE, min(baseline - RELIEF_MARGIN, halfway))


class ReliefRule(Protocol):
    """relief_after's signature: how measure() calls a rule."""

    def __call__(self, means: Mapping[dt.date, float], last_session: dt.date, baseline: float | None,
                 follow_until: dt.date, *, next_series: bool, next_rating: float | None
                 ) -> tuple[int | None, str, dt.date | None]: ...


def measure(sessions: Iterable[Mapping[str, Any]], means: Mapping[dt.date, float], today: dt.date,
            rule: ReliefRule = relief_after) -> list[Series]:
    """A Series per group of sessions, oldest first, each with its baseline and relief (``rule``:
    relief_after, or another rule with its signature to measure beside it, bench/relief_validation.py)."""
    groups = group_series(sessions)
    result: list[Series] = []
    clean = None  # the most recent uncontaminated baseline: (value, source, days, series number)
    for index, group in enumerate(groups):
        number = index + 1
        start, end = _as_date(group[0]["date"]), _as_date(group[-1]["date"])
        week_first = start - dt.timedelta(days=BASELINE_DAYS)
        rating = group[0].get("anxiety_before")
        own: tuple[float | None, str, int, int] | None
        own, note = None, None
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
            previous = result[-1]
            if previous.back_by:
                value, days = window_stats(means, max(week_first, previous.back_by), start - dt.timedelta(days=1))
                if days >= WEEK_BEFORE_MIN_DAYS:
                    own = (value, "week_before", days, number)
                elif clean is None and rating is not None:
                    own = (float(rating), "session_rating", 0, number)
                note = "too_few_days"
            else:
                last_seen = previous.end + dt.timedelta(days=previous.relief_days or 0)
                in_relief = previous.status == "censored" and (start - last_seen).days - 1 <= MAX_GAP_DAYS
                note = "previous_relief" if in_relief else "too_few_days"
        chosen = own or clean
        if own is not None:
            clean = own
        baseline, source, days, measured_in = chosen if chosen else (None, None, 0, None)
        follow_until = today
        if index + 1 < len(groups):
            follow_until = min(today, _as_date(groups[index + 1][0]["date"]) - dt.timedelta(days=1))
        next_rating = groups[index + 1][0].get("anxiety_before") if index + 1 < len(groups) else None
        relief_days, status, returned_on = rule(means, end, baseline, follow_until, next_series=follow_until < today,
                                                next_rating=next_rating)
        back_by = returned_on or seen_back(means, end, baseline, relief_days, status, follow_until)
        result.append(Series(tuple(group), start, end, baseline, source, days, measured_in, relief_days, status,
                             returned_on, None if own is not None else note, back_by))
    return result


def seen_back(means: Mapping[dt.date, float], last_session: dt.date, baseline: float | None, relief_days: int | None,
              status: str, follow_until: dt.date) -> dt.date | None:
    """The day anxiety was seen back after a return whose day is unknown (first seen after a gap
    in logging, so relief is censored): the first logged day after the relief's last day that is
    back (``is_back`` against the relief days' mean), confirmed by the logged day after it. None
    when there is no such day, or when relief was not censored by a gap (the change-point rule
    then still counts it as relief, and nothing may say otherwise)."""
    if status != "censored" or baseline is None or relief_days is None:
        return None
    last_relief_day = last_session + dt.timedelta(days=relief_days)
    after = [day for day in dates_between(last_relief_day + dt.timedelta(days=1), follow_until) if day in means]
    if not after or (after[0] - last_relief_day).days - 1 <= MAX_GAP_DAYS:
        return None
    level = window_mean(means, last_session + dt.timedelta(days=1), last_relief_day)
    if level is None:
        return None
    for day, following in zip(after, after[1:]):
        if is_back(level, means[day], baseline) and is_back(level, means[following], baseline):
            return day
    return None


@dataclass(frozen=True)
class Typical:
    median_days: float | None
    low: float | None     # Kaplan–Meier 25th percentile (None: not reached)
    high: float | None    # 75th percentile (None: not reached, "at least")
    returned: int
    censored: int
    ci_low: float | None = None    # 95 % confidence interval of the median (None: not estimable)
    ci_high: float | None = None
    observed_min: int | None = None  # the shortest and longest relief of the series that returned
    observed_max: int | None = None
    no_relief: bool = False
    method: str = "kaplan-meier"

    @property
    def enough(self) -> bool:
        return self.returned >= MIN_RETURNED and self.median_days is not None and not self.no_relief

    @property
    def status(self) -> str:
        """``enough``, ``no_relief`` or ``not_enough_data``."""
        return "no_relief" if self.no_relief else "enough" if self.enough else "not_enough_data"


def typical(series: Sequence[Series]) -> "Typical":
    """Kaplan–Meier over the series with a relief duration (returned or censored), the 95 %
    confidence interval of its median, the observed range, and whether no series brought relief."""
    measured = [s for s in series if s.status in ("returned", "censored")]
    # Every one has a length (relief_after gives returned and censored series one): the filter tells mypy.
    durations = [s.relief_days for s in measured if s.relief_days is not None]
    observed = [s.status == "returned" for s in measured]
    steps = kaplan_meier(durations, observed)
    back = [days for days, returned in zip(durations, observed) if returned]
    ci_low, ci_high = median_confidence_interval(durations, observed) if measured else (None, None)
    # A non-responder: no measured series held relief beyond a day (MIN_RETURNED came back at least;
    # one cut short after a day or less, by the next session or a gap in logging, says the same).
    no_relief = len(back) >= MIN_RETURNED and all(days <= NO_RELIEF_DAYS for days in durations)
    return Typical(quantile(steps, 0.5), quantile(steps, 0.25), quantile(steps, 0.75), len(back),
                   len(measured) - len(back), ci_low, ci_high, min(back, default=None), max(back, default=None),
                   no_relief)


@dataclass(frozen=True)
class Forecast:
    last_session: dt.date | None
    days_since: int | None
    return_from: float | None
    return_to: float | None
    status: str  # within | approaching | past | unknown | no_relief

    @property
    def fade_from(self) -> dt.date | None:
        """The first calendar day of the usual return window after the last session, or None."""
        return (self.last_session + dt.timedelta(days=round(self.return_from))
                if self.return_from and self.last_session else None)

    @property
    def fade_to(self) -> dt.date | None:
        return (self.last_session + dt.timedelta(days=round(self.return_to))
                if self.return_to and self.last_session else None)


def forecast(series: Sequence[Series], summary: "Typical", today: dt.date) -> "Forecast":
    """Where today sits against the usual return window, counted from the last session.

    The window is the days after a session on which anxiety usually came back: relief of ``low``
    to ``high`` days means back on day low + 1 to high + 1 (``fade_from`` to ``fade_to`` as
    dates; no end when ``high`` isn't reached). within: more than 2 days before the window;
    approaching: from 2 days before it to its last day; past: after it, or anxiety has already come
    back since the last session (or was seen back after a gap in logging); no_relief:
    no series brought relief of more than a day; unknown: no sessions, or not enough returned series.
    """
    if not series:
        return Forecast(None, None, None, None, "unknown")
    last = series[-1]
    days_since = max(0, (today - last.end).days)
    if summary.no_relief:
        return Forecast(last.end, days_since, None, None, "no_relief")
    if not summary.enough:
        return Forecast(last.end, days_since, None, None, "unknown")
    assert summary.median_days is not None  # enough has a median
    back_from = (summary.low if summary.low is not None else summary.median_days) + 1
    # Without a 75th percentile (a quarter of the rounds or more outlasted every return) the
    # window has no end: relief may start to fade from back_from on.
    back_to = summary.high + 1 if summary.high is not None else None
    if last.status == "returned" or last.back_by is not None or (back_to is not None and days_since > back_to):
        status = "past"  # back already (or seen back after a gap), or later than it has ever lasted
    elif days_since >= back_from - APPROACHING_DAYS:
        status = "approaching"
    else:
        status = "within"
    return Forecast(last.end, days_since, back_from, back_to, status)


def outlook(sessions: Iterable[Mapping[str, Any]], means: Mapping[dt.date, float],
            today: dt.date) -> tuple[list[Series], Typical, Forecast]:
    """``(series, typical, forecast)`` for every session of a patient."""
    series = measure(sessions, means, today)
    summary = typical(series)
    return series, summary, forecast(series, summary, today)


class SameDay(TypedDict):
    before: int | None  # the session's own ratings
    after: int | None
    later: list[int]  # the day's check-ins after it
    later_mean: float | None


def same_day(session: Mapping[str, Any], checkins: Iterable[Mapping[str, Any]]) -> SameDay:
    """The response within hours: the session's before → after, and the check-ins later that day.

    "Later" means a later time of day when both have one; otherwise saved after the session.
    :param checkins: that day's check-ins, ``[{time, created_at, anxiety}]``.
    """
    def after(checkin: Mapping[str, Any]) -> bool:
        if checkin["time"] and session.get("time"):
            return checkin["time"] > session["time"]
        return (checkin["created_at"] or "") > (session.get("created_at") or "")

    later = [c["anxiety"] for c in checkins if after(c)]
    return {"before": session.get("anxiety_before"), "after": session.get("anxiety_after"), "later": later,
            "later_mean": sum(later) / len(later) if later else None}


class SessionRow(TypedDict):
    session: Mapping[str, Any]
    series: int  # 1-based
    baseline: float | None
    baseline_source: str | None
    baseline_days: int
    baseline_series: int | None
    baseline_note: str | None
    mean_days_1_3: float | None
    mean_days_4_7: float | None
    relief_days: int | None
    relief_status: str  # the series' status on its last session, else in_series
    same_day: SameDay


def session_rows(sessions: Iterable[Mapping[str, Any]], series: Sequence[Series], means: Mapping[dt.date, float],
                 today: dt.date, checkins_by_date: Mapping[str, Iterable[Mapping[str, Any]]] | None = None
                 ) -> list[SessionRow]:
    """Per session (date order): its series, the series' baseline, the day 1–3 and 4–7 means cut
    at the next session, the same-day response, and the series' relief on its last session
    ("in_series" on the others, whose relief is measured from the series' last session).

    :param checkins_by_date: {ISO date: that day's check-ins} for the same-day response.
    """
    checkins_by_date = checkins_by_date or {}
    ordered = [s for group in series for s in group.sessions]
    days = sorted({_as_date(s["date"]) for s in ordered})
    wanted = {s["id"] for s in sessions}
    rows: list[SessionRow] = []
    for number, group in enumerate(series, start=1):
        for session in group.sessions:
            if session["id"] not in wanted:
                continue
            day = _as_date(session["date"])
            later = [d for d in days if d > day]
            stop = min(later[0] - dt.timedelta(days=1), today) if later else today

            def window(first: int, last: int) -> float | None:
                until = min(day + dt.timedelta(days=last), stop)
                return window_mean(means, day + dt.timedelta(days=first), until) if until >= day else None

            is_last = session is group.sessions[-1]
            rows.append({
                "session": session, "series": number, "baseline": group.baseline,
                "baseline_source": group.baseline_source, "baseline_days": group.baseline_days,
                "baseline_series": group.baseline_series, "baseline_note": group.baseline_note,
                "mean_days_1_3": window(1, 3), "mean_days_4_7": window(4, 7),
                "relief_days": group.relief_days if is_last else None,
                "relief_status": group.status if is_last else "in_series",
                "same_day": same_day(session, checkins_by_date.get(session["date"], [])),
            })
    return rows


def _days(n: float) -> Msg:
    return plural_msg("%(num)d day", "%(num)d days", round(n))


@dataclass(frozen=True)
class Words:
    headline: Msg        # the answer itself, in large type
    sentence: Msg        # one or two plain sentences with the date window
    method: tuple        # how it is worked out: only the notes that apply to this diary (Msg each)


def words(series: Sequence[Series], summary: "Typical", outlook: "Forecast", reader: str = "patient") -> Words:
    """The answer in plain words, as facts about past sessions, never advice on its own: messages
    worded in the reader's language where they are shown (diary/messages.py).

    :param reader: "patient" (Trends: "your last session", and when timing may be worth raising
        with the clinic) or "clinician" (the printed report and the provider's page: the same
        facts about the patient, with nothing the reader is told to do).
    """
    for_patient = reader == "patient"
    if not series:
        if for_patient:
            return Words(msg("How long relief lasts will show here"),
                         msg("Log your treatment sessions and check in most days: after a couple of sessions this "
                             "shows how long relief lasts for you."), ())
        return Words(msg("No treatment sessions yet"),
                     msg("No treatment sessions logged yet, so how long relief lasts can't be shown."), ())
    measured = summary.returned + summary.censored
    method = _method(summary, measured)
    if summary.no_relief:
        method = method[:1]  # how a return is read; no lengths, ranges or intervals of zero days
        if for_patient:
            text = plural_msg("So far no session has brought your anxiety down for more than a day (%(num)d round "
                              "of treatment measured). That is worth talking over with your clinic.",
                              "So far no session has brought your anxiety down for more than a day (%(num)d rounds "
                              "of treatment measured). That is worth talking over with your clinic.", measured)
        else:
            text = plural_msg("So far no session has brought the patient’s anxiety down for more than a day "
                              "(%(num)d round of treatment measured).",
                              "So far no session has brought the patient’s anxiety down for more than a day "
                              "(%(num)d rounds of treatment measured).", measured)
        return Words(msg("No measurable relief so far"), text, method)
    if summary.returned >= MIN_RETURNED and summary.median_days is None:
        # Enough returns, but in most rounds the next session (or today) came first.
        # Most rounds outlasted every return: say how long those did, at the least.
        assert summary.observed_max is not None  # the longest of the returns
        long = sorted(s.relief_days for s in series
                      if s.status == "censored" and s.relief_days is not None and s.relief_days > summary.observed_max)
        headline = (msg("Relief has lasted at least %(days)s in %(rounds)s of %(measured)s rounds",
                        days=_days(long[0]), rounds=len(long), measured=measured) if long else
                    msg("Relief has often lasted until the next session"))
        return Words(headline,
                     msg("In most rounds of treatment so far, the next session or today came before anxiety did, "
                         "so a typical length can't be given yet."), method)
    if not summary.enough:
        needed = MIN_RETURNED - summary.returned
        counts = {"needed_rounds": MIN_RETURNED, "so_far": summary.returned, "more": needed}
        if for_patient:
            text = msg("That needs %(needed_rounds)s rounds of treatment after which anxiety came back, with "
                       "check-ins in between (%(so_far)s so far, %(more)s more needed). Keep checking in most days, "
                       "especially in the weeks after a session.", **counts)
        else:
            text = msg("That needs %(needed_rounds)s rounds of treatment after which anxiety came back, with "
                       "check-ins in between (%(so_far)s so far, %(more)s more needed).", **counts)
        return Words(msg("Not enough yet to say how long relief lasts"), text, method)
    # Enough has a median; and with sessions, the outlook has a last session.
    assert summary.median_days is not None and outlook.last_session is not None and outlook.days_since is not None
    # Only the patient is pointed to their clinic; the clinician reading the report is the clinic.
    timing = msg(": you may want to talk to your clinic about timing.") if for_patient else "."
    span, last = _span(summary, for_patient), series[-1]
    since = (msg("your last session on %(date)s", date=outlook.last_session) if for_patient else
             msg("the patient’s last session on %(date)s", date=outlook.last_session))
    days_since = _days(outlook.days_since)
    if last.status == "returned":
        assert last.relief_days is not None  # a return has a length
        text = msg("%(span)s. Since %(since)s (%(days_since)s ago), anxiety came back after %(lasted)s%(timing)s",
                   span=span, since=since, days_since=days_since, lasted=_lasted(last.relief_days), timing=timing)
    elif last.back_by is not None:
        assert last.relief_days is not None  # censored by a gap: at least this long
        text = msg("%(span)s. Since %(since)s, anxiety was back by %(back_by)s, after at least %(lasted)s (the days "
                   "between had no check-ins)%(timing)s", span=span, since=since, back_by=last.back_by,
                   lasted=_lasted(last.relief_days), timing=timing)
    elif outlook.status == "past":
        assert outlook.fade_to is not None  # past a window with an end (the others are returned or back_by)
        text = msg("%(span)s, so after %(since)s it would usually have started to fade by %(fade_to)s. It has been "
                   "%(days_since)s, longer than it has usually lasted.", span=span, since=since,
                   fade_to=outlook.fade_to, days_since=days_since)
    else:
        text = msg("%(span)s, so after %(since)s it may start to fade %(window)s.", span=span, since=since,
                   window=_fade_window(outlook))
        # "About when it has faded before" only inside a window with an end (or up to the median).
        usual = outlook.fade_to is not None or outlook.days_since <= summary.median_days + 1
        if outlook.status == "approaching":
            text = (msg("%(sentence)s It has been %(days_since)s, about when it has faded before%(timing)s",
                        sentence=text, days_since=days_since, timing=timing) if usual else
                    msg("%(sentence)s It has been %(days_since)s.", sentence=text, days_since=days_since))
    if last.status == "censored" and last.back_by is None and last.relief_days is not None:
        last_checked = last.end + dt.timedelta(days=last.relief_days)
        if outlook.days_since - last.relief_days > MAX_GAP_DAYS:
            text = msg("%(sentence)s The last check-in since then was on %(date)s.", sentence=text, date=last_checked)
    return Words(msg("Relief usually lasts %(length)s", length=_about(summary.median_days)), text, method)


def _span(summary: Typical, for_patient: bool) -> Msg:
    """How long relief lasted, as the sentence opens: the rounds' own lengths under FEW_ROUNDS, else
    the interquartile range said as what it is ("Half of your rounds … lasted 7–12 days")."""
    if summary.returned < FEW_ROUNDS:
        shortest, longest = summary.observed_min, summary.observed_max
        assert longest is not None  # enough: MIN_RETURNED came back
        return (msg("Relief has lasted %(lasted)s", lasted=_lasted(longest)) if shortest == longest else
                msg("Relief has lasted %(shortest)s–%(longest)s", shortest=shortest, longest=_days(longest)))
    if summary.high is None:
        assert summary.median_days is not None  # enough has a median
        return (msg("Half of your rounds of treatment lasted %(lasted)s or longer",
                    lasted=_lasted(summary.median_days)) if for_patient else
                msg("Half of the patient’s rounds of treatment lasted %(lasted)s or longer",
                    lasted=_lasted(summary.median_days)))
    assert summary.low is not None  # at or before the 75th percentile, which is reached
    if summary.low == summary.high:
        return msg("Relief has usually lasted %(lasted)s", lasted=_lasted(summary.low))
    values = {"low": round(summary.low), "high": _days(summary.high)}
    return (msg("Half of your rounds of treatment lasted %(low)s–%(high)s", **values) if for_patient else
            msg("Half of the patient’s rounds of treatment lasted %(low)s–%(high)s", **values))


def _fade_window(outlook: Forecast) -> Msg:
    """'between Tue 8 and Fri 11 Dec', 'around Tue 8 Dec', or 'from Tue 8 Dec' (no end)."""
    assert outlook.fade_from is not None  # enough: the window has a start
    if outlook.fade_to is None:
        return msg("from %(date)s", date=outlook.fade_from)
    if outlook.fade_from == outlook.fade_to:
        return msg("around %(date)s", date=outlook.fade_from)
    return msg("between %(first)s and %(last)s", first=_first_of_span(outlook.fade_from, outlook.fade_to),
               last=outlook.fade_to)


def _lasted(n: float) -> Msg:
    """'less than a day' for 0, else '9 days'."""
    return msg("less than a day") if round(n) == 0 else _days(n)


def _about(n: float) -> Msg:
    return msg("less than a day") if round(n) == 0 else msg("about %(days)s", days=_days(n))


def _first_of_span(first: dt.date, last: dt.date) -> dt.date | DayOnly:
    """The first of two dates as "Wed 9" when the second, in the same month, names it, else in full."""
    return DayOnly(first) if (first.year, first.month) == (last.year, last.month) else first


def _method(summary: Typical, measured: int) -> tuple[Msg, ...]:
    """How the answer is worked out, said once: only what applies to this diary."""
    margin, far = f"{RELIEF_MARGIN:g}", f"{FAR_BELOW_BASELINE:g}"
    notes = [msg("Relief is counted from the last session of each series (sessions up to %(gap)s days apart) to "
                 "the day anxiety is back near where it was before: within %(margin)s point of that baseline, or "
                 "halfway back to it (or more) from the relief level and within %(far)s (when the days just before "
                 "it went unlogged, the middle of them). One bad day inside relief does not end it: a return needs "
                 "the next logged day, or the rating before the next session, to confirm it.",
                 gap=SERIES_GAP_DAYS, margin=margin, far=far)]
    if summary.returned:
        shortest, longest = summary.observed_min, summary.observed_max
        assert shortest is not None and longest is not None  # some came back
        notes.append(plural_msg("The %(num)d round that ended lasted %(lasted)s.",
                                "The %(num)d rounds that ended lasted %(lasted)s.", summary.returned,
                                lasted=_days(shortest)) if shortest == longest else
                     plural_msg("The %(num)d round that ended lasted %(shortest)s–%(longest)s.",
                                "The %(num)d rounds that ended lasted %(shortest)s–%(longest)s.", summary.returned,
                                shortest=shortest, longest=_days(longest)))
    if summary.median_days is not None:
        rounds = plural_msg("%(num)d round", "%(num)d rounds", measured)
        if summary.censored:
            notes.append(plural_msg(
                "The typical length is the Kaplan–Meier median over %(rounds)s; %(num)d still in relief when last "
                "checked counts as “at least” that long.",
                "The typical length is the Kaplan–Meier median over %(rounds)s; %(num)d still in relief when last "
                "checked count as “at least” that long.", summary.censored, rounds=rounds))
        else:
            notes.append(msg("The typical length is the Kaplan–Meier median over %(rounds)s.", rounds=rounds))
        if summary.ci_low is not None and summary.ci_high is None:
            notes.append(msg("From these rounds the typical length is at least %(lasted)s (a 95%% confidence "
                             "interval that has no upper end yet).", lasted=_lasted(summary.ci_low)))
        elif summary.ci_low is not None and summary.ci_low == summary.ci_high:
            notes.append(msg("From these rounds the typical length is %(lasted)s (a 95%% confidence interval).",
                             lasted=_lasted(summary.ci_low)))
        elif summary.ci_low is not None and summary.ci_high is not None:
            notes.append(msg("From these rounds the typical length could be anywhere from %(low)s to %(high)s (a "
                             "95%% confidence interval).", low=round(summary.ci_low), high=_days(summary.ci_high)))
    return tuple(notes)
