"""A patient's own trigger tags ("work", "sleep"...), unique per patient ignoring case."""
import sqlite3
from collections.abc import Sequence
from typing import TypedDict

from sqlite_utils import Database

from ..db import write_transaction
from . import NameTaken


class Trigger(TypedDict):
    id: int
    name: str


class TriggerUse(TypedDict):
    """A trigger with how many check-ins use it (``list_triggers``)."""
    id: int
    name: str
    entry_count: int


def name_key(name: str) -> str:
    """The identity of a trigger name: "Work", "work " and "WORK" are one trigger."""
    return " ".join(name.split()).casefold()


def list_triggers(db: Database, user_id: int) -> list[TriggerUse]:
    """The patient's triggers with how many check-ins use each, by name."""
    rows = db.execute(
        """
        SELECT t.id, t.name, COUNT(et.entry_id)
        FROM triggers t LEFT JOIN entry_triggers et ON et.trigger_id = t.id
        WHERE t.user_id = ?
        GROUP BY t.id
        ORDER BY t.name_key
        """,
        [user_id],
    ).fetchall()
    return [{"id": r[0], "name": r[1], "entry_count": r[2]} for r in rows]


def ids_by_name(db: Database, user_id: int) -> dict[str, int]:
    """The user's trigger names, each with its id (no counts: see list_triggers)."""
    return dict(db.execute("SELECT name, id FROM triggers WHERE user_id = ?", [user_id]).fetchall())


def get_trigger_by_name(db: Database, user_id: int, name: str) -> Trigger | None:
    """The user's trigger called ``name`` (case and spacing ignored: its name_key), or None."""
    row = db.execute(
        "SELECT id, name FROM triggers WHERE user_id = ? AND name_key = ?", [user_id, name_key(name)]
    ).fetchone()
    return {"id": row[0], "name": row[1]} if row else None


def get_trigger(db: Database, user_id: int, trigger_id: int) -> Trigger | None:
    row = db.execute(
        "SELECT id, name FROM triggers WHERE user_id = ? AND id = ?", [user_id, trigger_id]
    ).fetchone()
    return {"id": row[0], "name": row[1]} if row else None


def triggers_for_names(db: Database, user_id: int, names: Sequence[str]) -> list[tuple[int, str, str]]:
    """``(id, name_key, stored name)`` of the patient's trigger for each of ``names`` (in order),
    creating the ones the patient doesn't have yet; an existing trigger keeps its own spelling.

    Call inside a write transaction. One SELECT for the names already there, one INSERT for each
    new one (a check-in's triggers are mostly old ones).
    """
    if not names:
        return []
    keys = [name_key(name) for name in names]
    found = {key: (trigger_id, name) for key, trigger_id, name in db.execute(
        f"SELECT name_key, id, name FROM triggers WHERE user_id = ? AND name_key IN ({', '.join('?' * len(keys))})",
        [user_id, *keys]).fetchall()}
    for name, key in zip(names, keys):
        if key not in found:
            stored = " ".join(name.split())
            found[key] = (db.execute("INSERT INTO triggers (user_id, name, name_key) VALUES (?, ?, ?) RETURNING id",
                                     [user_id, stored, key]).fetchone()[0], stored)
    return [(found[key][0], key, found[key][1]) for key in keys]


def rename_trigger(db: Database, user_id: int, trigger_id: int, new_name: str) -> bool:
    """Rename; raises NameTaken if another trigger already has that name (merge instead).

    What it moves besides ``triggers`` (SQL triggers, diary/migrations.py): the patient's
    ``diary_versions`` row (m014).
    """
    try:
        with write_transaction(db):
            cursor = db.execute(
                "UPDATE triggers SET name = ?, name_key = ? WHERE user_id = ? AND id = ?",
                [" ".join(new_name.split()), name_key(new_name), user_id, trigger_id],
            )
    except sqlite3.IntegrityError as error:
        raise NameTaken(new_name) from error
    return cursor.rowcount == 1


def merge_triggers(db: Database, user_id: int, source_id: int, target_id: int) -> bool:
    """Move every check-in tagged ``source`` to ``target`` and delete ``source``.

    What it moves besides ``triggers`` (SQL triggers, diary/migrations.py): the patient's
    ``diary_versions`` row (m014), and, through ``entry_triggers``, ``checkin_day_triggers`` (m012).
    """
    if source_id == target_id:
        return False
    with write_transaction(db):
        if get_trigger(db, user_id, source_id) is None or get_trigger(db, user_id, target_id) is None:
            return False
        db.execute(
            "INSERT OR IGNORE INTO entry_triggers (entry_id, trigger_id)"
            " SELECT entry_id, ? FROM entry_triggers WHERE trigger_id = ?",
            [target_id, source_id],
        )
        db.execute("DELETE FROM triggers WHERE user_id = ? AND id = ?", [user_id, source_id])
    return True


def delete_trigger(db: Database, user_id: int, trigger_id: int) -> bool:
    """Delete the tag; the check-ins that had it stay, without it.

    What it moves besides ``triggers`` (SQL triggers, diary/migrations.py): the patient's
    ``diary_versions`` row (m014), and, through ``entry_triggers``, ``checkin_day_triggers`` (m012).
    """
    with write_transaction(db):
        cursor = db.execute("DELETE FROM triggers WHERE user_id = ? AND id = ?", [user_id, trigger_id])
    return cursor.rowcount == 1
