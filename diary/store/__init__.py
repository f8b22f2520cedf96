"""The only code that touches SQL: one module per aggregate. Every query is filtered by owner.

Rows come back as plain dicts, one of two ways: sqlite-utils' ``db.query`` where a row is the
record as stored (shares, audit events, safety events), and a module's own converter over the one
tuple of field names its SELECT is built from where values change on the way out (0/1 to
booleans, JSON lists, a check-in's tags joined in: entries, sessions, assessments, push) or where
the read is on every request (users: ``db.query`` wraps each statement in a SAVEPOINT pair).
Hot write paths use plain ``db.execute`` with prepared SQL (docs/PERFORMANCE.md).
"""
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar, overload

from sqlite_utils import Database

# A record as a store module reads it (an entry, a session...).
R = TypeVar("R")


class IdConflict(Exception):
    """A client-supplied id is already used by a different record."""


class NameTaken(Exception):
    """A unique name (email, trigger) is already in use."""


def replayed(db: Database, table: str, user_id: int, record_id: str, get: Callable[[Database, int, str], R | None],
             same: Callable[[R], bool]) -> R | None:
    """An idempotent create's check (inside its transaction): the stored record when ``record_id``
    is this user's and ``same(stored)`` (a replay), None when the id is free; else IdConflict
    (another user's id, or the same id with other content).

    ``table`` comes from the store's own code, never from input.
    """
    owner = db.execute(f"SELECT user_id FROM {table} WHERE id = ?", [record_id]).fetchone()
    if owner is None:
        return None
    existing = get(db, user_id, record_id) if owner[0] == user_id else None
    if existing is not None and same(existing):
        return existing
    raise IdConflict(record_id)


def update_owned_row(db: Database, table: str, user_id: int, record_id: str, columns: Mapping[str, Any],
                     now: str) -> bool:
    """``UPDATE table SET columns..., updated_at`` for one row the user owns.

    ``table`` and the keys of ``columns`` come from the store's own code, never from input.
    """
    assignments = "".join(f"{name} = ?, " for name in columns)
    cursor = db.execute(
        f"UPDATE {table} SET {assignments}updated_at = ? WHERE user_id = ? AND id = ?",
        [*columns.values(), now, user_id, record_id],
    )
    return cursor.rowcount == 1


def has_private_rows(db: Database, table: str, user_id: int) -> bool:
    """Whether the user marked any row of ``table`` private (``table`` from the store's own code)."""
    return db.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE user_id = ? AND private = 1)",
                      [user_id]).fetchone()[0] == 1


def date_range_where(user_id: int, date_from: dt.date | str | None = None, date_to: dt.date | str | None = None,
                     prefix: str = "") -> tuple[list[str], list[Any]]:
    """``(conditions, params)`` for one user's records within optional inclusive dates."""
    params: list[Any]
    conditions, params = [f"{prefix}user_id = ?"], [user_id]
    if date_from:
        conditions.append(f"{prefix}date >= ?")
        params.append(str(date_from))
    if date_to:
        conditions.append(f"{prefix}date <= ?")
        params.append(str(date_to))
    return conditions, params


@overload
def keyset_pages(db: Database, select: str, where: Iterable[str], params: Iterable[Any], order: Sequence[str],
                 page_size: int, record: None = None,
                 key: Callable[[Any], Iterable[Any]] | None = None) -> Iterator[list[Any]]: ...


@overload
def keyset_pages(db: Database, select: str, where: Iterable[str], params: Iterable[Any], order: Sequence[str],
                 page_size: int, record: Callable[[Any], R],
                 key: Callable[[Any], Iterable[Any]] | None = None) -> Iterator[list[R]]: ...


def keyset_pages(db: Database, select: str, where: Iterable[str], params: Iterable[Any], order: Sequence[str],
                 page_size: int, record: Callable[[Any], Any] | None = None,
                 key: Callable[[Any], Iterable[Any]] | None = None) -> Iterator[list[Any]]:
    """Yield pages of ``record(row)`` in ``order``, each page one short query after the last key.

    Keyset pagination (not OFFSET): every page costs the same, no transaction stays open
    between pages, and memory holds one page. ``order`` columns must be unique together.
    Without ``record`` a page holds the rows themselves (plain tuples). ``key(record)`` gives a
    record's ``order`` values; by default they are read from the record's keys of the same
    (unprefixed) names.
    """
    key = key or (lambda last: tuple(last[column.rsplit(".", 1)[-1]] for column in order))
    after: Iterable[Any] | None = None
    while True:
        conditions, page_params = list(where), list(params)
        if after is not None:
            conditions.append(f"({', '.join(order)}) > ({', '.join('?' for _ in order)})")
            page_params.extend(after)
        rows = db.execute(
            f"{select} WHERE {' AND '.join(conditions)} ORDER BY {', '.join(order)} LIMIT ?",
            [*page_params, page_size],
        ).fetchall()
        if not rows:
            return
        page = rows if record is None else [record(row) for row in rows]
        yield page
        if len(rows) < page_size:
            return
        after = key(page[-1])
