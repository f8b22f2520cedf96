"""Treatment sessions (ketamine infusions, psychotherapy...) and the reflection written after."""
import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypedDict, cast

from sqlite_utils import Database

from ..db import write_transaction
from ..timeutil import utc_now
from . import date_range_where, has_private_rows
from . import keys as keys_store
from . import keyset_pages, replayed, update_owned_row

_CONTENT = (
    "date", "time", "treatment", "dose_mg", "dose_unit", "dose_value", "weight_kg", "anxiety_before",
    "anxiety_after", "side_effects", "bp_before_systolic", "bp_before_diastolic", "bp_after_systolic",
    "bp_after_diastolic", "reflection", "private",
)
_FIELDS = ("id", *_CONTENT, "created_at", "updated_at")
# What a new session holds for the optional fields it wasn't given.
_OPTIONAL: dict[str, Any] = {
    "time": None, "dose_mg": None, "weight_kg": None, "side_effects": [], "bp_before_systolic": None,
    "bp_before_diastolic": None, "bp_after_systolic": None, "bp_after_diastolic": None, "reflection": "",
    "private": False,
}
_SELECT = f"SELECT {', '.join(_FIELDS)} FROM treatment_sessions"
# The one column of a session holding the patient's words: sealed with their data key (store/keys.py).
REFLECTION = "treatment_sessions.reflection"


class SideEffect(TypedDict):
    name: str
    severity: str | None
    hours: float | None


class Session(TypedDict):
    """A treatment session as read: side effects decoded, ``private`` a bool."""
    id: str
    date: str
    time: str | None
    treatment: str
    dose_mg: float | None
    dose_unit: str | None
    dose_value: float | None
    weight_kg: float | None
    anxiety_before: int | None
    anxiety_after: int | None
    side_effects: list[SideEffect]
    bp_before_systolic: int | None
    bp_before_diastolic: int | None
    bp_after_systolic: int | None
    bp_after_diastolic: int | None
    reflection: str
    private: bool
    created_at: str
    updated_at: str


def side_effect(item: str | Mapping[str, Any]) -> SideEffect:
    """A stored side effect as ``{name, severity, hours}``: rows saved before severities (m006)
    hold plain names, read as unrated and without a duration."""
    if isinstance(item, str):
        return {"name": item, "severity": None, "hours": None}
    return {"name": item["name"], "severity": item.get("severity"), "hours": item.get("hours")}


def _reader(key: keys_store.Key) -> Callable[[Sequence[Any]], Session]:
    """Turns a row of ``_SELECT`` into a Session, opening the reflection with the patient's key."""
    def session(row: Sequence[Any]) -> Session:
        record = dict(zip(_FIELDS, row))
        record["side_effects"] = [side_effect(item) for item in json.loads(record["side_effects"])]
        record["private"] = bool(record["private"])
        record["reflection"] = key.open(REFLECTION, record["reflection"])
        return cast(Session, record)
    return session


def _sealed(columns: Mapping[str, Any], key: keys_store.DataKey) -> dict[str, Any]:
    """``columns`` as stored: the reflection sealed."""
    if "reflection" not in columns:
        return dict(columns)
    return {**columns, "reflection": key.seal(REFLECTION, columns["reflection"] or "")}


def _columns(data: Mapping[str, Any]) -> dict[str, Any]:
    """The stored form of validated session fields present in ``data``."""
    columns = {k: data[k] for k in _CONTENT if k in data}
    if "date" in columns:
        columns["date"] = str(columns["date"])
    if "side_effects" in columns:
        effects = {effect["name"]: effect for effect in map(side_effect, columns["side_effects"])}
        columns["side_effects"] = json.dumps([effects[name] for name in sorted(effects)])
    if "dose_mg" in columns and "dose_unit" not in columns and "dose_value" not in columns:
        # a dose in mg alone (callers that skip the schema: demo data, benchmarks)
        columns["dose_unit"] = None if columns["dose_mg"] is None else "mg"
        columns["dose_value"] = columns["dose_mg"]
    if "private" in columns:
        columns["private"] = int(columns["private"])
    return columns


def create_session(db: Database, user_id: int, data: Mapping[str, Any]) -> tuple[Session, bool]:
    """Store a session; returns ``(session, created)``, idempotent on a client ``id``.

    Same id and same content: the stored session, ``created=False``.
    Same id, other content (or another user's id): IdConflict.

    What it moves besides ``treatment_sessions`` (SQL triggers, diary/migrations.py): the patient's
    ``diary_versions`` row, and their ``dashboard_lines`` row is dropped (m013).
    """
    session_id = str(data.get("id") or uuid.uuid4())
    columns = _columns({**_OPTIONAL, **data})
    with write_transaction(db):
        existing = replayed(db, "treatment_sessions", user_id, session_id, get_session,
                            lambda stored: _columns(stored) == columns)
        if existing is not None:
            return existing, False
        now = utc_now()
        names = ["id", "user_id", *columns, "created_at", "updated_at"]
        db.execute(
            f"INSERT INTO treatment_sessions ({', '.join(names)})"
            f" VALUES ({', '.join('?' for _ in names)})",
            [session_id, user_id, *_sealed(columns, keys_store.writer(db, user_id)).values(), now, now],
        )
        # Just inserted, in this same transaction: never None.
        return cast(Session, get_session(db, user_id, session_id)), True


def get_session(db: Database, user_id: int, session_id: str | uuid.UUID) -> Session | None:
    """The session, or None if it doesn't exist or isn't this user's."""
    session_id = str(session_id)  # a UUID from the URL converter, or a string
    row = db.execute(f"{_SELECT} WHERE user_id = ? AND id = ?", [user_id, session_id]).fetchone()
    return _reader(keys_store.reader(db, user_id))(row) if row else None


def list_sessions(db: Database, user_id: int, *, date_from: dt.date | str | None = None,
                  date_to: dt.date | str | None = None, include_private: bool = True) -> list[Session]:
    """The user's sessions, newest first."""
    where, params = date_range_where(user_id, date_from, date_to)
    if not include_private:
        where.append("private = 0")
    rows = db.execute(
        f"{_SELECT} WHERE {' AND '.join(where)} ORDER BY date DESC, created_at DESC, id DESC", params
    ).fetchall()
    return list(map(_reader(keys_store.reader(db, user_id)), rows)) if rows else []


def first_date(db: Database, user_id: int, *, include_private: bool = True) -> str | None:
    """The date of the user's first session (without private ones: the first shared one), or None."""
    sql = "SELECT min(date) FROM treatment_sessions WHERE user_id = ?" + ("" if include_private else " AND private = 0")
    return db.execute(sql, [user_id]).fetchone()[0]


def update_session(db: Database, user_id: int, session_id: str | uuid.UUID,
                   changes: Mapping[str, Any]) -> Session | None:
    """Apply validated ``changes``; the updated session, or None if it isn't this user's.

    What it moves besides ``treatment_sessions`` (SQL triggers, diary/migrations.py): the patient's
    ``diary_versions`` row, and their ``dashboard_lines`` row is dropped (m013).
    """
    session_id = str(session_id)  # a UUID from the URL converter, or a string
    with write_transaction(db):
        columns = _sealed(_columns(changes), keys_store.writer(db, user_id))
        if not update_owned_row(db, "treatment_sessions", user_id, session_id, columns, utc_now()):
            return None
        return get_session(db, user_id, session_id)


def delete_session(db: Database, user_id: int, session_id: str | uuid.UUID) -> bool:
    """Delete the session; False if it isn't this user's.

    What it moves besides ``treatment_sessions`` (SQL triggers, diary/migrations.py): the patient's
    ``diary_versions`` row, and their ``dashboard_lines`` row is dropped (m013); its
    ``safety_events`` row goes with it (m005).
    """
    session_id = str(session_id)  # a UUID from the URL converter, or a string
    with write_transaction(db):
        cursor = db.execute(
            "DELETE FROM treatment_sessions WHERE user_id = ? AND id = ?", [user_id, session_id]
        )
    return cursor.rowcount == 1


EXPORT_PAGE_SIZE = 2000


def export_pages(db: Database, user_id: int, *, date_from: dt.date | str | None = None,
                 date_to: dt.date | str | None = None, include_private: bool = True,
                 page_size: int = EXPORT_PAGE_SIZE) -> Iterator[list[Session]]:
    """Yield the user's sessions oldest first, a page (list of dicts) at a time."""
    where, params = date_range_where(user_id, date_from, date_to)
    if not include_private:
        where.append("private = 0")
    order = ("date", "created_at", "id")
    return keyset_pages(db, _SELECT, where, params, order, page_size, _reader(keys_store.reader(db, user_id)))


def has_private(db: Database, user_id: int) -> bool:
    """Whether the user marked any of these records private."""
    return has_private_rows(db, "treatment_sessions", user_id)
