"""The only code that touches SQL: one module per aggregate. Every query is filtered by owner."""


class IdConflict(Exception):
    """A client-supplied id is already used by a different record."""


class NameTaken(Exception):
    """A unique name (email, trigger) is already in use."""


def update_owned_row(db, table, user_id, record_id, columns, now):
    """``UPDATE table SET columns..., updated_at`` for one row the user owns.

    ``table`` and the keys of ``columns`` come from the store's own code, never from input.
    """
    assignments = "".join(f"{name} = ?, " for name in columns)
    cursor = db.execute(
        f"UPDATE {table} SET {assignments}updated_at = ? WHERE user_id = ? AND id = ?",
        [*columns.values(), now, user_id, record_id],
    )
    return cursor.rowcount == 1
