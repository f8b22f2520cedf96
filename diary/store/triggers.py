"""A patient's own trigger tags ("work", "sleep"...), unique per patient ignoring case.

A name is stored sealed with the patient's data key (store/keys.py); ``name_key`` holds its blind
index (a keyed HMAC of the normalised name), which is what SQL compares and keeps unique. Ordering
by name happens here, after opening the names.
"""
import sqlite3
from collections.abc import Iterable, Sequence
from typing import TypedDict

from sqlite_utils import Database

from ..db import write_transaction
from . import NameTaken
from . import keys as keys_store

COLUMN = "triggers.name"


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


class Names:
    """One patient's trigger names by id, opened on first use (a read opens each name once)."""

    def __init__(self, db: Database, user_id: int, key: keys_store.Key | None = None) -> None:
        self._db, self._user_id = db, user_id
        self.key = key or keys_store.reader(db, user_id)
        self._sealed: dict[int, str] | None = None
        self._opened: dict[int, str] = {}

    def get(self, trigger_id: int) -> str | None:
        """The trigger's name; None for one deleted (or merged away) since the rows were read."""
        name = self._opened.get(trigger_id)
        if name is None:
            if self._sealed is None or trigger_id not in self._sealed:  # (again: one made since, mid-export)
                self._sealed = dict(self._db.execute("SELECT id, name FROM triggers WHERE user_id = ?",
                                                     [self._user_id]).fetchall())
            if trigger_id not in self._sealed:
                return None
            name = self._opened[trigger_id] = self.key.open(COLUMN, self._sealed[trigger_id])
        return name

    def sorted(self, trigger_ids: Iterable[int]) -> list[str]:
        """The names of ``trigger_ids``, ordered by name_key (case and spacing ignored)."""
        return sorted((name for name in map(self.get, trigger_ids) if name is not None), key=name_key)


def list_triggers(db: Database, user_id: int) -> list[TriggerUse]:
    """The patient's triggers with how many check-ins use each, by name."""
    rows = db.execute(
        """
        SELECT t.id, t.name, COUNT(et.entry_id)
        FROM triggers t LEFT JOIN entry_triggers et ON et.trigger_id = t.id
        WHERE t.user_id = ?
        GROUP BY t.id
        """,
        [user_id],
    ).fetchall()
    key = keys_store.reader(db, user_id)
    found: list[TriggerUse] = [{"id": r[0], "name": key.open(COLUMN, r[1]), "entry_count": r[2]} for r in rows]
    return sorted(found, key=lambda trigger: (name_key(trigger["name"]), trigger["id"]))


def ids_by_name(db: Database, user_id: int) -> dict[str, int]:
    """The user's trigger names, each with its id (no counts: see list_triggers)."""
    key = keys_store.reader(db, user_id)
    return {key.open(COLUMN, name): trigger_id
            for name, trigger_id in db.execute("SELECT name, id FROM triggers WHERE user_id = ?", [user_id])}


def get_trigger_by_name(db: Database, user_id: int, name: str) -> Trigger | None:
    """The user's trigger called ``name`` (case and spacing ignored: its name_key), or None."""
    key = keys_store.reader(db, user_id)
    if isinstance(key, keys_store.MissingKey):
        return None  # no key: no trigger was ever saved
    row = db.execute(
        "SELECT id, name FROM triggers WHERE user_id = ? AND name_key = ?", [user_id, key.blind_index(name_key(name))]
    ).fetchone()
    return {"id": row[0], "name": key.open(COLUMN, row[1])} if row else None


def get_trigger(db: Database, user_id: int, trigger_id: int) -> Trigger | None:
    row = db.execute(
        "SELECT id, name FROM triggers WHERE user_id = ? AND id = ?", [user_id, trigger_id]
    ).fetchone()
    return {"id": row[0], "name": keys_store.reader(db, user_id).open(COLUMN, row[1])} if row else None


def triggers_for_names(db: Database, user_id: int, names: Sequence[str],
                       key: keys_store.DataKey | None = None) -> list[tuple[int, str, str]]:
    """``(id, normalised name, stored name)`` of the patient's trigger for each of ``names`` (in
    order), creating the ones the patient doesn't have yet; an existing trigger keeps its own spelling.

    Call inside a write transaction. One SELECT for the names already there, one INSERT for each
    new one (a check-in's triggers are mostly old ones).
    """
    if not names:
        return []
    key = key or keys_store.writer(db, user_id)
    normalised = [name_key(name) for name in names]
    blind = {index: key.blind_index(index) for index in normalised}
    found = {index: (trigger_id, key.open(COLUMN, name)) for index, trigger_id, name in db.execute(
        f"SELECT name_key, id, name FROM triggers WHERE user_id = ? AND name_key IN ({', '.join('?' * len(blind))})",
        [user_id, *blind.values()]).fetchall()}
    by_normalised = {index: found[blind[index]] for index in normalised if blind[index] in found}
    for name, index in zip(names, normalised):
        if index not in by_normalised:
            stored = " ".join(name.split())
            by_normalised[index] = (db.execute(
                "INSERT INTO triggers (user_id, name, name_key) VALUES (?, ?, ?) RETURNING id",
                [user_id, key.seal(COLUMN, stored), blind[index]]).fetchone()[0], stored)
    return [(by_normalised[index][0], index, by_normalised[index][1]) for index in normalised]


def rename_trigger(db: Database, user_id: int, trigger_id: int, new_name: str) -> bool:
    """Rename; raises NameTaken if another trigger already has that name (merge instead).

    What it moves besides ``triggers`` (SQL triggers, diary/migrations.py): the patient's
    ``diary_versions`` row (m014).
    """
    try:
        with write_transaction(db):
            key = keys_store.writer(db, user_id)
            cursor = db.execute(
                "UPDATE triggers SET name = ?, name_key = ? WHERE user_id = ? AND id = ?",
                [key.seal(COLUMN, " ".join(new_name.split())), key.blind_index(name_key(new_name)), user_id,
                 trigger_id],
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
