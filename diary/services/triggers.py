"""A patient's own trigger tags: the list, renaming, merging and deleting (the Triggers page)."""
from sqlite_utils import Database

from ..store import triggers as triggers_store
from ..store.triggers import Trigger, TriggerUse


def list_own(db: Database, user_id: int) -> list[TriggerUse]:
    """The patient's triggers by name, each with how many check-ins name it."""
    return triggers_store.list_triggers(db, user_id)


def find_by_name(db: Database, user_id: int, name: str) -> Trigger | None:
    """The patient's trigger called ``name`` (case and spacing ignored), or None."""
    return triggers_store.get_trigger_by_name(db, user_id, name)


def get_own(db: Database, user_id: int, trigger_id: int) -> Trigger | None:
    """The patient's trigger ``trigger_id``, or None when it isn't theirs."""
    return triggers_store.get_trigger(db, user_id, trigger_id)


def rename(db: Database, user_id: int, trigger_id: int, new_name: str) -> bool:
    """Rename a trigger; raises NameTaken when the patient already has one by that name."""
    return triggers_store.rename_trigger(db, user_id, trigger_id, new_name)


def merge(db: Database, user_id: int, source_id: int, target_id: int) -> bool:
    """Move every check-in's ``source`` tag to ``target`` and delete ``source`` (can't be undone)."""
    return triggers_store.merge_triggers(db, user_id, source_id, target_id)


def delete(db: Database, user_id: int, trigger_id: int) -> bool:
    """Delete a trigger; the check-ins that named it are kept."""
    return triggers_store.delete_trigger(db, user_id, trigger_id)
