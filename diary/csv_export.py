"""entries.csv: one row per check-in and per treatment session (columns: DESIGN §4, docs/CSV.md);
assessments.csv: one row per GAD-7 or PHQ-9 (docs/CSV.md).
"""
import csv
import heapq
import io
import re

from .vocabulary import with_side_effect_details

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


def neutralize(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe (plain numbers don't), and
    so does text that itself starts with one: removing one leading apostrophe always restores it."""
    if isinstance(value, str) and (value.startswith(GUARD) or (
            value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value))):
        return GUARD + value
    return value


def _text(value):
    return "" if value is None else neutralize(value)


def entry_row(entry, *, with_text=True):
    return [
        entry["id"], "checkin", entry["date"], entry["anxiety"], _text(JOINER.join(entry["triggers"])),
        _text(entry["note"]) if with_text else "", "", "", "", "", "", "",
        entry["created_at"], entry["updated_at"], "true" if entry["private"] else "false", entry["time"] or "",
    ]


def session_row(session, *, with_text=True):
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


def assessment_row(assessment):
    answers = assessment["answers"]
    difficulty = assessment["difficulty"]
    return [
        assessment["id"], _text(assessment["instrument"]), assessment["date"], assessment["total"],
        _text(assessment["severity"]), *answers, *[""] * (ASSESSMENT_ITEMS - len(answers)),
        "" if difficulty is None else difficulty, "true" if assessment["private"] else "false",
        assessment["created_at"], assessment["updated_at"],
    ]


def _records(pages):
    for page in pages:
        yield from page


def _chunks(columns, rows):
    """Yield CSV text: the BOM and header row first, then the rows, a chunk per 2,000 rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(columns)
    yield buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
        if count % 2000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def stream(entry_pages, session_pages, *, with_text=True):
    """entries.csv as text chunks: header first, then check-ins and sessions in one timeline by date."""
    records = heapq.merge(
        ((e["date"], e["created_at"], 0, e) for e in _records(entry_pages)),
        ((s["date"], s["created_at"], 1, s) for s in _records(session_pages)),
        key=lambda item: item[:3],
    )
    rows = (entry_row(record, with_text=with_text) if kind == 0 else session_row(record, with_text=with_text)
            for _, _, kind, record in records)
    return _chunks(COLUMNS, rows)


def stream_assessments(assessment_pages):
    """assessments.csv as text chunks, oldest first."""
    return _chunks(ASSESSMENT_COLUMNS, (assessment_row(a) for a in _records(assessment_pages)))
