"""entries.csv: one row per check-in and per treatment session (columns: DESIGN §4, docs/CSV.md)."""
import csv
import heapq
import io
import re

# Never reorder or rename: clients depend on these. New columns are appended.
COLUMNS = (
    "id", "kind", "date", "anxiety", "triggers", "note", "treatment", "dose_mg", "anxiety_before",
    "anxiety_after", "side_effects", "reflection", "created_at", "updated_at", "private",
)
JOINER = "; "
BOM = "\ufeff"  # lets Excel detect UTF-8; csv readers use encoding="utf-8-sig"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def neutralize(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe (plain numbers don't)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _text(value):
    return "" if value is None else neutralize(value)


def entry_row(entry, *, with_text=True):
    return [
        entry["id"], "checkin", entry["date"], entry["anxiety"], _text(JOINER.join(entry["triggers"])),
        _text(entry["note"]) if with_text else "", "", "", "", "", "", "",
        entry["created_at"], entry["updated_at"], "true" if entry["private"] else "false",
    ]


def session_row(session, *, with_text=True):
    dose = session["dose_mg"]
    return [
        session["id"], "session", session["date"], "", "", "", session["treatment"],
        "" if dose is None else f"{dose:.15g}",
        _text(session["anxiety_before"]), _text(session["anxiety_after"]),
        _text(JOINER.join(session["side_effects"])), _text(session["reflection"]) if with_text else "",
        session["created_at"], session["updated_at"], "true" if session["private"] else "false",
    ]


def _records(pages):
    for page in pages:
        yield from page


def stream(entry_pages, session_pages, *, with_text=True):
    """Yield the CSV as text chunks: header first, then rows in date order, a chunk per 2,000 rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(COLUMNS)
    yield buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    rows = heapq.merge(
        ((e["date"], e["created_at"], 0, e) for e in _records(entry_pages)),
        ((s["date"], s["created_at"], 1, s) for s in _records(session_pages)),
        key=lambda item: item[:3],
    )
    count = 0
    for _, _, kind, record in rows:
        writer.writerow(entry_row(record, with_text=with_text) if kind == 0
                        else session_row(record, with_text=with_text))
        count += 1
        if count % 2000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
