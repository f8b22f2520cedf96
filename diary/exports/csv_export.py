"""entries.csv: one row per check-in and per treatment session (columns: docs/CSV.md);
assessments.csv: one row per GAD-7 or PHQ-9 (docs/CSV.md).
"""
import bisect
import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain
from typing import Any, TypeVar

from ..vocabulary import with_side_effect_details

# Never reorder or rename: clients depend on these. New columns are appended.
COLUMNS = (
    "id", "kind", "date", "anxiety", "triggers", "note", "treatment", "dose_mg", "anxiety_before",
    "anxiety_after", "side_effects", "reflection", "created_at", "updated_at", "private", "time",
)
# Never reorder or rename either. item_1 … item_9: PHQ-9 has nine items, GAD-7 seven.
ASSESSMENT_ITEMS = 9
ASSESSMENT_COLUMNS = (
    "id", "instrument", "date", "total", "severity", *(f"item_{n}" for n in range(1, ASSESSMENT_ITEMS + 1)),
    "difficulty", "private", "created_at", "updated_at",
)
JOINER = "; "
BOM = "\ufeff"  # lets Excel detect UTF-8; csv readers use encoding="utf-8-sig"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"  # a cell starting with it is always guarded, so dropping one restores the text
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_MAY_NEED_GUARD = frozenset((*_FORMULA_START, GUARD))  # the first characters neutralize() looks at
# Text handed to the WSGI server at a time: fewer, larger writes; memory stays a chunk or so.
CHUNK_CHARS = 256 * 1024
# Cells of a row in COLUMNS order, by position.
_TRIGGERS, _NOTE, _DATE, _CREATED_AT = (COLUMNS.index(name) for name in ("triggers", "note", "date", "created_at"))


_Cell = TypeVar("_Cell")


def neutralize(value: _Cell) -> _Cell | str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (plain numbers don't), and
    so does text that itself starts with one: removing one leading apostrophe always restores it."""
    if isinstance(value, str) and (value.startswith(GUARD) or (
            value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value))):
        return GUARD + value
    return value


def _text(value: _Cell | None) -> _Cell | str:
    return "" if value is None else neutralize(value)


def session_row(session: Mapping[str, Any], *, with_text: bool = True) -> list[Any]:
    dose = session["dose_mg"]
    return [
        session["id"], "session", session["date"], "", "", "", session["treatment"],
        "" if dose is None else f"{dose:.15g}",
        _text(session["anxiety_before"]), _text(session["anxiety_after"]),
        _text(JOINER.join(with_side_effect_details(e["name"], e) for e in session["side_effects"])),
        _text(session["reflection"]) if with_text else "",
        session["created_at"], session["updated_at"], "true" if session["private"] else "false",
        session["time"] or "",
    ]


def assessment_row(assessment: Mapping[str, Any]) -> list[Any]:
    answers = assessment["answers"]
    difficulty = assessment["difficulty"]
    return [
        assessment["id"], _text(assessment["instrument"]), assessment["date"], assessment["total"],
        _text(assessment["severity"]), *answers, *[""] * (ASSESSMENT_ITEMS - len(answers)),
        "" if difficulty is None else difficulty, "true" if assessment["private"] else "false",
        assessment["created_at"], assessment["updated_at"],
    ]


def _guarded(row: Sequence[Any], cells: Iterable[int]) -> list[Any]:
    row = list(row)
    for cell in cells:
        row[cell] = neutralize(row[cell])
    return row


def guard_checkins(page: Iterable[Sequence[Any]]) -> list[Sequence[Any]]:
    """A page of check-in rows with the formula guard on their text cells (triggers and note).
    Rows whose text can't need it (nearly all) pass as they are, without a function call."""
    risky = _MAY_NEED_GUARD
    return [row if row[_NOTE][:1] not in risky and row[_TRIGGERS][:1] not in risky
            else _guarded(row, (_TRIGGERS, _NOTE)) for row in page]


def _checkin_order(row: Sequence[Any]) -> tuple[str, str]:
    return row[_DATE], row[_CREATED_AT]


def timeline(checkin_pages: Iterable[Sequence[Sequence[Any]]],
             session_rows: Iterable[tuple[tuple[str, str], Sequence[Any]]]) -> Iterator[Sequence[Sequence[Any]]]:
    """Batches of rows in one timeline: the (few) sessions slotted between the pages of check-in
    rows by (date, created_at), a check-in first on a tie. ``session_rows`` yields
    ((date, created_at), row) in order."""
    sessions = iter(session_rows)
    pending = next(sessions, None)
    for page in checkin_pages:
        start = 0
        # A session that sorts after this page's last row waits: the next page may tie with it.
        while pending and (split := bisect.bisect_right(page, pending[0], lo=start, key=_checkin_order)) < len(page):
            yield page[start:split]
            yield [pending[1]]
            start, pending = split, next(sessions, None)
        yield page[start:] if start else page
    while pending:
        yield [pending[1]]
        pending = next(sessions, None)


def _chunks(columns: Iterable[str], batches: Iterable[Iterable[Iterable[Any]]]) -> Iterator[str]:
    """Yield CSV text: the BOM and header row first, then the rows, in chunks of about CHUNK_CHARS."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(columns)
    yield buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for batch in batches:
        writer.writerows(batch)
        if buffer.tell() >= CHUNK_CHARS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def stream(checkin_pages: Iterable[Iterable[Sequence[Any]]], session_pages: Iterable[Iterable[Mapping[str, Any]]], *,
           with_text: bool = True) -> Iterator[str]:
    """entries.csv as text chunks: header first, then check-ins and sessions in one timeline by date.

    ``checkin_pages``: pages of check-in rows already in COLUMNS order, text not yet guarded (the
    store's ``entries.csv_pages``, which leaves out notes itself when they must not be shown).
    Sessions are few: they come as records and become rows here.
    """
    sessions = (((s["date"], s["created_at"]), session_row(s, with_text=with_text))
                for s in chain.from_iterable(session_pages))
    guarded = (guard_checkins(page) for page in checkin_pages)
    return _chunks(COLUMNS, timeline(guarded, sessions))


def stream_assessments(assessment_pages: Iterable[Iterable[Mapping[str, Any]]]) -> Iterator[str]:
    """assessments.csv as text chunks, oldest first."""
    return _chunks(ASSESSMENT_COLUMNS, ([assessment_row(a) for a in page] for page in assessment_pages))


# outcomes.csv: one row per patient counted on the outcomes page (docs/CSV.md). Never reorder or rename.
OUTCOME_SCORE_COLUMNS = ("baseline", "baseline_date", "latest", "latest_date", "change", "reliable", "response",
                         "remission")
OUTCOME_COLUMNS = (
    "patient_id", "display_name", "course_start", "series", "median_relief_days",
    *(f"{key}_{column}" for key in ("gad7", "phq9") for column in OUTCOME_SCORE_COLUMNS),
    "daily_baseline", "daily_recent_mean", "daily_change", "daily_response", "daily_remission",
)


def _flag(value: bool | None) -> str:
    return "" if value is None else "true" if value else "false"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, int) else f"{round(value, 2):g}"


def outcome_row(patient: Any) -> list[Any]:
    """A row of outcomes.csv for one insights.outcomes.PatientOutcome."""
    row: list[Any] = [patient.patient_id, neutralize(patient.display_name),
                      patient.first_session.isoformat() if patient.first_session else "", len(patient.series),
                      _number(patient.median_relief)]
    for key in ("gad7", "phq9"):
        score = patient.scores.get(key)
        label = score.label if score else None
        row += ["", "", "", "", "", "", "", ""] if score is None else [
            score.baseline_total, score.baseline_date, "" if score.latest_total is None else score.latest_total,
            score.latest_date or "", "" if label is None else label.change, "" if label is None else label.reliable,
            _flag(label.response if label else None), _flag(label.remission if label else None)]
    daily = patient.daily
    row += [_number(daily.baseline), _number(daily.recent_mean), _number(daily.change), _flag(daily.response),
            _flag(daily.remission)]
    return row


def stream_outcomes(patients: Iterable[Any]) -> Iterator[str]:
    """outcomes.csv as text, one row per patient."""
    return _chunks(OUTCOME_COLUMNS, [[outcome_row(p) for p in patients]])
