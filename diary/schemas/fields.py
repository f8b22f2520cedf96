"""Field types shared by several schemas."""
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields, validates, validates_schema

from ..config import MAX_TEXT_LENGTH
from ..messages import msg
from ..timeutil import EARLIEST_DATE, today_in
from .validators import Length, Range, refused

MAX_ROW_ID = 2**63 - 1  # SQLite's largest INTEGER
MAX_TRIGGER_LENGTH = 40
MAX_TRIGGERS_PER_ENTRY = 20


# Characters that make text display differently from what it is: bidirectional overrides and
# isolates (U+202A-202E, U+2066-2069), direction marks (U+200E, U+200F), and invisible zero-width
# space, word joiner and BOM. ZWJ/ZWNJ stay allowed: emoji sequences and Persian names need them.
DECEPTIVE_CHARACTERS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
                                 "\u200b\u2060\ufeff")
DECEPTIVE_MESSAGE = msg("Can't contain invisible or text-direction control characters.")


def refuse_deceptive(text: str) -> None:
    if any(c in DECEPTIVE_CHARACTERS for c in text):
        raise refused(DECEPTIVE_MESSAGE)


# Characters that are letters to Unicode but show as a blank: Hangul fillers, the braille blank,
# the Mongolian vowel separator, line and paragraph separators.
BLANK_LOOKING = frozenset("\u3164\u115f\u1160\uffa0\u2800\u180e\u2028\u2029")
# Accents stacked on one letter: Vietnamese uses two, a few scripts three; more is a tower.
MAX_STACKED_MARKS = 4


def refuse_unreadable(text: str) -> None:
    """A name shows something and stays on its line: no control characters (line breaks, tabs,
    NUL), at least one visible letter, digit, punctuation or symbol, and no tower of accents."""
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise refused(msg("Can't contain line breaks, tabs or other control characters."))
    if not any(unicodedata.category(c)[0] in "LNPS" and c not in BLANK_LOOKING for c in text):
        raise refused(msg("Must contain at least one visible letter, digit or symbol."))
    stacked = 0
    for c in text:
        stacked = stacked + 1 if unicodedata.category(c) in ("Mn", "Me") else 0
        if stacked > MAX_STACKED_MARKS:
            raise refused(msg("Can't stack more than %(marks)s accents on one letter.", marks=MAX_STACKED_MARKS))


class Trimmed(fields.String):
    """A string with surrounding whitespace removed; blank counts as missing if required."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if self.required and not text:
            raise self.make_error("required")
        return text


class WholeNumber(fields.Integer):
    """An integer from JSON or a form string; 7.5 or "7.5" is refused, never truncated."""

    # ASCII digits only, and few of them: "²", "--5" or 5,000 digits must not reach int().
    _INTEGER_TEXT = re.compile(r"-?[0-9]{1,9}")

    def _validated(self, value: Any) -> int:
        if isinstance(value, str) and self._INTEGER_TEXT.fullmatch(value.strip()):
            value = int(value.strip())
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid", input=value)
        return value


def anxiety(**kwargs: Any) -> WholeNumber:
    """An anxiety rating: a whole number from 0 (calm) to 10 (the worst imaginable)."""
    message = msg("Must be a whole number from 0 to 10.")
    return WholeNumber(
        validate=Range(0, 10, error=message),
        error_messages={"invalid": [message], "required": [msg("Choose a number from 0 to 10.")]},
        metadata={"description": "0 = calm, 10 = the worst imaginable", "minimum": 0, "maximum": 10},
        **kwargs,
    )


class TimeOfDay(fields.String):
    """A local time of day as ``HH:MM`` (24-hour, 00:00-23:59); null means "not given"."""

    _PATTERN = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
    default_error_messages = {"invalid": [msg("Must be a time as HH:MM.")]}

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> str:
        if not isinstance(value, str) or not self._PATTERN.fullmatch(value):
            raise self.make_error("invalid")
        return value


def time_of_day(**kwargs: Any) -> TimeOfDay:
    """An optional local time of day (``HH:MM``), null allowed."""
    return TimeOfDay(
        load_default=None, allow_none=True,
        metadata={"description": "Local time of day, HH:MM (24-hour); optional",
                  "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "14:30"},
        **kwargs,
    )


def free_text(description: str | None = None) -> fields.String:
    """A note or reflection: optional, at most MAX_TEXT_LENGTH characters."""
    metadata: dict[str, int | str] = {"maxLength": MAX_TEXT_LENGTH}
    if description:
        metadata["description"] = description
    return fields.String(
        load_default="",
        validate=Length(max=MAX_TEXT_LENGTH, error=msg("Must be at most {max:,} characters.")),
        metadata=metadata,
    )


class TriggerName(fields.String):
    """A trigger tag: 1-40 characters, inner whitespace collapsed, no commas or semicolons."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> str:
        typed = super()._deserialize(value, attr, data, **kwargs)
        name = " ".join(typed.split())
        if not name:
            raise refused(msg("Trigger names can't be blank."))
        refuse_unreadable(typed)
        if len(name) > MAX_TRIGGER_LENGTH:
            raise refused(msg("Trigger names must be at most %(max)s characters.", max=MAX_TRIGGER_LENGTH))
        if "," in name or ";" in name:
            raise refused(msg("Trigger names can't contain commas or semicolons."))
        refuse_deceptive(name)
        return name


def trigger_list(**kwargs: Any) -> fields.List[str]:
    return fields.List(
        TriggerName(),
        load_default=list,
        validate=Length(max=MAX_TRIGGERS_PER_ENTRY,
                        error=msg("At most {max} triggers per check-in.")),
        **kwargs,
    )


def unique_names(names: Iterable[str]) -> list[str]:
    """Drop repeats that differ only in case or spacing, keeping the first spelling."""
    seen: set[str]
    unique: list[str]
    seen, unique = set(), []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            unique.append(name)
    return unique


class DatedSchema(Schema):
    """A record on a patient-local date: not in the future for the patient, not before 1900.

    :param today: the patient's today (from their time zone); None means "today in UTC".
    """

    date = fields.Date(
        required=True,
        error_messages={"invalid": [msg("Must be a date as YYYY-MM-DD.")], "required": [msg("Choose a date.")]},
    )

    def __init__(self, *args: Any, today: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or today_in("UTC")

    @validates("date")
    def _date_in_range(self, value: dt.date, **kwargs: Any) -> None:
        if value > self.today:
            raise refused(msg("Can't be in the future (today is %(today)s).", today=self.today.isoformat()))
        if value < EARLIEST_DATE:
            raise refused(msg("Must be on or after %(date)s.", date=EARLIEST_DATE.isoformat()))


class DateRangeQuery(Schema):
    """``?from=&to=`` (inclusive, YYYY-MM-DD) for a list of dated records."""

    date_from = fields.Date(data_key="from", error_messages={"invalid": [msg("Must be a date as YYYY-MM-DD.")]})
    date_to = fields.Date(data_key="to", error_messages={"invalid": [msg("Must be a date as YYYY-MM-DD.")]})

    @validates_schema
    def _ordered_range(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError({"to": [msg("Must be on or after 'from'.")]})


class SupportOut(Schema):
    reason = fields.String(metadata={"enum": ["crisis_language", "score_10", "phq9_item9"]})


def support_field() -> fields.Nested:
    """On a created or changed record: why the support card is shown, or null (docs/API.md)."""
    return fields.Nested(SupportOut, allow_none=True, metadata={
        "description": "Set when the app shows the support card (crisis contacts and safety plan); else null."})
