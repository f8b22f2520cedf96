"""Which version of a patient's diary is stored (``diary_versions``, migrations m013 and m014)."""
from sqlite_utils import Database


def diary_version(db: Database, user_id: int) -> int | None:
    """The version of a live account's diary (0 before its first write), or None if there is no
    such account or it was deleted. The version moves on with every write to the diary's
    check-ins, sessions, questionnaires and trigger names."""
    row = db.execute(
        "SELECT coalesce(v.version, 0) FROM users u LEFT JOIN diary_versions v ON v.user_id = u.id"
        " WHERE u.id = ? AND u.deleted_at IS NULL",
        [user_id],
    ).fetchone()
    return row[0] if row else None


def database_id(db: Database) -> str:
    """The database's own random id, made with it (migration m014)."""
    return db.execute("SELECT id FROM database_id").fetchone()[0]
