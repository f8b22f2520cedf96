"""GAD-7 and PHQ-9 results: the answers as given, with the total and severity scored on save."""
import datetime as dt
import json
import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypedDict, cast

from sqlite_utils import Database

from ..db import write_transaction
from ..timeutil import utc_now
from . import date_range_where, has_private_rows, keyset_pages, replayed

_FIELDS = ("id", "instrument", "date", "answers", "difficulty", "total", "severity", "private",
           "created_at", "updated_at", "language")
_SELECT = f"SELECT {', '.join(_FIELDS)} FROM assessments"
# What a client sends; total and severity follow from it.
_CONTENT = ("instrument", "date", "answers", "difficulty", "private")


class Assessment(TypedDict):
    id: str
    instrument: str
    date: str
    answers: list[int]
    difficulty: int | None
    total: int
    severity: str
    private: bool
    created_at: str
    updated_at: str
    language: str           # the language of the form it was answered on ("en", "es")


def _assessment(row: Sequence[Any]) -> Assessment:
    assessment = dict(zip(_FIELDS, row))
    assessment["answers"] = json.loads(assessment["answers"])
    assessment["private"] = bool(assessment["private"])
    return cast(Assessment, assessment)


def _same_content(assessment: Mapping[str, Any], data: Mapping[str, Any]) -> bool:
    return all(assessment[k] == data[k] for k in _CONTENT)


def create_assessment(db: Database, user_id: int, data: Mapping[str, Any]) -> tuple[Assessment, bool]:
    """Store a scored questionnaire; returns ``(assessment, created)``, idempotent on a client ``id``.

    ``data``: instrument, date (ISO string or date), answers, difficulty, private, total, severity, and
    optionally language (of the form answered; English without one).

    What it moves besides ``assessments`` (SQL triggers, diary/migrations.py): the patient's
    ``diary_versions`` row, and their ``dashboard_lines`` row is dropped (m013).
    """
    assessment_id = str(data.get("id") or uuid.uuid4())
    data = {**data, "date": str(data["date"]), "private": bool(data["private"])}
    with write_transaction(db):
        existing = replayed(db, "assessments", user_id, assessment_id, get_assessment,
                            lambda stored: _same_content(stored, data))
        if existing is not None:
            return existing, False
        now = utc_now()
        db.execute(
            "INSERT INTO assessments (id, user_id, instrument, date, answers, difficulty, total, severity,"
            " private, created_at, updated_at, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [assessment_id, user_id, data["instrument"], data["date"], json.dumps(data["answers"]),
             data["difficulty"], data["total"], data["severity"], int(data["private"]), now, now,
             data.get("language") or "en"],
        )
        # Just inserted, in this same transaction: never None.
        return cast(Assessment, get_assessment(db, user_id, assessment_id)), True


def get_assessment(db: Database, user_id: int, assessment_id: str | uuid.UUID) -> Assessment | None:
    """The assessment, or None if it doesn't exist or isn't this user's."""
    row = db.execute(f"{_SELECT} WHERE user_id = ? AND id = ?", [user_id, str(assessment_id)]).fetchone()
    return _assessment(row) if row else None


def list_assessments(db: Database, user_id: int, *, instrument: str | None = None,
                     date_from: dt.date | str | None = None, date_to: dt.date | str | None = None,
                     include_private: bool = True, limit: int = -1) -> list[Assessment]:
    """The user's assessments, newest first."""
    where, params = date_range_where(user_id, date_from, date_to)
    if instrument:
        where.append("instrument = ?")
        params.append(instrument)
    if not include_private:
        where.append("private = 0")
    rows = db.execute(
        f"{_SELECT} WHERE {' AND '.join(where)} ORDER BY date DESC, created_at DESC, id DESC LIMIT ?",
        [*params, limit],
    ).fetchall()
    return [_assessment(row) for row in rows]


def latest_by_instrument(db: Database, user_id: int, *, include_private: bool = True) -> dict[str, Assessment]:
    """{instrument: the newest assessment} for each instrument the user has taken."""
    shared_only = "" if include_private else " AND private = 0"
    rows = db.execute(
        f"SELECT {', '.join(_FIELDS)} FROM (SELECT *, row_number() OVER (PARTITION BY instrument"
        f" ORDER BY date DESC, created_at DESC, id DESC) AS n FROM assessments WHERE user_id = ?{shared_only})"
        " WHERE n = 1",
        [user_id],
    ).fetchall()
    return {a["instrument"]: a for a in map(_assessment, rows)}


def previous_assessment(db: Database, user_id: int, assessment: Mapping[str, Any]) -> Assessment | None:
    """The same instrument's result just before ``assessment``, or None."""
    row = db.execute(
        f"{_SELECT} WHERE user_id = ? AND instrument = ? AND (date, created_at, id) < (?, ?, ?)"
        " ORDER BY date DESC, created_at DESC, id DESC LIMIT 1",
        [user_id, assessment["instrument"], assessment["date"], assessment["created_at"], assessment["id"]],
    ).fetchone()
    return _assessment(row) if row else None


def delete_assessment(db: Database, user_id: int, assessment_id: str | uuid.UUID) -> bool:
    """Delete the assessment; False if it isn't this user's.

    What it moves besides ``assessments`` (SQL triggers, diary/migrations.py): the patient's
    ``diary_versions`` row, and their ``dashboard_lines`` row is dropped (m013); its
    ``safety_events`` row goes with it (m005).
    """
    with write_transaction(db):
        cursor = db.execute("DELETE FROM assessments WHERE user_id = ? AND id = ?", [user_id, str(assessment_id)])
    return cursor.rowcount == 1


def export_pages(db: Database, user_id: int, *, date_from: dt.date | str | None = None,
                 date_to: dt.date | str | None = None, include_private: bool = True,
                 page_size: int = 2000) -> Iterator[list[Assessment]]:
    """Yield the user's assessments oldest first, a page (list of dicts) at a time."""
    where, params = date_range_where(user_id, date_from, date_to)
    if not include_private:
        where.append("private = 0")
    return keyset_pages(db, _SELECT, where, params, ("date", "created_at", "id"), page_size, _assessment)


def has_private(db: Database, user_id: int) -> bool:
    """Whether the user marked any of these records private."""
    return has_private_rows(db, "assessments", user_id)
