"""Attempts counted against rate limits, shared by every worker through the database."""
import math
import time
from collections.abc import Sequence
from typing import cast

from sqlite_utils import Database

from ..db import write_transaction

# Hits older than this are gone whatever their limit's window (the longest window is 30 days).
KEEP_SECONDS = 31 * 24 * 3600


def take(db: Database, rules: Sequence[tuple[str, int, float]], *,
         now: float | None = None) -> tuple[int | None, list[int]]:
    """Take one slot from each ``(bucket, limit, window_seconds)`` rule, all or none.

    Returns ``(None, hit ids)`` when every bucket had room, else ``(seconds until the fullest
    frees a slot, [])`` and nothing is recorded. One ``BEGIN IMMEDIATE`` transaction, so parallel
    requests in any worker can't all see room: at most ``limit`` slots are ever taken per window.
    """
    now = time.time() if now is None else now
    with write_transaction(db):
        db.execute("DELETE FROM limit_hits WHERE at < ?", [now - KEEP_SECONDS])
        wait = 0.0
        for bucket, limit, window in rules:
            count, oldest = db.execute(
                "SELECT COUNT(*), MIN(at) FROM (SELECT at FROM limit_hits WHERE bucket = ? AND at > ?"
                " ORDER BY at DESC LIMIT ?)",
                [bucket, now - window, limit],
            ).fetchone()
            if count >= limit:  # (a limit of 0 has no oldest hit: the door is shut for a window)
                wait = max(wait, window if oldest is None else oldest + window - now)
        if wait:
            return max(1, math.ceil(wait)), []
        # An INSERT's lastrowid: never None (typeshed types the attribute of any cursor).
        ids = [cast(int, db.execute("INSERT INTO limit_hits (bucket, at) VALUES (?, ?)", [bucket, now]).lastrowid)
               for bucket, _, _ in rules]
    return None, ids


def give_back(db: Database, ids: Sequence[int]) -> None:
    """Return slots taken for an attempt that turned out right (it shouldn't count)."""
    if ids:
        with write_transaction(db):
            db.execute(f"DELETE FROM limit_hits WHERE id IN ({', '.join('?' * len(ids))})", ids)


def forget(db: Database, buckets: Sequence[str]) -> None:
    """Delete every hit counted in ``buckets``."""
    if buckets:
        with write_transaction(db):
            db.execute(f"DELETE FROM limit_hits WHERE bucket IN ({', '.join('?' * len(buckets))})", buckets)
