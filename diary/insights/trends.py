"""Everything the Trends page and GET /api/v1/trends show, from rows, in one pure function."""
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NotRequired, TypedDict

from ..messages import Msg
from ..timeutil import iso_date
from . import relief
from .daily import Totals, Week, daily_series, days_logged, means_of, monthly_series, weekly_series
from .response import course
from .side_effects import SideEffectSummary
from .side_effects import summarize as side_effect_summary
from .triggers import describe, effects_from_sums

LOGGING_WINDOW = 30
# Beyond a year a day is under a quarter of a pixel on a phone: build(for_page=True) gives a point per week.
WEEKLY_AFTER_DAYS = 366


def rounded(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round(value, places)


# What each session row repeats from the session itself (the report's table shows them).
SESSION_KEYS = ("id", "date", "time", "treatment", "dose_mg", "dose_unit", "dose_value", "weight_kg",
                "anxiety_before", "anxiety_after", "side_effects")


class Point(TypedDict):
    """A point of the chart: a day, or (``resolution`` "week") a calendar week, with ``to`` and ``days_logged``."""
    date: str
    mean: float | None
    min: int | None
    max: int | None
    count: int
    rolling_mean_7: float | None
    to: NotRequired[str]
    days_logged: NotRequired[int]


# A row of the table under the chart: a logged day, or a month (``months``).
TableRow = TypedDict("TableRow", {"label": str, "from": str, "to": str, "days_logged": int, "mean": float | None,
                                  "min": int | None, "max": int | None})


class ReliefSeries(TypedDict):
    sessions: list[str]  # ids
    start: str
    end: str
    baseline: float | None
    baseline_source: str | None
    baseline_days: int
    baseline_series: int | None
    baseline_note: str | None
    relief_days: int | None
    status: str


class ReliefTypical(TypedDict):
    median_days: float | None
    low: float | None
    high: float | None
    ci_low: float | None
    ci_high: float | None
    observed_min: int | None
    observed_max: int | None
    returned: int
    censored: int
    method: str
    enough: bool


class ReliefForecast(TypedDict):
    last_session: str | None
    days_since: int | None
    return_from: float | None
    return_to: float | None
    fade_from: str | None
    fade_to: str | None
    status: str


class Relief(TypedDict):
    series: list[ReliefSeries]
    status: str
    typical: ReliefTypical
    forecast: ReliefForecast
    headline: Msg           # messages, worded where shown (diary/messages.py)
    sentence: Msg
    method: list[Msg]
    clinician_headline: Msg
    clinician_sentence: Msg


class TriggerRow(TypedDict):
    name: str
    days_with: int
    days_without: int
    mean_with: float | None
    mean_without: float | None
    difference: float | None
    sentence: Msg


class CourseSummary(TypedDict):
    first_session: str | None
    baseline: float | None
    recent_mean: float | None
    change: float | None
    percent_change: float | None
    response: bool | None
    remission: bool | None
    baseline_days: int
    recent_days: int


class Logging(TypedDict):
    days_logged_last_30: int
    days_logged_in_range: int
    days_in_range: int
    since_start: NotRequired[bool]  # added by services.trends


# What build() returns.
Trends = TypedDict("Trends", {
    "from": str, "to": str, "resolution": str, "days": list[Point],
    "sessions": list[dict[str, Any]],  # SESSION_KEYS of each session, then its relief.session_rows figures
    "relief": Relief, "side_effects": list[SideEffectSummary], "triggers": list[TriggerRow],
    "course": CourseSummary, "logging": Logging, "assessments": list[dict[str, Any]],
    "months": NotRequired[list[TableRow]],
})


def relief_summary(sessions: Iterable[Mapping[str, Any]], relief_means: Mapping[dt.date, float],
                   today: dt.date) -> tuple[list[relief.Series], Relief]:
    """The ``relief`` part of the trends, and the series it was measured on."""
    series, summary, outlook = relief.outlook(sessions, relief_means, today)
    patient = relief.words(series, summary, outlook)
    clinician = relief.words(series, summary, outlook, reader="clinician")
    return series, {
        "series": [{
            "sessions": [s["id"] for s in group.sessions], "start": group.start.isoformat(),
            "end": group.end.isoformat(), "baseline": rounded(group.baseline),
            "baseline_source": group.baseline_source, "baseline_days": group.baseline_days,
            "baseline_series": group.baseline_series, "baseline_note": group.baseline_note,
            "relief_days": group.relief_days, "status": group.status,
        } for group in series],
        "status": summary.status,
        "typical": {
            "median_days": summary.median_days, "low": summary.low, "high": summary.high,
            "ci_low": summary.ci_low, "ci_high": summary.ci_high,
            "observed_min": summary.observed_min, "observed_max": summary.observed_max,
            "returned": summary.returned, "censored": summary.censored, "method": summary.method,
            "enough": summary.enough,
        },
        "forecast": {
            "last_session": iso_date(outlook.last_session), "days_since": outlook.days_since,
            "return_from": outlook.return_from, "return_to": outlook.return_to,
            "fade_from": iso_date(outlook.fade_from), "fade_to": iso_date(outlook.fade_to), "status": outlook.status,
        },
        "headline": patient.headline,
        "sentence": patient.sentence,
        "method": list(patient.method),
        "clinician_headline": clinician.headline,
        "clinician_sentence": clinician.sentence,
    }


def build(totals: Mapping[dt.date, Totals], trigger_sums: Iterable[tuple[str, int, float]],
          sessions: Sequence[Mapping[str, Any]], start: dt.date, end: dt.date, today: dt.date,
          assessments: Iterable[Mapping[str, Any]] = (), relief_means: Mapping[dt.date, float] | None = None,
          checkins_by_date: Mapping[str, Iterable[Mapping[str, Any]]] | None = None, for_page: bool = False) -> Trends:
    """The trends for ``start``..``end``.

    :param totals: {date: DayTotal} per logged day, covering at least ``start`` - 7 days to
        ``today`` and the 7 days before the first session (for baselines and rolling means).
    :param trigger_sums: ``(name, days with it, sum of their means)`` per trigger in the range.
    :param sessions: every treatment session of the patient (dicts with date, id, treatment...).
    :param assessments: GAD-7 / PHQ-9 results in the range (any order).
    :param relief_means: {date: daily mean} from the week before the first session to today, for
        relief across every series (defaults to the means of ``rows``).
    :param checkins_by_date: {ISO date: [{time, created_at, anxiety}]} on the sessions' days.
    :param for_page: shaped for the Trends page and the report: when the period is longer than
        ``WEEKLY_AFTER_DAYS``, ``days`` holds a point per calendar week (with ``to`` and
        ``days_logged``; no rolling mean) instead of per day; beyond ``DAILY_TABLE_MAX_DAYS``,
        ``months`` holds the table under the chart (table_rows).
    """
    means = means_of(totals)
    weekly = for_page and (end - start).days + 1 > WEEKLY_AFTER_DAYS
    in_range = [mean for day, mean in means.items() if start <= day <= end]
    first_session = min((s["date"] for s in sessions), default=None)
    sessions_in_range = [s for s in sessions if start.isoformat() <= s["date"] <= end.isoformat()]
    effects = effects_from_sums(trigger_sums, len(in_range), sum(in_range))
    summary = course(first_session, means, today)
    relief_means = means if relief_means is None else relief_means
    relief_series, relief_part = relief_summary(sessions, relief_means, today)
    result: Trends = {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "resolution": "week" if weekly else "day",
        "days": [_week(week) for week in weekly_series(totals, start, end, means)] if weekly else [{
            "date": day.date.isoformat(), "mean": rounded(day.mean), "min": day.min, "max": day.max,
            "count": day.count, "rolling_mean_7": rounded(day.rolling_mean_7),
        } for day in daily_series(totals, start, end, means)],
        "sessions": [{
            **{key: r["session"].get(key) for key in SESSION_KEYS},
            "series": r["series"], "baseline": rounded(r["baseline"]), "baseline_source": r["baseline_source"],
            "baseline_days": r["baseline_days"], "baseline_series": r["baseline_series"],
            "baseline_note": r["baseline_note"],
            "mean_days_1_3": rounded(r["mean_days_1_3"]),
            "mean_days_4_7": rounded(r["mean_days_4_7"]), "relief_days": r["relief_days"],
            "relief_status": r["relief_status"],
            "same_day": {**r["same_day"], "later_mean": rounded(r["same_day"]["later_mean"])},
        } for r in relief.session_rows(sessions_in_range, relief_series, relief_means, today, checkins_by_date)],
        "relief": relief_part,
        # Over the whole course (every session), like relief: how often, how severe, fading or not.
        "side_effects": side_effect_summary(sessions),
        "triggers": [{
            "name": e.name, "days_with": e.days_with, "days_without": e.days_without,
            "mean_with": rounded(e.mean_with), "mean_without": rounded(e.mean_without),
            "difference": rounded(e.difference), "sentence": describe(e),
        } for e in effects],
        "course": {
            "first_session": first_session, "baseline": rounded(summary.baseline),
            "recent_mean": rounded(summary.recent_mean), "change": rounded(summary.change),
            "percent_change": rounded(summary.percent_change, 1), "response": summary.response,
            "remission": summary.remission, "baseline_days": summary.baseline_days,
            "recent_days": summary.recent_days,
        },
        "logging": {
            "days_logged_last_30": days_logged(means, today, LOGGING_WINDOW),
            "days_logged_in_range": len(in_range),
            "days_in_range": (end - start).days + 1,
        },
        "assessments": [
            {k: a[k] for k in ("id", "instrument", "date", "total", "severity")}
            for a in sorted(assessments, key=lambda a: (a["date"], a["created_at"]))
        ],
    }
    if for_page and (end - start).days + 1 > DAILY_TABLE_MAX_DAYS:
        result["months"] = [_month(*month) for month in monthly_series(totals, start, end, means)]
    return result


def _week(week: Week) -> Point:
    return {"date": week.date.isoformat(), "to": week.to.isoformat(), "mean": rounded(week.mean), "min": week.min,
            "max": week.max, "count": week.count, "days_logged": week.days_logged, "rolling_mean_7": None}


def window(today: dt.date, days: int | None, earliest: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """``(start, end)`` for the last ``days`` days ending today (``None``: all data), never starting
    before the diary's first record: a 90-day view of a 35-day-old diary shows its 35 days."""
    start = today - dt.timedelta(days=days - 1) if days is not None else today
    if earliest and (days is None or earliest > start):
        start = min(earliest, today)
    return start, today


PRETREATMENT_WEEKS_SHOWN = 4


def course_days(today: dt.date, first_session: dt.date | None, earliest: dt.date | None) -> int | None:
    """The default Trends period when treatment began within the last year: from 4 weeks before the
    first session (or the first record, if later) to today, so the pre-treatment weeks show.
    None otherwise (the caller's default applies)."""
    if first_session is None or (today - first_session).days >= 365:
        return None
    start = first_session - dt.timedelta(weeks=PRETREATMENT_WEEKS_SHOWN)
    if earliest and earliest > start:
        start = earliest
    return (today - start).days + 1


DAILY_TABLE_MAX_DAYS = 92


def table_rows(trends: Trends) -> list[TableRow]:
    """The chart as a table: a row per logged day for short ranges, per month (``months``, from
    build(for_page=True)) for long ones."""
    if "months" in trends:
        return trends["months"]
    return [{"label": day["date"], "from": day["date"], "to": day["date"], "days_logged": 1,
             "mean": day["mean"], "min": day["min"], "max": day["max"]}
            for day in reversed(trends["days"]) if day["count"]]


def _month(first: dt.date, days: int, mean: float, low: int | None, high: int | None) -> TableRow:
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return {"label": f"{first:%B %Y}", "from": first.isoformat(), "to": last.isoformat(), "days_logged": days,
            "mean": rounded(mean), "min": low, "max": high}
