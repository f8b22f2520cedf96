"""The audit log's integrity: its hash chain, and its head anchored outside the database.

The chain (``store/audit_chain.py``) shows a row changed or deleted in the middle of the log. It
can't show the newest rows cut off, or the whole chain recomputed after removing rows, because
anyone with the database file can recompute it. So the head (the newest row's id, how many rows
lead to it, its hash and when) is appended to a file outside the database (``AUDIT_ANCHORS``) by
``flask audit-anchor`` on a schedule and by every ``flask backup``; ``verify`` checks that each
anchored head is still in the log as it was.
"""
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from sqlite_utils import Database

from ..store import audit as audit_store
from ..timeutil import utc_now


class Anchor(TypedDict):
    """A head of the chain as anchored: row id, rows up to it, its hash, and when."""
    id: int
    count: int
    hash: str
    at: str


@dataclass
class Verdict:
    """What ``verify`` found: rows checked, the first broken link, anchors checked and problems."""
    checked: int
    broken: int | None
    anchors: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return self.broken is None and not self.problems


def anchor(db: Database, path: str | os.PathLike[str]) -> Anchor | None:
    """Append the chain's head to ``path`` (created 0600; only ever appended to) and return it;
    None while the log is empty."""
    found = audit_store.head(db)
    if found is None:
        return None
    entry: Anchor = {"id": found["id"], "count": found["count"], "hash": found["hash"], "at": utc_now()}
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as file:
        file.write(json.dumps(entry, separators=(",", ":")) + "\n")
        file.flush()
        os.fsync(file.fileno())
    return entry


def verify(db: Database, path: str | os.PathLike[str], key: str | None) -> Verdict:
    """Walk the chain (keyed rows with ``key``, the app's AUDIT_KEY in hex), then check every head
    anchored in ``path`` (a missing file: none yet)."""
    checked, broken = audit_store.verify(db, bytes.fromhex(key) if key else None)
    verdict = Verdict(checked, broken)
    if not os.path.exists(path):
        return verdict
    # One read of the log for all anchors: the file grows by a line every 15 minutes.
    found = audit_store.positions(db)
    newest = max(found, default=None)
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            anchored = json.loads(line)
            row_id, count, digest, at = anchored["id"], anchored["count"], anchored["hash"], anchored["at"]
        except (ValueError, KeyError, TypeError):
            verdict.problems.append(f"Line {number} of {path} is not an anchor: the file was changed.")
            continue
        verdict.anchors += 1
        where = f"Row {row_id} (anchored {at})"
        if row_id not in found and (newest is None or row_id > newest):
            verdict.problems.append(f"{where} is missing: the log's tail was cut.")
        elif found.get(row_id) != (count, digest):
            verdict.problems.append(f"{where} is not as anchored: rows removed or the chain rewritten.")
    return verdict
