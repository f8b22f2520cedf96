"""When a reminder is due, and which one: pure rules over times and what the patient has logged.

A patient chooses, per browser, a local time of day and the days of the week (ISO order, 0 Monday
... 6 Sunday). On those days, at that time, at most one reminder goes to that browser, and only if
there is something to do. Which one, in this order:

1. ``reflection``: a session the day before has no reflection yet ("the next morning" is the day
   after the session, at the patient's own reminder time);
2. ``relief``: today is the first day of the window in which relief after the last session has
   usually started to fade (the forecast's ``fade_from``) and relief may still hold: once per
   session, pointing to Trends; the words name neither treatment nor a prediction (a lock screen
   is not private);
3. ``checkin``: no check-in yet today;
4. ``questionnaire``: a GAD-7 or PHQ-9 is due.

Payloads carry no health data: no scores, names or notes, only what to do.

Delivery runs from cron every few minutes, so it may run late (a server down at the chosen time).
A reminder is sent from its chosen time for up to ``LATE`` (2 hours), never into quiet hours
(22:00-07:00 local) unless the patient chose a time inside them, which then gets ``LATE_QUIET``
(30 minutes): a late run never wakes anyone at 3 a.m.
"""
import datetime as dt
from collections.abc import Container
from typing import TypedDict
from zoneinfo import ZoneInfo

from ..messages import Msg, msg

LATE = dt.timedelta(hours=2)
LATE_QUIET = dt.timedelta(minutes=30)
QUIET_START, QUIET_END = dt.time(22, 0), dt.time(7, 0)

# Messages: the delivery run words them in each patient's language (commands.send_reminders).
TITLE = msg("Symptom Diary")
MESSAGES = {
    "reflection": msg("How are you feeling after yesterday's session? Add a reflection."),
    "relief": msg("A gentle note: your Trends page shows what has usually happened around this time."),
    "checkin": msg("Time for today's check-in."),
    "questionnaire": msg("A short questionnaire is ready for you (about 2 minutes)."),
}


class Payload(TypedDict):
    title: Msg
    body: Msg
    url: str
    tag: str


def in_quiet_hours(time: dt.time) -> bool:
    return time >= QUIET_START or time < QUIET_END


def window(local_date: dt.date, remind_at: str, zone: str) -> tuple[dt.datetime, dt.datetime]:
    """``(start, end)`` in UTC of the reminder for ``local_date`` at ``remind_at`` ("HH:MM") in ``zone``.

    A time the clocks skip (02:30 on a spring-forward night) is read with the offset before the
    change, i.e. an hour later on the wall clock (03:30); a time that happens twice (autumn) is
    its first occurrence. Either way, once a day.
    """
    chosen = dt.time.fromisoformat(remind_at)
    tz = ZoneInfo(zone)
    # In UTC from here: an aware datetime's + is wall-clock arithmetic, wrong across a DST change.
    start = dt.datetime.combine(local_date, chosen, tzinfo=tz).astimezone(dt.timezone.utc)
    if in_quiet_hours(chosen):
        return start, start + LATE_QUIET
    quiet = dt.datetime.combine(local_date, QUIET_START, tzinfo=tz).astimezone(dt.timezone.utc)
    return start, min(start + LATE, quiet)


def due_date(now: dt.datetime, zone: str, remind_at: str, days: Container[int]) -> dt.date | None:
    """The patient's local date whose reminder is due at ``now`` (aware, any zone), or None.

    Both today and yesterday (local) are looked at: a 23:50 reminder may still be due at 00:10.
    """
    today = now.astimezone(ZoneInfo(zone)).date()
    for local_date in (today, today - dt.timedelta(days=1)):
        if local_date.weekday() not in days:
            continue
        start, end = window(local_date, remind_at, zone)
        if start <= now < end:
            return local_date
    return None


def choose(*, checked_in: bool, unreflected_session: str | None, fade_starts: bool,
           questionnaire: str | None) -> tuple[str, str] | None:
    """The one reminder worth sending, as ``(kind, path)``, or None when there is nothing to do.

    :param checked_in: the patient has a check-in on the day.
    :param unreflected_session: the id of a session the day before without a reflection, or None.
    :param fade_starts: the day is the first of the usual fading window after the last session.
    :param questionnaire: the key of a due questionnaire ("gad7", "phq9"), or None.
    """
    if unreflected_session is not None:
        return "reflection", f"/sessions/{unreflected_session}/edit#reflection"
    if fade_starts:
        return "relief", "/trends"
    if not checked_in:
        return "checkin", "/"
    if questionnaire is not None:
        return "questionnaire", f"/assessments/new?instrument={questionnaire}"
    return None


def payload(kind: str, path: str) -> Payload:
    """What the push carries: no health data, only what to do and where."""
    return {"title": TITLE, "body": MESSAGES[kind], "url": path, "tag": "diary-reminder"}
