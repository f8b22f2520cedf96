"""Daily check-ins: anxiety 0-10, trigger tags, a note."""
import datetime as dt
import operator
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypedDict, cast

from sqlite_utils import Database

from ..db import write_transaction
from ..timeutil import utc_now
from . import date_range_where, has_private_rows
from . import keys as keys_store
from . import keyset_pages, replayed
from . import triggers as triggers_store
from . import update_owned_row

# The ids of an entry's triggers, comma-separated: their names are sealed (store/keys.py), so
# they are opened and ordered in Python (triggers.Names), each name once per read.
_TRIGGER_IDS = "(SELECT group_concat(et.trigger_id) FROM entry_triggers et WHERE et.entry_id = e.id)"
_SELECT = f"""
    SELECT e.id, e.date, e.time, e.anxiety, {_TRIGGER_IDS}, e.note, e.private, e.created_at, e.updated_at
    FROM entries e
"""
# entries.csv's cells of a check-in (docs/CSV.md) as SQLite can give them, but for the trigger ids
# and the sealed note, which _csv_row opens: no NULLs, "true"/"false". The formula guard stays with
# csv_export.
_CSV_SELECT = f"""
    SELECT e.id, 'checkin', e.date, e.anxiety, {_TRIGGER_IDS}, e.note, '', '', '', '', '', '',
           e.created_at, e.updated_at, CASE WHEN e.private THEN 'true' ELSE 'false' END, coalesce(e.time, '')
    FROM entries e
"""
_CSV_KEY = operator.itemgetter(2, 12, 0)  # date, created_at, id: the export's order
_FIELDS = ("id", "date", "time", "anxiety", "triggers", "note", "private", "created_at", "updated_at")
NOTE = "entries.note"


class Entry(TypedDict):
    """A check-in as read: its trigger names (ordered by name_key), ``private`` a bool."""
    id: str
    date: str
    time: str | None
    anxiety: int
    triggers: list[str]
    note: str
    private: bool
    created_at: str
    updated_at: str


class DayCheckin(TypedDict):
    """One check-in of a day, as ``checkins_on_dates`` lists it."""
    time: str | None
    created_at: str
    anxiety: int


def _ids(joined: str | None) -> list[int]:
    return [int(trigger_id) for trigger_id in joined.split(",")] if joined else []


def _reader(names: triggers_store.Names) -> Callable[[Sequence[Any]], Entry]:
    """Turns a row of ``_SELECT`` into an Entry, opening its words with the patient's key."""
    key = names.key

    def entry(row: Sequence[Any]) -> Entry:
        return {"id": row[0], "date": row[1], "time": row[2], "anxiety": row[3],
                "triggers": names.sorted(_ids(row[4])), "note": key.open(NOTE, row[5]), "private": bool(row[6]),
                "created_at": row[7], "updated_at": row[8]}
    return entry


def _read(db: Database, user_id: int) -> Callable[[Sequence[Any]], Entry]:
    return _reader(triggers_store.Names(db, user_id))


def _same_content(entry: Mapping[str, Any], data: Mapping[str, Any]) -> bool:
    """Would storing ``data`` leave ``entry`` as it is? (the idempotent-retry test)"""
    return (
        entry["date"] == data["date"]
        and entry["time"] == data.get("time")
        and entry["anxiety"] == data["anxiety"]
        and entry["note"] == data["note"]
        and entry["private"] == data["private"]
        and sorted(map(triggers_store.name_key, entry["triggers"]))
        == sorted(map(triggers_store.name_key, data["triggers"]))
    )


def create_entry(db: Database, user_id: int, data: Mapping[str, Any]) -> tuple[Entry, bool]:
    """Store a check-in; returns ``(entry, created)``.

    ``data`` is validated input: date (ISO string), time (``HH:MM`` or None), anxiety, triggers,
    note, private and an optional client ``id``. Re-sending the same id with the same content returns the
    stored entry with ``created=False``; the same id with other content raises IdConflict.

    What it moves besides ``entries`` and ``entry_triggers`` (SQL triggers, diary/migrations.py):
    ``checkin_days`` and ``checkin_day_triggers`` (the day's figures, m012), the patient's
    ``diary_versions`` row, and their ``dashboard_lines`` row is dropped (m013).
    """
    entry_id = str(data.get("id") or uuid.uuid4())
    data = {**data, "date": str(data["date"])}
    with write_transaction(db):
        key = keys_store.writer(db, user_id)
        now = utc_now()
        # The id is the idempotency key: a taken id inserts nothing, and only then is it looked up.
        inserted = db.execute(
            "INSERT INTO entries (id, user_id, date, time, anxiety, note, private, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            [entry_id, user_id, data["date"], data.get("time"), data["anxiety"], key.seal(NOTE, data["note"]),
             int(data["private"]), now, now],
        ).rowcount
        if not inserted:
            # The id is taken (in this transaction): the stored entry, or IdConflict; never None.
            return cast(Entry, replayed(db, "entries", user_id, entry_id, get_entry,
                                        lambda stored: _same_content(stored, data))), False
        names = _set_triggers(db, user_id, entry_id, data["triggers"], key, new=True)
    # What was just written, as get_entry would read it back (without reading it back).
    return {"id": entry_id, "date": data["date"], "time": data.get("time"), "anxiety": data["anxiety"],
            "triggers": names, "note": data["note"], "private": bool(data["private"]),
            "created_at": now, "updated_at": now}, True


def _set_triggers(db: Database, user_id: int, entry_id: str, names: Sequence[str], key: keys_store.DataKey,
                  new: bool = False) -> list[str]:
    """Link the entry to exactly ``names`` (``new``: it has no links yet); returns the linked
    triggers' stored names, ordered as a read orders them (by name_key)."""
    if not new:
        db.execute("DELETE FROM entry_triggers WHERE entry_id = ?", [entry_id])
    linked = {trigger_id: (normalised, name)
              for trigger_id, normalised, name in triggers_store.triggers_for_names(db, user_id, names, key)}
    if linked:
        db.execute("INSERT INTO entry_triggers (entry_id, trigger_id) VALUES "
                   + ", ".join("(?, ?)" for _ in linked), [v for t in sorted(linked) for v in (entry_id, t)])
    return [name for _, name in sorted(linked.values())]


def get_entry(db: Database, user_id: int, entry_id: str | uuid.UUID) -> Entry | None:
    """The entry, or None if it doesn't exist or isn't this user's."""
    entry_id = str(entry_id)  # a UUID from the URL converter, or a string
    row = db.execute(f"{_SELECT} WHERE e.user_id = ? AND e.id = ?", [user_id, entry_id]).fetchone()
    return _read(db, user_id)(row) if row else None


def list_entries(db: Database, user_id: int, *, date_from: dt.date | str | None = None,
                 date_to: dt.date | str | None = None, trigger_id: int | None = None, limit: int = 100,
                 offset: int = 0, include_private: bool = True) -> list[Entry]:
    """The user's entries, newest first, optionally within dates and tagged with one trigger (its id)."""
    where, params = date_range_where(user_id, date_from, date_to, prefix="e.")
    if not include_private:
        where.append("e.private = 0")
    if trigger_id is not None:
        where.append("EXISTS (SELECT 1 FROM entry_triggers et WHERE et.entry_id = e.id AND et.trigger_id = ?)")
        params.append(trigger_id)
    sql = (
        f"{_SELECT} WHERE {' AND '.join(where)}"
        " ORDER BY e.date DESC, e.created_at DESC, e.id DESC LIMIT ? OFFSET ?"
    )
    rows = db.execute(sql, [*params, limit, offset]).fetchall()
    return list(map(_read(db, user_id), rows)) if rows else []


def entries_on(db: Database, user_id: int, date: dt.date | str) -> list[Entry]:
    """Every check-in on one date, in the order they were made."""
    rows = db.execute(
        f"{_SELECT} WHERE e.user_id = ? AND e.date = ? ORDER BY e.created_at, e.id", [user_id, str(date)]
    ).fetchall()
    return list(map(_read(db, user_id), rows)) if rows else []


def update_entry(db: Database, user_id: int, entry_id: str | uuid.UUID, changes: Mapping[str, Any]) -> Entry | None:
    """Apply validated ``changes`` (any of date, time, anxiety, triggers, note, private).

    Returns the updated entry, or None if it isn't this user's.

    What it moves besides ``entries`` and ``entry_triggers`` (SQL triggers, diary/migrations.py):
    ``checkin_days`` and ``checkin_day_triggers`` (the day's figures, m012), the patient's
    ``diary_versions`` row, and their ``dashboard_lines`` row is dropped (m013).
    """
    entry_id = str(entry_id)  # a UUID from the URL converter, or a string
    columns = {k: changes[k] for k in ("date", "time", "anxiety", "note", "private") if k in changes}
    if "private" in columns:
        columns["private"] = int(columns["private"])
    if "date" in columns:
        columns["date"] = str(columns["date"])
    with write_transaction(db):
        key = keys_store.writer(db, user_id)
        if "note" in columns:
            columns["note"] = key.seal(NOTE, columns["note"])
        if not update_owned_row(db, "entries", user_id, entry_id, columns, utc_now()):
            return None
        if "triggers" in changes:
            _set_triggers(db, user_id, entry_id, changes["triggers"], key)
        return get_entry(db, user_id, entry_id)


def delete_entry(db: Database, user_id: int, entry_id: str | uuid.UUID) -> bool:
    """Delete the entry; False if it isn't this user's.

    What it moves besides ``entries`` and ``entry_triggers`` (SQL triggers, diary/migrations.py):
    ``checkin_days`` and ``checkin_day_triggers`` (the day's figures, m012), the patient's
    ``diary_versions`` row, and their ``dashboard_lines`` row is dropped (m013); its
    ``safety_events`` row goes with it (m005).
    """
    entry_id = str(entry_id)  # a UUID from the URL converter, or a string
    with write_transaction(db):
        cursor = db.execute("DELETE FROM entries WHERE user_id = ? AND id = ?", [user_id, entry_id])
    return cursor.rowcount == 1


# checkin_days (migration m012) holds each logged day's totals, over every check-in and over the
# shared ones only: the columns to read for each.
_DAY_COLUMNS = {True: "checkins, anxiety_sum, anxiety_min, anxiety_max",
                False: "shared_checkins, shared_sum, shared_min, shared_max"}


def day_totals(db: Database, user_id: int, date_from: dt.date | str, date_to: dt.date | str, *,
               include_private: bool = True) -> list[tuple[str, int, int, int, int]]:
    """``(date, check-ins, sum, lowest, highest)`` per logged day from ``date_from`` to ``date_to``,
    by date: the raw material for the insights, a row per day (kept on write; see m012)."""
    where, params = date_range_where(user_id, date_from, date_to)
    if not include_private:
        where.append("shared_checkins > 0")
    return db.execute(f"SELECT date, {_DAY_COLUMNS[include_private]} FROM checkin_days"
                      f" WHERE {' AND '.join(where)} ORDER BY date", params).fetchall()


def trigger_sums(db: Database, user_id: int, date_from: dt.date | str, date_to: dt.date | str, *,
                 include_private: bool = True) -> list[tuple[str, int, float]]:
    """``(name, days with it, sum of those days' mean anxiety)`` per trigger named on a logged day
    from ``date_from`` to ``date_to`` (insights.triggers.effects_from_sums turns them into effects)."""
    names = triggers_store.Names(db, user_id)
    count, total = ("checkins", "anxiety_sum") if include_private else ("shared_checkins", "shared_sum")
    # The day's mean by a correlated look-up on checkin_days' key, not a join: with a join over two
    # date ranges SQLite may (and, with one more index, did) pick a nested scan of both, 300x slower.
    sums = db.execute(
        f"""
        SELECT s.trigger_id, s.days, s.total FROM (
            SELECT dt.trigger_id, count(*) AS days,
                   sum((SELECT CAST(d.{total} AS REAL) / d.{count} FROM checkin_days d
                        WHERE d.user_id = dt.user_id AND d.date = dt.date)) AS total
            FROM checkin_day_triggers dt
            WHERE dt.user_id = ? AND dt.date BETWEEN ? AND ? AND dt.{count} > 0
            GROUP BY dt.trigger_id
        ) s JOIN triggers t ON t.id = s.trigger_id
        """,
        [user_id, str(date_from), str(date_to)],
    ).fetchall()
    opened = ((names.get(trigger_id), days, total) for trigger_id, days, total in sums)
    return [(name, days, total) for name, days, total in opened if name is not None]


def daily_means(db: Database, user_id: int, date_from: dt.date | str, date_to: dt.date | str, *,
                include_private: bool = True) -> dict[dt.date, float]:
    """{date: mean anxiety} per day with check-ins."""
    return {dt.date.fromisoformat(date): total / count
            for date, count, total, _, _ in day_totals(db, user_id, date_from, date_to,
                                                       include_private=include_private)}


def checkins_on_dates(db: Database, user_id: int, dates: Iterable[str], *,
                      include_private: bool = True) -> dict[str, list[DayCheckin]]:
    """``{date: [{time, created_at, anxiety}, ...]}`` for the given dates (ISO strings), oldest first."""
    dates = sorted(set(dates))
    if not dates:
        return {}
    shared_only = "" if include_private else " AND private = 0"
    rows = db.execute(
        f"SELECT date, time, created_at, anxiety FROM entries WHERE user_id = ?{shared_only}"
        f" AND date IN ({', '.join('?' for _ in dates)}) ORDER BY date, created_at",
        [user_id, *dates],
    )
    found: dict[str, list[DayCheckin]] = {}
    for date, time, created_at, anxiety in rows:
        found.setdefault(date, []).append({"time": time, "created_at": created_at, "anxiety": anxiety})
    return found


def first_date(db: Database, user_id: int, *, include_private: bool = True) -> str | None:
    """The earliest date in the user's diary (check-ins or sessions), or None."""
    shared_only = "" if include_private else " AND private = 0"
    row = db.execute(
        f"SELECT min(date) FROM (SELECT min(date) AS date FROM entries WHERE user_id = ?{shared_only}"
        f" UNION ALL SELECT min(date) FROM treatment_sessions WHERE user_id = ?{shared_only})",
        [user_id, user_id],
    ).fetchone()
    return row[0]


def last_date(db: Database, user_id: int, *, include_private: bool = True) -> str | None:
    """The date of the user's latest check-in, or None."""
    sql = "SELECT max(date) FROM entries WHERE user_id = ?" + ("" if include_private else " AND private = 0")
    return db.execute(sql, [user_id]).fetchone()[0]


EXPORT_PAGE_SIZE = 2000


def export_pages(db: Database, user_id: int, *, date_from: dt.date | str | None = None,
                 date_to: dt.date | str | None = None, include_private: bool = True,
                 page_size: int = EXPORT_PAGE_SIZE) -> Iterator[list[Entry]]:
    """Yield the user's check-ins oldest first, a page (list of dicts) at a time."""
    where, params = date_range_where(user_id, date_from, date_to, prefix="e.")
    if not include_private:
        where.append("e.private = 0")
    order = ("e.date", "e.created_at", "e.id")
    return keyset_pages(db, _SELECT, where, params, order, page_size, _read(db, user_id))


def csv_pages(db: Database, user_id: int, *, date_from: dt.date | str | None = None,
              date_to: dt.date | str | None = None, include_private: bool = True,
              with_note: bool = True) -> Iterator[list[tuple[Any, ...]]]:
    """Yield the user's check-ins oldest first as entries.csv rows (tuples, see ``_CSV_SELECT``), a
    page at a time; without ``with_note`` the note cells are empty."""
    where, params = date_range_where(user_id, date_from, date_to, prefix="e.")
    if not include_private:
        where.append("e.private = 0")
    names = triggers_store.Names(db, user_id)
    key = names.key

    def row(cells: Sequence[Any]) -> tuple[Any, ...]:
        note = key.open(NOTE, cells[5]) if with_note else ""
        return (*cells[:4], "; ".join(names.sorted(_ids(cells[4]))), note, *cells[6:])
    return keyset_pages(db, _CSV_SELECT, where, params, ("e.date", "e.created_at", "e.id"), EXPORT_PAGE_SIZE,
                        row, key=_CSV_KEY)


def has_private(db: Database, user_id: int) -> bool:
    """Whether the user marked any of these records private."""
    return has_private_rows(db, "entries", user_id)
