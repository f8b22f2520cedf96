"""Results computed from one patient's diary, kept by this worker process while the diary stays
at the version they were computed from (the all-time Trends page of a five-year diary: docs/PERFORMANCE.md).

A result is keyed on the database (its own random id: a file made again at the same path is
another database), the account, the diary's version (moved on by SQLite
triggers in the same transaction as every write that changes what Trends say: migrations m013,
m014) and the caller's own key (which must hold everything else the result depends on, such as
the patient's local date). The version and the result are read in one snapshot, so a result is
never filed under a version older than the data it was computed from. Results are shared between
requests: callers must not change them.
"""
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from sqlite_utils import Database

from ..db import read_snapshot
from ..store import versions as versions_store

# What a caller's ``compute()`` returns.
T = TypeVar("T")


class DiaryMemo:
    """A bounded, thread-safe store of results, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._results: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, db: Database, user_id: int, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``'s result for ``user_id``'s diary as stored now, computed again only when
        the diary has changed since (or the result was dropped to make room).

        Inside an open transaction nothing is kept or reused: a version read there may include
        writes that are then rolled back, and the number comes again with other data."""
        if db.conn.in_transaction:
            return compute()
        with read_snapshot(db):
            version = versions_store.diary_version(db, user_id)
            if version is None:
                return compute()
            return self.get_at(db, user_id, version, key, compute)

    def get_at(self, db: Database, user_id: int, version: int, key: Hashable, compute: Callable[[], T]) -> T:
        """As ``get``, with the diary's ``version`` already read by the caller in the read snapshot
        that ``compute()`` reads too (a list of many patients reads every version in one query).
        Call it only inside a ``read_snapshot`` the caller opened itself, never inside a write
        transaction (whose version may yet be rolled back)."""
        if self.size <= 0:
            return compute()
        full_key = (_database_id(db), user_id, version, key)
        with self._lock:
            if full_key in self._results:
                self._results.move_to_end(full_key)
                return self._results[full_key]
        result = compute()
        with self._lock:
            self._results[full_key] = result
            while len(self._results) > self.size:
                self._results.popitem(last=False)
        return result

    def clear(self) -> None:
        with self._lock:
            self._results.clear()


def _database_id(db: Database) -> str:
    """The database's own id, read once per connection."""
    # An attribute of our own on sqlite-utils' Database (which doesn't declare it): hence getattr/setattr.
    if getattr(db, "memo_database_id", None) is None:
        setattr(db, "memo_database_id", versions_store.database_id(db))
    return cast(str, getattr(db, "memo_database_id"))
