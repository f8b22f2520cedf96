"""What the restore drill reads from a SQLite file: its integrity, how many rows its tables hold and
its newest records. Read-only, one snapshot per call, on a connection the caller owns."""
import os
import sqlite3
import urllib.parse
from typing import TypedDict

# The tables whose row counts the drill compares with the live database: what people wrote and who
# they are. (Caches rebuilt from these, rate-limit counters and login sessions change on reads.)
MAIN_TABLES = ("users", "entries", "treatment_sessions", "assessments", "safety_plans", "shares",
               "audit_log")


class Newest(TypedDict):
    """The newest check-in and audit row of a database (None: the table is empty)."""
    entry_id: str | None
    entry_created_at: str | None
    audit_id: int | None
    audit_at: str | None


class Contents(TypedDict):
    """One consistent look at a file: row counts per table, and its newest records."""
    counts: dict[str, int]
    newest: Newest | None


def integrity(conn: sqlite3.Connection) -> str:
    """``PRAGMA integrity_check``: "ok", or the first problems it reports."""
    rows = [row[0] for row in conn.execute("PRAGMA integrity_check(20)").fetchall()]
    return "ok" if rows == ["ok"] else "; ".join(rows)


def tables(conn: sqlite3.Connection) -> list[str]:
    """Every table of the file's own (not SQLite's, nor Litestream's _litestream_seq and _litestream_lock)."""
    return [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
        "AND name NOT LIKE '\\_litestream\\_%' ESCAPE '\\' ORDER BY name").fetchall()]


def contents(conn: sqlite3.Connection, names: tuple[str, ...] | None = None, *, newest: bool = True) -> Contents:
    """Row counts of ``names`` (those the file has; default: every table of its own), and with
    ``newest`` the newest check-in and audit row, all read in one snapshot."""
    conn.execute("BEGIN")
    try:
        present = tables(conn)
        chosen = [name for name in (names or present) if name in present]
        # Table names come from the file's own schema (and a fixed list): quoted, never user input.
        counts = {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in chosen}
        found = _newest(conn, present) if newest else None
    finally:
        conn.execute("COMMIT")
    return {"counts": counts, "newest": found}


def _newest(conn: sqlite3.Connection, present: list[str]) -> Newest:
    entry = audit = None
    if "entries" in present:
        entry = conn.execute(
            "SELECT id, created_at FROM entries ORDER BY created_at DESC, rowid DESC LIMIT 1").fetchone()
    if "audit_log" in present:
        audit = conn.execute("SELECT id, at FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return {"entry_id": entry[0] if entry else None, "entry_created_at": entry[1] if entry else None,
            "audit_id": audit[0] if audit else None, "audit_at": audit[1] if audit else None}


def has_entry(conn: sqlite3.Connection, entry_id: str) -> bool:
    return conn.execute("SELECT 1 FROM entries WHERE id = ?", [entry_id]).fetchone() is not None


def open_read_only(path: str) -> sqlite3.Connection:
    """A connection to ``path`` that never writes to it (nor creates it: a missing file is an error)."""
    uri = f"file:{urllib.parse.quote(os.path.abspath(path))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=5)
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn
