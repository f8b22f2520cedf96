"""Replication with Litestream, as the app sees it: is the replica keeping up (/healthz), and does
it restore (the restore drill, ``flask restore-drill``). docs/OPERATIONS.md.

The drill restores the replica into a temporary folder and runs each check of ``CHECKS`` against
the copy, in order; a check returns what it found, in a few words for the drill's one line, or
raises ``DrillFailed``. A new check is a function of a ``Drill`` appended to ``CHECKS``.
"""
import datetime as dt
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

from sqlite_utils import Database

from ..db import connect
from ..replication import files, litestream
from ..security.fields import Unreadable
from ..store import entries as entries_store
from ..store import keys as keys_store
from . import audit, keys

# /healthz answers 503 when a replicated file's replica hasn't caught up for longer than this
# (DIARY_REPLICA_MAX_LAG): Litestream renews it every sync interval (1 s) while it can reach the replica.
DEFAULT_MAX_LAG = 60.0
# A health probe never waits longer than this for Litestream's answer.
HEALTH_TIMEOUT = 0.5


class ReplicationHealth(TypedDict):
    """``state``: "ok", "behind" (past ``max_lag_seconds``) or "unknown" (no Litestream answers);
    ``lag_seconds``: how long the replica may be missing writes for (None when unknown);
    ``problem``: what is wrong, in words (None when ok)."""
    state: str
    lag_seconds: float | None
    max_lag_seconds: float
    problem: str | None


def _moment(text: str) -> dt.datetime:
    """An RFC 3339 time from Litestream (nanoseconds) or the app (milliseconds, Z) as an aware datetime."""
    text = re.sub(r"(\.\d{6})\d+", r"\1", text.strip()).replace("Z", "+00:00")
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def health(settings: Mapping[str, Any], now: dt.datetime | None = None) -> ReplicationHealth | None:
    """How far behind the replica is, from Litestream's control socket (None: replication is off).

    Litestream records, for each file, when its replica last held everything it had read of the file;
    it renews that every sync interval while it can reach the replica, written to or idle. The lag is
    the age of the older of the two records: an upper bound on how long an acknowledged write may have
    been missing from the replica. One request on a local socket (well under a millisecond); nothing
    here raises: an answer that can't be read is "unknown"."""
    if not settings.get("REPLICA_URL"):
        return None
    limit = float(settings.get("REPLICA_MAX_LAG") or DEFAULT_MAX_LAG)
    control = litestream.socket_path(settings["DATABASE"])
    try:
        listed = {row.get("path"): row for row in litestream.databases(control, timeout=HEALTH_TIMEOUT)}
        now = now or dt.datetime.now(dt.timezone.utc)
        lags: dict[str, float] = {}
        problems = []
        started: dt.datetime | None = None
        for name, path in litestream.replicated_files(settings).items():
            row = listed.get(path)
            if row is None:
                return _unknown(limit, f"Litestream is not replicating the {name} file ({path})")
            if row.get("status") != "replicating":
                problems.append(f"the {name} file is {row.get('status')}")
            if row.get("last_sync_at"):
                synced = _moment(row["last_sync_at"])
            else:  # not replicated once since Litestream started
                started = started or _moment(litestream.started_at(control, timeout=HEALTH_TIMEOUT))
                synced = started
            lags[name] = max(0.0, (now - synced).total_seconds())
    except (OSError, litestream.LitestreamError, ValueError, KeyError, TypeError, AttributeError) as error:
        return _unknown(limit, f"no answer from Litestream ({error.__class__.__name__}: {error})")
    lag = round(max(lags.values()), 1)
    if lag > limit:
        problems.append(f"the replica has not caught up for {lag:.0f} s (limit {limit:g} s)")
    return {"state": "behind" if problems else "ok", "lag_seconds": lag, "max_lag_seconds": limit,
            "problem": "; ".join(problems) or None}


def _unknown(limit: float, problem: str) -> ReplicationHealth:
    return {"state": "unknown", "lag_seconds": None, "max_lag_seconds": limit, "problem": problem}


# The restore drill ---------------------------------------------------------------------------------

class DrillFailed(Exception):
    """The drill found the replica unfit to restore from; the message says why."""


@dataclass
class Drill:
    """One drill: the settings, ``at`` (None: the latest state), the folder the copies are restored
    into, their paths, and what the live files held just before and just after the restore."""
    settings: Mapping[str, Any]
    at: dt.datetime | None
    folder: str
    restored: dict[str, str] = field(default_factory=dict)  # replica name -> restored copy
    live_before: dict[str, files.Contents] = field(default_factory=dict)
    live_after: dict[str, files.Contents] = field(default_factory=dict)
    synced: bool = False  # Litestream shipped everything pending before the restore
    seconds: float = 0.0  # how long the restore took

    def connect(self, name: str) -> sqlite3.Connection:
        """A read-only connection to the restored copy of ``name`` ("database" or "keys")."""
        return files.open_read_only(self.restored[name])


Check = Callable[[Drill], str]


def _counted(name: str) -> tuple[str, ...] | None:
    """The tables compared for each file: the main ones of the database, every one of the key store."""
    return files.MAIN_TABLES if name == "database" else None


def restore(drill: Drill) -> None:
    """Have Litestream ship what is pending (when it runs here), look at the live files, restore both
    replicas into ``drill.folder`` (the database at ``drill.at``, the key store always at its latest
    state), then look at the live files again."""
    paths = litestream.replicated_files(drill.settings)
    # Compared with the live files: both restored at their latest state; for --at, the key store only.
    compared = {name: path for name, path in paths.items() if drill.at is None or name == "keys"}
    for name, path in compared.items():
        if not os.path.exists(path):
            raise DrillFailed(f"no live {name} file at {path} to compare the restored copy with")
        drill.live_before[name] = _look(path, name)
    control = litestream.socket_path(drill.settings["DATABASE"])
    try:
        for path in paths.values():
            litestream.sync(control, path)
        drill.synced = True
    except OSError:
        pass  # Litestream isn't running here: the replica is compared with the files as they are
    except litestream.LitestreamError as error:
        raise DrillFailed(f"Litestream could not ship the pending writes: {error}") from None
    config = os.path.join(drill.folder, "litestream.yml")
    litestream.write_config(drill.settings, config)
    started = time.perf_counter()
    for name, path in paths.items():
        out = os.path.join(drill.folder, f"{name}.sqlite3")
        timestamp = _rfc3339(drill.at) if drill.at is not None and name == "database" else None
        try:
            litestream.run(litestream.restore_arguments(config, path, output=out, timestamp=timestamp))
        except litestream.LitestreamError as error:
            where = litestream.replica_url(drill.settings["REPLICA_URL"], name)
            raise DrillFailed(f"the {name} replica at {where} did not restore: {error}") from None
        if not os.path.exists(out):
            raise DrillFailed(f"no {name} replica at {litestream.replica_url(drill.settings['REPLICA_URL'], name)}")
        drill.restored[name] = out
    drill.seconds = time.perf_counter() - started
    drill.live_after = {name: _look(path, name) for name, path in compared.items()}


def _look(path: str, name: str) -> files.Contents:
    conn = files.open_read_only(path)
    try:
        return files.contents(conn, _counted(name), newest=name == "database")
    finally:
        conn.close()


def _rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def check_integrity(drill: Drill) -> str:
    """``PRAGMA integrity_check`` says "ok" of both restored copies."""
    for name in drill.restored:
        conn = drill.connect(name)
        try:
            verdict = files.integrity(conn)
        except sqlite3.DatabaseError as error:
            raise DrillFailed(f"the restored {name} is not a database SQLite can read: {error}") from None
        finally:
            conn.close()
        if verdict != "ok":
            raise DrillFailed(f"integrity_check of the restored {name}: {verdict}")
    return "integrity ok"


def check_audit(drill: Drill) -> str:
    """The restored audit log's hash chain holds, and so does every head anchored outside the database
    (for ``--at``, every head anchored by then)."""
    anchors = drill.settings["AUDIT_ANCHORS"]
    if drill.at is not None and os.path.exists(anchors):
        anchors = _anchors_until(anchors, drill.at, os.path.join(drill.folder, "anchors.log"))
    db = Database(drill.restored["database"])
    try:
        verdict = audit.verify(db, anchors, drill.settings.get("AUDIT_KEY"))
    except sqlite3.DatabaseError as error:
        raise DrillFailed(f"the restored audit log can't be read: {error}") from None
    finally:
        db.close()
    if verdict.broken is not None:
        raise DrillFailed(f"the restored audit log is broken at row {verdict.broken}")
    if verdict.problems:
        raise DrillFailed(f"the restored audit log: {verdict.problems[0]}")
    return f"audit log intact ({verdict.checked} rows, {verdict.anchors} anchors)"


def _anchors_until(path: str, at: dt.datetime, out: str) -> str:
    """A copy of the anchors file with only the heads anchored by ``at`` (lines that aren't anchors
    are kept, for verify to report)."""
    kept = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            try:
                if _moment(json.loads(line)["at"]) > at:
                    continue
            except (ValueError, KeyError, TypeError):
                pass
            kept.append(line)
    with open(out, "w", encoding="utf-8") as copy:
        copy.writelines(kept)
    return out


def check_matches_live(drill: Drill) -> str:
    """The latest restore holds what the live files held: each main table's row count between the
    live counts just before and just after the restore (the app may write meanwhile; Litestream
    shipped everything pending first), and the live database's newest check-in. For ``--at``, the key store only."""
    said = []
    for name in drill.live_before:  # for --at, the key store only: it is restored at its latest state
        conn = drill.connect(name)
        try:
            restored = files.contents(conn, _counted(name), newest=name == "database")
            before, after = drill.live_before[name], drill.live_after[name]
            for table, count in before["counts"].items():
                low, high = sorted((count, after["counts"].get(table, count)))
                got = restored["counts"].get(table)
                if got is None or not low <= got <= high:
                    live = f"{low}" if low == high else f"{low}–{high} during the drill"
                    raise DrillFailed(f"the replica is behind or wrong: {table} in the {name} file has "
                                      f"{got if got is not None else 'no'} rows restored, {live} live")
            newest = before["newest"]
            if newest and newest["entry_id"] and not files.has_entry(conn, newest["entry_id"]):
                raise DrillFailed(f"the replica is behind: the newest check-in ({newest['entry_created_at']}) "
                                  "is not in the restored database")
        finally:
            conn.close()
        if name == "database":
            latest = (restored["newest"]["entry_created_at"] if restored["newest"] else None) or "none"
            said.append(f"{restored['counts'].get('entries', 0)} check-ins and {restored['counts'].get('users', 0)} "
                        f"accounts as live (newest check-in {latest})")
        else:
            said.append(f"key store as live ({sum(restored['counts'].values())} rows)")
    return "; ".join(said)


def check_not_after(drill: Drill) -> str:
    """For ``--at``: the restored database has the app's schema and nothing newer than the moment asked for."""
    if drill.at is None:
        return ""
    conn = drill.connect("database")
    try:
        if "users" not in files.tables(conn):
            raise DrillFailed("the database restored at that time has no tables of the app's")
        newest = files.contents(conn, ("entries",))["newest"]
    finally:
        conn.close()
    assert newest is not None
    for what, stamp in (("check-in", newest["entry_created_at"]), ("audit row", newest["audit_at"])):
        if stamp and _moment(stamp) > drill.at:
            raise DrillFailed(f"the copy restored at {_rfc3339(drill.at)} holds a {what} from {stamp}: "
                              "newer than asked for")
    return f"nothing after {_rfc3339(drill.at)} (newest check-in {newest['entry_created_at'] or 'none'})"


def check_words_open(drill: Drill) -> str:
    """The restored key store and this server's master key open the restored database's words:
    the newest note of an account that still has its key is read back."""
    db = connect(drill.restored["database"])
    try:
        keys_store.attach(db, drill.restored["keys"], drill.settings["MASTER_KEYS"])
        found = keys.check(db, drill.settings["MASTER_KEYS"])
        if not found.ok:
            raise DrillFailed(f"the restored key store doesn't open every account's words: {found.problem()}")
        newest = keys_store.newest_sealed_note(db)
        if newest is None:
            return "no note to open"
        user_id, entry_id = newest
        try:
            entries_store.get_entry(db, user_id, entry_id)
        except Unreadable as error:
            raise DrillFailed(f"the restored words don't open with this server's master key and the restored "
                              f"key store ({error}): keep instance/ (README, \"Keys\")") from None
    finally:
        db.close()
    return "the newest note opens"


# Run in this order by run_drill; append a check to add one.
CHECKS: list[Check] = [check_integrity, check_audit, check_matches_live, check_not_after, check_words_open]


def run_drill(settings: Mapping[str, Any], folder: str, at: dt.datetime | None = None) -> str:
    """Restore the replicas into ``folder`` (an empty temporary folder the caller removes) and run
    every check; the drill's one line, or DrillFailed saying why not."""
    if not settings.get("REPLICA_URL"):
        raise DrillFailed("replication is off (DIARY_REPLICA_URL is not set): nothing to restore from")
    if at is not None and at.tzinfo is None:
        raise DrillFailed("give --at with its offset (e.g. 2026-12-06T03:00:00Z)")
    drill = Drill(settings, at, folder)
    try:
        restore(drill)
    except litestream.LitestreamMissing as error:
        raise DrillFailed(str(error)) from None
    found = [said for check in CHECKS if (said := check(drill))]
    when = "latest" if at is None else f"at {_rfc3339(at)}"
    return (f"Restore drill passed: {when} replica of {settings['REPLICA_URL']} restored in {drill.seconds:.1f} s; "
            + "; ".join(found) + ".")
