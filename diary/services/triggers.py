"""A patient's own trigger tags: the list, renaming, merging and deleting (the Triggers page)."""
from ..store import triggers as triggers_store


def list_own(db, user_id):
    """The patient's triggers by name, each with how many check-ins name it."""
    return triggers_store.list_triggers(db, user_id)


def get_own(db, user_id, trigger_id):
    """The patient's trigger ``trigger_id``, or None when it isn't theirs."""
    return triggers_store.get_trigger(db, user_id, trigger_id)


def rename(db, user_id, trigger_id, new_name):
    """Rename a trigger; raises NameTaken when the patient already has one by that name."""
    return triggers_store.rename_trigger(db, user_id, trigger_id, new_name)


def merge(db, user_id, source_id, target_id):
    """Move every check-in's ``source`` tag to ``target`` and delete ``source`` (can't be undone)."""
    return triggers_store.merge_triggers(db, user_id, source_id, target_id)


def delete(db, user_id, trigger_id):
    """Delete a trigger; the check-ins that named it are kept."""
    return triggers_store.delete_trigger(db, user_id, trigger_id)
