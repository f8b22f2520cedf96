"""GAD-7 / PHQ-9 for a patient: a result with its change since the last one, and when they're due."""
import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict, cast

from sqlite_utils import Database

from ..insights import reliable_change, relief
from ..insights.questionnaires import INSTRUMENTS, RECALL_DAYS, Instrument
from ..insights.reliable_change import SinceBaseline
from ..messages import Msg
from ..store import assessments as assessments_store
from ..store import schedules as schedules_store
from ..store import sessions as sessions_store
from ..store import users as users_store
from ..store.assessments import Assessment
from ..store.users import User
from ..vocabulary import SCHEDULE_CADENCES, SCHEDULE_LABELS

DUE_CARD = "questionnaires_due"


class Result(TypedDict):
    """One of the patient's results with the one before it and against its baseline (``result``)."""
    assessment: Assessment
    instrument: Instrument
    previous: Assessment | None
    change: int | None
    since_baseline: SinceBaseline | None
    since_baseline_text: Msg | None


def since_baseline(db: Database, user_id: int, *, include_private: bool = True) -> dict[str, SinceBaseline]:
    """``{result id: SinceBaseline}``: each of the patient's results against its questionnaire's
    baseline (insights.reliable_change), from shared records only without ``include_private``."""
    sessions = sessions_store.list_sessions(db, user_id, include_private=include_private)  # newest first
    results = assessments_store.list_assessments(db, user_id, include_private=include_private)
    return reliable_change.since_baseline(results, sessions[-1]["date"] if sessions else None)


class Due(TypedDict):
    """The questionnaires the Today card asks for, since when, and the clinician whose schedule
    asks for them (None: the patient's default) (``due``)."""
    instruments: list[Instrument]
    since: dt.date
    set_by: str | None
    schedule: Msg | None  # vocabulary.SCHEDULE_LABELS, worded where shown


def result(db: Database, user_id: int, assessment_id: str | uuid.UUID) -> Result | None:
    """``{assessment, instrument, previous, change, since_baseline, since_baseline_text}`` for one of
    the patient's results, or None."""
    assessment = assessments_store.get_assessment(db, user_id, assessment_id)
    if assessment is None:
        return None
    previous = assessments_store.previous_assessment(db, user_id, assessment)
    label = since_baseline(db, user_id).get(assessment["id"])
    instrument = INSTRUMENTS[assessment["instrument"]]
    return {
        "assessment": assessment, "instrument": instrument, "previous": previous,
        "change": None if previous is None else assessment["total"] - previous["total"],
        "since_baseline": label,
        "since_baseline_text": reliable_change.describe(instrument.name, assessment["total"], label) if label else None,
    }


def due_since(last_taken: dt.date | None, session_days: Iterable[dt.date], today: dt.date,
              joined: dt.date, schedule: Mapping[str, Any] | None = None,
              series_starts: Iterable[dt.date] = ()) -> dt.date | None:
    """The latest date on or before ``today`` a questionnaire became due, or None if it isn't due.

    By default it falls due every 14 days (its recall period) from the last one taken, or from the
    day the patient joined if never taken, and on the day of each treatment session after that.
    A clinician's ``schedule`` (store/schedules.py) replaces that: every 7, 14 or 28 days from the
    last one taken, or on the day after each session; with ``restart_each_series`` the first session
    of each series (``series_starts``) makes it due too, and the count starts again from there. The
    latest such day counts, so "Not now" hides the card only until the next one.
    """
    anchor = last_taken or joined
    if anchor > today:
        return None
    sessions = sorted(session_days)
    if schedule is None:
        every: int | None = RECALL_DAYS
        points = [d for d in sessions if anchor < d <= today]
    else:
        every = SCHEDULE_CADENCES[schedule["cadence"]]
        points = ([d + dt.timedelta(days=1) for d in sessions if anchor < d + dt.timedelta(days=1) <= today]
                  if every is None else [])
        if schedule["restart_each_series"]:
            restarts = [d for d in series_starts if anchor < d <= today]
            points += restarts
            anchor = max([anchor, *restarts])
    if every is not None:
        periods = (today - anchor).days // every
        if periods or last_taken is None:
            points.append(anchor + dt.timedelta(days=every * periods))
    return max(points, default=None)


def due(db: Database, user_id: int, today: dt.date) -> Due | None:
    """``{"instruments": [Instrument, ...], "since": date}`` for the Today card, or None.

    Dismissing the card hides it until something makes a questionnaire due again (never nags).
    """
    latest = assessments_store.latest_by_instrument(db, user_id)
    # The patient's own live account: never None.
    joined = dt.date.fromisoformat(cast(User, users_store.get_user(db, user_id))["created_at"][:10])
    sessions = sessions_store.list_sessions(db, user_id)
    session_days = sorted(dt.date.fromisoformat(s["date"]) for s in sessions)
    schedule = schedules_store.in_force(db, user_id)
    starts = [dt.date.fromisoformat(group[0]["date"]) for group in relief.group_series(sessions)] if schedule else []
    due_now = {}
    for key, instrument in INSTRUMENTS.items():
        last = dt.date.fromisoformat(latest[key]["date"]) if key in latest else None
        since = due_since(last, session_days, today, joined, schedule, starts)
        if since is not None:
            due_now[key] = since
    if not due_now:
        return None
    since = max(due_now.values())  # the newest reason to show the card
    dismissed = users_store.card_dismissed_at(db, user_id, DUE_CARD)
    if dismissed is not None and dt.date.fromisoformat(dismissed) >= since:
        return None
    return {"instruments": [INSTRUMENTS[key] for key in due_now], "since": since,
            "set_by": schedule["set_by_name"] if schedule else None,
            "schedule": SCHEDULE_LABELS[schedule["cadence"]] if schedule else None}


def dismiss_due(db: Database, user_id: int, today: dt.date) -> None:
    """Hide the card until a questionnaire becomes due after ``today`` (the patient's date)."""
    users_store.dismiss_card(db, user_id, DUE_CARD, today.isoformat())
