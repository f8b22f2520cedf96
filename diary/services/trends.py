"""Trends for a patient, or for a provider (shared records only): fetch, then compute (insights)."""
import datetime as dt

from ..insights import trends as trends_insights
from ..insights.daily import totals_by_date
from ..store import assessments as assessments_store
from ..store import entries as entries_store
from ..store import sessions as sessions_store
from ..store import sharing as sharing_store
from ..timeutil import today_in


def gather(db, user_id, timezone, days, *, include_private=True, for_page=False):
    """Fetch what the insights need for the last ``days`` days (None: all) and compute them.

    ``for_page``: shaped as the Trends page shows it (insights.trends.build): a point per week
    beyond a year, and the months of the table under the chart."""
    today = today_in(timezone)
    earliest = first_record(db, user_id, include_private=include_private)
    start, end = trends_insights.window(today, days, earliest)
    return gather_between(db, user_id, start, end, today, include_private=include_private,
                          since_start=earliest is not None and start == earliest, for_page=for_page)


def first_record(db, user_id, *, include_private=True):
    """The date of the diary's first check-in or session, or None."""
    earliest = entries_store.first_date(db, user_id, include_private=include_private)
    return dt.date.fromisoformat(earliest) if earliest else None


def default_days(db, user_id, timezone):
    """Days for the Trends page's default period (the pre-treatment weeks when treatment began in
    the last year), or None to use the usual default."""
    sessions = sessions_store.list_sessions(db, user_id)
    first = dt.date.fromisoformat(sessions[-1]["date"]) if sessions else None
    return trends_insights.course_days(today_in(timezone), first, first_record(db, user_id))


def insight_totals(db, user_id, start, end, sessions, *, include_private):
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


def gather_between(db, user_id, start, end, today, *, include_private=True, since_start=False, for_page=False):
    """The insights for ``start``..``end`` (``today``: the patient's, for recent-course figures).

    ``since_start``: the period begins at the diary's first record (said so in the logging line).
    """
    sessions = sessions_store.list_sessions(db, user_id, include_private=include_private)
    # Rolling means and session baselines look back a week before the range.
    totals = insight_totals(db, user_id, start - dt.timedelta(days=7), end, sessions, include_private=include_private)
    triggers = entries_store.trigger_sums(db, user_id, start, end, include_private=include_private)
    assessments = assessments_store.list_assessments(db, user_id, date_from=start, date_to=end,
                                                     include_private=include_private)
    # The rows already hold every day relief needs when they reach back to the first session's week
    # and up to today (the all-time range): no second query then.
    covered = not sessions or (end >= today and start - dt.timedelta(days=7) <= first_session_week(sessions))
    means = None if covered else relief_means(db, user_id, sessions, today, include_private=include_private)
    session_days = [s["date"] for s in sessions if start.isoformat() <= s["date"] <= end.isoformat()]
    same_day = entries_store.checkins_on_dates(db, user_id, session_days, include_private=include_private)
    result = trends_insights.build(totals, triggers, sessions, start, end, today, assessments, means, same_day,
                                   for_page=for_page)
    result["logging"]["since_start"] = since_start
    return result


def first_session_week(sessions):
    """The first day of the week before the first of ``sessions`` (newest first)."""
    return dt.date.fromisoformat(sessions[-1]["date"]) - dt.timedelta(days=7)


def relief_means(db, user_id, sessions, today, *, include_private):
    """Daily means since the week before the first of ``sessions`` (newest first), whatever range is
    shown: relief looks at every series. One grouped query."""
    if not sessions:
        return {}
    return entries_store.daily_means(db, user_id, first_session_week(sessions), today,
                                     include_private=include_private)


def private_left_out(db, user_id):
    """Whether the patient shares their diary and marked something private, so the numbers their
    clinicians see (without private records) can differ from their own."""
    return bool(sharing_store.care_team(db, user_id)) and any(
        store.has_private(db, user_id) for store in (entries_store, sessions_store, assessments_store))


def checkins_by_day(db, user_id, trends, *, limit_days, include_private=True):
    """``{date: [{time, created_at, anxiety}, ...]}`` for the logged days of ``trends`` (each check-in
    the chart's day details list), or {} when the period is longer than ``limit_days`` (or weekly)."""
    if trends.get("resolution") == "week" or len(trends["days"]) > limit_days:
        return {}
    logged = [day["date"] for day in trends["days"] if day["count"]]
    return entries_store.checkins_on_dates(db, user_id, logged, include_private=include_private)
