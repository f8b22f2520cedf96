"""Dates and times: a patient's "today" comes from their IANA time zone; stored stamps are UTC."""
import datetime as dt
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

EARLIEST_DATE = dt.date(1900, 1, 1)


@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    """Every IANA zone name this machine knows, sorted (tzdata is a dependency)."""
    return tuple(sorted(name for name in available_timezones() if "/" in name or name == "UTC"))


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(timezone_names())


def is_timezone(name: object) -> bool:
    """Only names from the list: ZoneInfo("Europe") would try to open a directory."""
    return isinstance(name, str) and name in _known_zones()


def _zone(timezone: str) -> dt.tzinfo:
    """The IANA zone, or UTC if the name is unknown."""
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return dt.timezone.utc


def today_in(timezone: str) -> dt.date:
    """The calendar date right now in ``timezone`` (falls back to UTC if unknown)."""
    return dt.datetime.now(_zone(timezone)).date()


def time_now_in(timezone: str) -> str:
    """The local time of day right now in ``timezone`` as ``HH:MM`` (falls back to UTC if unknown)."""
    return dt.datetime.now(_zone(timezone)).strftime("%H:%M")


def utc_now() -> str:
    """Current UTC time as ISO 8601 with milliseconds and a Z, e.g. 2026-11-23T22:57:36.123Z."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_after(**delta: float) -> str:
    """UTC time ``delta`` from now (e.g. hours=72, or hours=-1 for an hour ago), formatted as utc_now."""
    moment = dt.datetime.now(dt.timezone.utc) + dt.timedelta(**delta)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class DateNames(NamedTuple):
    """A language's abbreviated weekday (Monday first) and month names, as its short dates use them."""
    weekdays: tuple[str, ...]
    months: tuple[str, ...]


ENGLISH_NAMES = DateNames(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
                          ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"))


def short_date(value: dt.date | str, today: dt.date | None = None, names: DateNames = ENGLISH_NAMES) -> str:
    """date(2026, 12, 3) or '2026-12-03' -> 'Thu 3 Dec', with the year when it isn't this year
    ('Wed 3 Dec 2025'): how every date reads to people (HTML and sentences; CSV/JSON/FHIR stay ISO).
    In Spanish (``names`` from web/i18n.py) the same order: 'jue 3 dic'.

    :param today: the reader's today (defaults to today in UTC) to decide "this year".
    """
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
    if isinstance(day, dt.datetime):
        day = day.date()
    this_year = (today or dt.datetime.now(dt.timezone.utc).date()).year
    # Names from tables, not strftime: the same in every locale, and a third of the time (a
    # five-year Trends page names hundreds of weeks).
    text = f"{names.weekdays[day.weekday()]} {day.day} {names.months[day.month - 1]}"
    return text if day.year == this_year else f"{text} {day.year}"


def weekday_and_day(day: dt.date, names: DateNames = ENGLISH_NAMES) -> str:
    """'Wed 9' ('mié 9'): the first day of a span whose second names the month."""
    return f"{names.weekdays[day.weekday()]} {day.day}"


def iso_date(day: dt.date | None) -> str | None:
    """A date as JSON carries it ('2026-12-08'), None as null."""
    return day.isoformat() if day else None


def date_span(first: dt.date | str, last: dt.date | str, today: dt.date | None = None,
              names: DateNames = ENGLISH_NAMES) -> str:
    """Two dates as a short span: '9–13 Dec', '29 Nov – 3 Dec' (the year when it isn't this year,
    as short_date); one date when they are the same day ('9 Dec')."""
    first, last = (d if isinstance(d, dt.date) else dt.date.fromisoformat(d) for d in (first, last))
    this_year = (today or dt.datetime.now(dt.timezone.utc).date()).year
    months = names.months
    end = f"{last.day} {months[last.month - 1]}" + ("" if last.year == this_year else f" {last.year}")
    if first == last:
        return end
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{end}"
    start = f"{first.day} {months[first.month - 1]}"
    if first.year not in (this_year, last.year):
        start += f" {first.year}"
    return f"{start} – {end}"


def local_time(utc_stamp: str, timezone: str, names: DateNames = ENGLISH_NAMES) -> str:
    """A stored UTC stamp as the reader's local day and time, the zone named:
    'Tue 3 Dec, 14:05 (Europe/London)' (the year too when it isn't this year there)."""
    zone = _zone(timezone)
    moment = dt.datetime.fromisoformat(utc_stamp.replace("Z", "+00:00")).astimezone(zone)
    name = timezone if isinstance(zone, ZoneInfo) else "UTC"
    return f"{short_date(moment.date(), dt.datetime.now(zone).date(), names)}, {moment:%H:%M} ({name})"


def local_date(utc_stamp: str, timezone: str) -> dt.date:
    """The calendar date in ``timezone`` of a stored UTC stamp ('2026-11-24T02:00:00.000Z')."""
    moment = dt.datetime.fromisoformat(utc_stamp.replace("Z", "+00:00"))
    return moment.astimezone(_zone(timezone)).date()
