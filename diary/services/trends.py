"""Trends for a patient, or for a provider (shared records only): fetch, then compute (insights)."""
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypedDict

from sqlite_utils import Database

from ..insights import reliable_change
from ..insights import trends as trends_insights
from ..insights.daily import Totals, totals_by_date
from ..insights.trends import TableRow, Trends
from ..schemas.trends import RANGES
from ..store import assessments as assessments_store
from ..store import entries as entries_store
from ..store import sessions as sessions_store
from ..store import sharing as sharing_store
from ..store import triggers as triggers_store
from ..store.entries import DayCheckin
from ..timeutil import today_in
from .memo import DiaryMemo

# Trends of the diaries viewed lately, per worker, while each diary and day stay the same: an
# all-time page of five years costs ~10 ms to compute and a reload nothing (docs/PERFORMANCE.md).
# An all-time result is ~0.5 MB; 32 of them bound a worker's share.
MEMO = DiaryMemo(size=32)


class TrendsPage(TypedDict):
    """What the patient's Trends page shows (``page``)."""
    range_name: str
    trends: Trends
    checkins: dict[str, list[DayCheckin]]
    table: list[TableRow]
    drawn: Mapping[str, Any]  # what the caller's ``draw`` made of it (the page's charts)
    trigger_ids: dict[str, int]  # each trigger's id by its name: History is filtered by id, not name


class Report(TypedDict):
    """The printable report (``report``): ``writings`` are check-ins and sessions with ``kind`` and ``text``."""
    trends: Trends
    start: dt.date
    writings: list[dict[str, Any]]


def gather(db: Database, user_id: int, timezone: str, days: int | None, *, include_private: bool = True,
           for_page: bool = False) -> Trends:
    """Fetch what the insights need for the last ``days`` days (None: all) and compute them.

    ``for_page``: shaped as the Trends page shows it (insights.trends.build): a point per week
    beyond a year, and the months of the table under the chart. The result is shared (MEMO):
    don't change it."""
    today = today_in(timezone)
    return MEMO.get(db, user_id, ("gather", days, include_private, for_page, today),
                    lambda: _gather(db, user_id, today, days, include_private=include_private, for_page=for_page))


def _gather(db: Database, user_id: int, today: dt.date, days: int | None, *, include_private: bool,
            for_page: bool) -> Trends:
    earliest = first_record(db, user_id, include_private=include_private)
    start, end = trends_insights.window(today, days, earliest)
    return gather_between(db, user_id, start, end, today, include_private=include_private,
                          since_start=earliest is not None and start == earliest, for_page=for_page)


# The per-day details on the Trends page carry each check-in up to this many days (beyond: the day's figures).
CHECKINS_DAYS_MAX = 366


Draw = Callable[[Trends, Mapping[str, list[DayCheckin]]], Mapping[str, Any]]


def page(db: Database, user_id: int, timezone: str, range_name: str | None = None, *, draw: Draw,
         language: str = "en") -> TrendsPage:
    """What the patient's Trends page shows for ``range_name`` (a key of RANGES, or None for the
    default period): ``range_name`` (the one shown), ``trends`` (for_page), ``checkins`` (by day,
    for the chart's day details), ``table``, and ``drawn``: ``draw(trends, checkins)``, the charts
    the view draws (diary/web/charts.py), kept with the rest while the diary and the day stay the
    same (drawing an all-time page took ~2 ms of a ~6 ms reload). Shared (MEMO): don't change it.

    :param language: the reader's: the charts are drawn in it, so it is part of what is kept.
    """
    today = today_in(timezone)
    key = ("page", range_name, today, f"{draw.__module__}.{draw.__qualname__}", language)
    return MEMO.get(db, user_id, key, lambda: _page(db, user_id, today, range_name, draw))


def _page(db: Database, user_id: int, today: dt.date, range_name: str | None, draw: Draw) -> TrendsPage:
    range_name, days = period(db, user_id, today, range_name)
    trends = _gather(db, user_id, today, days, include_private=True, for_page=True)
    checkins = checkins_by_day(db, user_id, trends, limit_days=CHECKINS_DAYS_MAX)
    return {"range_name": range_name, "trends": trends, "checkins": checkins,
            "table": trends_insights.table_rows(trends), "drawn": draw(trends, checkins),
            "trigger_ids": triggers_store.ids_by_name(db, user_id)}


def first_record(db: Database, user_id: int, *, include_private: bool = True) -> dt.date | None:
    """The date of the diary's first check-in or session, or None."""
    earliest = entries_store.first_date(db, user_id, include_private=include_private)
    return dt.date.fromisoformat(earliest) if earliest else None


def period(db: Database, user_id: int, today: dt.date, range_name: str | None = None, *,
           include_private: bool = True) -> tuple[str, int | None]:
    """``(range name, days)`` of a Trends period on ``today``: ``range_name`` is a key of RANGES, or
    None for the default (``course`` when treatment began within the last year, else ``90d``);
    ``days`` as gather() takes them (None: all). ``course`` without treatment in the last year is
    ``90d``. Without private records (a provider's view), from shared records only."""
    if range_name not in (None, "course"):
        return range_name, RANGES[range_name]
    course = _course_days(db, user_id, today, include_private=include_private)
    return ("course", course) if course else ("90d", RANGES["90d"])  # no treatment in the last year yet


def default_period(db: Database, user_id: int, today: dt.date, *,
                   include_private: bool = True) -> tuple[dt.date, dt.date]:
    """``(start, end)`` of the default Trends period (the course, else 90 days) ending ``today``."""
    _, days = period(db, user_id, today, include_private=include_private)
    assert days is not None  # the default period is the course or 90 days, never all of them
    return today - dt.timedelta(days=days - 1), today


def _course_days(db: Database, user_id: int, today: dt.date, *, include_private: bool = True) -> int | None:
    """Days for the Trends page's default period (the pre-treatment weeks when treatment began in
    the last year), or None to use the usual default."""
    first = sessions_store.first_date(db, user_id, include_private=include_private)
    return trends_insights.course_days(today, dt.date.fromisoformat(first) if first else None,
                                       first_record(db, user_id, include_private=include_private))


def insight_totals(db: Database, user_id: int, start: dt.date, end: dt.date, sessions: Sequence[Mapping[str, Any]], *,
                   include_private: bool) -> dict[dt.date, Totals]:
    """{date: totals} (insights.daily) from ``start`` to ``end``, plus the week before the first of ``sessions``
    (the pre-treatment baseline) where the window doesn't already cover it."""
    rows = entries_store.day_totals(db, user_id, start, end, include_private=include_private)
    if sessions:
        first = dt.date.fromisoformat(min(s["date"] for s in sessions))
        week_before = first - dt.timedelta(days=7)
        if week_before < start:
            last = min(first - dt.timedelta(days=1), start - dt.timedelta(days=1))
            rows = entries_store.day_totals(db, user_id, week_before, last, include_private=include_private) + rows
    return totals_by_date(rows)


def gather_between(db: Database, user_id: int, start: dt.date, end: dt.date, today: dt.date, *,
                   include_private: bool = True, since_start: bool = False, for_page: bool = False) -> Trends:
    """The insights for ``start``..``end`` (``today``: the patient's, for recent-course figures).

    ``since_start``: the period begins at the diary's first record (said so in the logging line).
    """
    sessions = sessions_store.list_sessions(db, user_id, include_private=include_private)
    # Rolling means and session baselines look back a week before the range.
    totals = insight_totals(db, user_id, start - dt.timedelta(days=7), end, sessions, include_private=include_private)
    triggers = entries_store.trigger_sums(db, user_id, start, end, include_private=include_private)
    # Every result, for each questionnaire's baseline (it may lie before the range).
    every_result = assessments_store.list_assessments(db, user_id, include_private=include_private)
    since = reliable_change.since_baseline(every_result, sessions[-1]["date"] if sessions else None)
    assessments = [a for a in every_result if start.isoformat() <= a["date"] <= end.isoformat()]
    # The rows already hold every day relief needs when they reach back to the first session's week
    # and up to today (the all-time range): no second query then.
    covered = not sessions or (end >= today and start - dt.timedelta(days=7) <= first_session_week(sessions))
    means = None if covered else relief_means(db, user_id, sessions, today, include_private=include_private)
    session_days = [s["date"] for s in sessions if start.isoformat() <= s["date"] <= end.isoformat()]
    same_day = entries_store.checkins_on_dates(db, user_id, session_days, include_private=include_private)
    result = trends_insights.build(totals, triggers, sessions, start, end, today, assessments, means, same_day,
                                   for_page=for_page)
    result["logging"]["since_start"] = since_start
    for point in result["assessments"]:
        label = since.get(point["id"])
        point["since_baseline"] = label.as_dict() if label else None
    return result


def first_session_week(sessions: Sequence[Mapping[str, Any]]) -> dt.date:
    """The first day of the week before the first of ``sessions`` (newest first)."""
    return dt.date.fromisoformat(sessions[-1]["date"]) - dt.timedelta(days=7)


def relief_means(db: Database, user_id: int, sessions: Sequence[Mapping[str, Any]], today: dt.date, *,
                 include_private: bool) -> dict[dt.date, float]:
    """Daily means since the week before the first of ``sessions`` (newest first), whatever range is
    shown: relief looks at every series. One grouped query."""
    if not sessions:
        return {}
    return entries_store.daily_means(db, user_id, first_session_week(sessions), today,
                                     include_private=include_private)


def private_left_out(db: Database, user_id: int) -> bool:
    """Whether the patient shares their diary and marked something private, so the numbers their
    clinicians see (without private records) can differ from their own."""
    return bool(sharing_store.care_team(db, user_id)) and any(
        store.has_private(db, user_id) for store in (entries_store, sessions_store, assessments_store))


def checkins_by_day(db: Database, user_id: int, trends: Trends, *, limit_days: int,
                    include_private: bool = True) -> dict[str, list[DayCheckin]]:
    """``{date: [{time, created_at, anxiety}, ...]}`` for the logged days of ``trends`` (each check-in
    the chart's day details list), or {} when the period is longer than ``limit_days`` (or weekly)."""
    if trends.get("resolution") == "week" or len(trends["days"]) > limit_days:
        return {}
    logged = [day["date"] for day in trends["days"] if day["count"]]
    return entries_store.checkins_on_dates(db, user_id, logged, include_private=include_private)


def report(db: Database, user_id: int, start: dt.date, end: dt.date, today: dt.date, *, with_notes: bool) -> Report:
    """The printable report of ``start``..``end``: the trends (from the diary's first record when
    the period begins before it) and, ``with_notes``, the notes and reflections written in it, in
    the order the days happened (time of day, then when saved)."""
    first = first_record(db, user_id)
    since_start = first is not None and start <= first <= end  # a period from the diary's start, or longer
    start = first if since_start and first is not None else start  # (since_start has a first record)
    trends = gather_between(db, user_id, start, end, today, since_start=since_start, for_page=True)
    writings: list[dict[str, Any]] = []
    if with_notes:
        dates: dict[str, Any] = {"date_from": start, "date_to": end}
        writings = [{**e, "kind": "note", "text": e["note"]}
                    for page in entries_store.export_pages(db, user_id, **dates) for e in page if e["note"]]
        writings += [{**s, "kind": "reflection", "text": s["reflection"]}
                     for page in sessions_store.export_pages(db, user_id, **dates) for s in page if s["reflection"]]
        writings.sort(key=lambda w: (w["date"], w["time"] or "", w["created_at"]))
    return {"trends": trends, "start": start, "writings": writings}
