"""The reminder rules, worked by hand: due windows in the patient's zone (around midnight, across
DST changes, quiet hours) and which reminder wins."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from diary.insights.reminders import MESSAGES, choose, due_date, payload, window

UTC = dt.timezone.utc
EVERY_DAY = range(7)


def utc(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_window_runs_two_hours_from_the_chosen_time():
    start, end = window(dt.date(2026, 6, 1), "18:30", "Europe/London")  # BST, UTC+1
    assert (start, end) == (utc("2026-06-01T17:30"), utc("2026-06-01T19:30"))


def test_window_stops_when_quiet_hours_begin():
    start, end = window(dt.date(2026, 6, 1), "21:00", "Europe/London")
    assert (start, end) == (utc("2026-06-01T20:00"), utc("2026-06-01T21:00"))  # 22:00 local


def test_a_time_chosen_inside_quiet_hours_gets_half_an_hour():
    start, end = window(dt.date(2026, 6, 1), "23:45", "Europe/London")
    assert (start, end) == (utc("2026-06-01T22:45"), utc("2026-06-01T23:15"))
    start, end = window(dt.date(2026, 6, 1), "06:30", "Europe/London")
    assert end - start == dt.timedelta(minutes=30)


@pytest.mark.parametrize("now, expected", [
    ("2026-11-24T09:49", None),                       # 23:49 on the 23rd in Honolulu: not yet
    ("2026-11-24T09:50", dt.date(2026, 11, 23)),      # 23:50 Honolulu, UTC already the 24th
    ("2026-11-24T10:15", dt.date(2026, 11, 23)),      # 00:15 on the 24th there: still the 23rd's
    ("2026-11-24T10:20", None),                       # the half hour (quiet hours) is over
])
def test_utc_minus_10_around_midnight(now, expected):
    assert due_date(utc(now), "Pacific/Honolulu", "23:50", EVERY_DAY) == expected


@pytest.mark.parametrize("now, expected", [
    ("2026-11-23T11:04", None),
    ("2026-11-23T11:05", dt.date(2026, 11, 24)),      # 00:05 on the 24th in Tonga (UTC+13) is the 23rd in UTC
    ("2026-11-23T11:34", dt.date(2026, 11, 24)),
    ("2026-11-23T11:35", None),
])
def test_utc_plus_13_around_midnight(now, expected):
    assert due_date(utc(now), "Pacific/Tongatapu", "00:05", EVERY_DAY) == expected


def test_chosen_days_are_the_patients_local_weekdays():
    # Tuesday 24 Nov 2026 at 00:05 in Tonga is Monday 23 Nov in UTC: Tuesday (1) is the day that counts.
    now = utc("2026-11-23T11:10")
    assert due_date(now, "Pacific/Tongatapu", "00:05", [1]) == dt.date(2026, 11, 24)
    assert due_date(now, "Pacific/Tongatapu", "00:05", [0]) is None


def test_spring_forward_a_skipped_time_comes_an_hour_later_once():
    # Chicago, Sun 8 Mar 2026: 02:00 CST jumps to 03:00 CDT; 02:30 doesn't exist on the wall.
    start, end = window(dt.date(2026, 3, 8), "02:30", "America/Chicago")
    assert start == utc("2026-03-08T08:30")  # 03:30 CDT
    assert start.astimezone(ZoneInfo("America/Chicago")).strftime("%H:%M") == "03:30"
    assert end - start == dt.timedelta(minutes=30)
    # The evening of that day: the chosen time, in the new offset (CDT, UTC-5).
    assert window(dt.date(2026, 3, 8), "20:00", "America/Chicago")[0] == utc("2026-03-09T01:00")
    assert window(dt.date(2026, 3, 7), "20:00", "America/Chicago")[0] == utc("2026-03-08T02:00")


def test_fall_back_a_repeated_time_is_its_first_occurrence():
    # Chicago, Sun 1 Nov 2026: 01:00-02:00 happens twice (CDT, then CST).
    start, end = window(dt.date(2026, 11, 1), "01:30", "America/Chicago")
    assert start == utc("2026-11-01T06:30")  # 01:30 CDT, the first time round
    assert end == start + dt.timedelta(minutes=30)
    # The window is measured in real time: 30 minutes, though the clock shows 01:30-01:00.
    assert due_date(utc("2026-11-01T06:45"), "America/Chicago", "01:30", EVERY_DAY) == dt.date(2026, 11, 1)
    assert due_date(utc("2026-11-01T07:30"), "America/Chicago", "01:30", EVERY_DAY) is None  # 01:30 CST


def test_a_window_across_the_dst_change_is_two_real_hours():
    # London, Sun 29 Mar 2026: 01:00 GMT becomes 02:00 BST. A reminder at 07:00 BST = 06:00 UTC.
    start, end = window(dt.date(2026, 3, 29), "07:00", "Europe/London")
    assert (start, end) == (utc("2026-03-29T06:00"), utc("2026-03-29T08:00"))


@pytest.mark.parametrize("state, expected", [
    (dict(checked_in=False, unreflected_session="s1", fade_starts=True, questionnaire="gad7"),
     ("reflection", "/sessions/s1/edit#reflection")),
    (dict(checked_in=False, unreflected_session=None, fade_starts=True, questionnaire="gad7"),
     ("relief", "/trends")),
    (dict(checked_in=True, unreflected_session=None, fade_starts=True, questionnaire="gad7"),
     ("relief", "/trends")),  # the first day of the window: worth knowing even after a check-in
    (dict(checked_in=False, unreflected_session=None, fade_starts=False, questionnaire="phq9"),
     ("checkin", "/")),
    (dict(checked_in=True, unreflected_session=None, fade_starts=False, questionnaire="phq9"),
     ("questionnaire", "/assessments/new?instrument=phq9")),
    (dict(checked_in=True, unreflected_session=None, fade_starts=False, questionnaire=None), None),
])
def test_one_reminder_wins_or_none(state, expected):
    assert choose(**state) == expected


def test_payloads_carry_no_health_data():
    for kind in MESSAGES:
        message = payload(kind, "/")
        assert set(message) == {"title", "body", "url", "tag"}
        for word in ("anxiety", "ketamine", "suicid", "score", "dose"):
            assert word not in message["body"].lower()
