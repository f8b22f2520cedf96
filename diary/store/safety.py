"""Safety: the patient's safety plan, the records that carry a crisis signal, and acknowledgements."""
import uuid
from collections.abc import Mapping
from typing import Any, TypedDict, cast

from sqlite_utils import Database

from ..db import write_transaction
from ..timeutil import utc_now
from . import keys as keys_store

# The Stanley-Brown safety plan's steps, in order, plus reasons for living (column names).
PLAN_FIELDS = ("warning_signs", "coping_strategies", "distractions", "people_to_ask", "professionals",
               "safer_environment", "reasons_for_living")


class SafetyPlan(TypedDict):
    """Every step of the plan ('' where unwritten) and when it was last saved (None: never)."""
    warning_signs: str
    coping_strategies: str
    distractions: str
    people_to_ask: str
    professionals: str
    safer_environment: str
    reasons_for_living: str
    updated_at: str | None


class SafetyEvent(TypedDict):
    """A record's crisis signal, as stored (``private`` 0 or 1)."""
    id: int
    source: str
    source_id: str
    reason: str
    date: str
    detail: str
    private: int
    raised_at: str


class Acknowledgement(TypedDict):
    """A provider's acknowledgement of the patient's safety flag, with their name."""
    at: str
    provider: str


def get_plan(db: Database, user_id: int) -> SafetyPlan:
    """The patient's safety plan (every field, '' where unwritten) and when it was last saved."""
    row = db.execute(
        f"SELECT {', '.join(PLAN_FIELDS)}, updated_at FROM safety_plans WHERE user_id = ?", [user_id]
    ).fetchone()
    if row is None:
        return cast(SafetyPlan, {**{name: "" for name in PLAN_FIELDS}, "updated_at": None})
    # Every step holds the patient's words: sealed with their data key (store/keys.py).
    key = keys_store.reader(db, user_id)
    opened = {name: key.open(f"safety_plans.{name}", value) for name, value in zip(PLAN_FIELDS, row)}
    return cast(SafetyPlan, {**opened, "updated_at": row[-1]})


def save_plan(db: Database, user_id: int, plan: Mapping[str, str]) -> SafetyPlan:
    """Replace the safety plan with ``plan`` (validated; every field in PLAN_FIELDS)."""
    with write_transaction(db):
        key = keys_store.writer(db, user_id)
        values = [key.seal(f"safety_plans.{name}", plan[name] or "") for name in PLAN_FIELDS]
        db.execute(
            f"INSERT INTO safety_plans (user_id, {', '.join(PLAN_FIELDS)}, updated_at)"
            f" VALUES (?, {', '.join('?' for _ in PLAN_FIELDS)}, ?)"
            f" ON CONFLICT (user_id) DO UPDATE SET {', '.join(f'{n} = excluded.{n}' for n in PLAN_FIELDS)},"
            " updated_at = excluded.updated_at",
            [user_id, *values, utc_now()],
        )
    return get_plan(db, user_id)


def set_signal(db: Database, patient_id: int, source: str, source_id: str | uuid.UUID, signal: Mapping[str, Any] | None,
               *, renewed: bool = False, new: bool = False) -> None:
    """Record that a record carries a crisis signal now (``signal``: reason, date, detail, private),
    or that it no longer does (``signal=None``).

    raised_at is set when the signal first appears, and moved to now when a private record becomes
    shared or ``renewed`` (its words or answer changed): all news for the clinic. ``new``: the
    record was created in this transaction, so no signal of it is stored yet (a deleted record's
    signal is deleted with it, by the safety_events_drop_* triggers, so a reused id starts clean).
    """
    existing = None if new else db.execute(
        "SELECT private FROM safety_events WHERE source = ? AND source_id = ?", [source, str(source_id)]
    ).fetchone()
    if signal is None:
        if existing is not None:
            db.execute("DELETE FROM safety_events WHERE source = ? AND source_id = ?", [source, str(source_id)])
        return
    values = [signal["reason"], str(signal["date"]), signal.get("detail", ""), int(signal["private"])]
    if existing is None:
        db.execute(
            "INSERT INTO safety_events (patient_id, source, source_id, reason, date, detail, private, raised_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [patient_id, source, str(source_id), *values, utc_now()],
        )
        return
    raise_again = renewed or (existing[0] == 1 and not signal["private"])
    db.execute(
        "UPDATE safety_events SET reason = ?, date = ?, detail = ?, private = ?"
        + (", raised_at = ?" if raise_again else "") + " WHERE source = ? AND source_id = ?",
        [*values, *([utc_now()] if raise_again else []), source, str(source_id)],
    )


_EVENT = "SELECT id, source, source_id, reason, date, detail, private, raised_at FROM safety_events"


def shared_events(db: Database, patient_id: int, *, since: str | None = None) -> list[SafetyEvent]:
    """Signals in the patient's shared records, newest first; ``since``: raised after that UTC time."""
    params: list[Any]
    conditions, params = ["patient_id = ?", "private = 0"], [patient_id]
    if since:
        conditions.append("raised_at > ?")
        params.append(since)
    return cast(list[SafetyEvent],
                list(db.query(f"{_EVENT} WHERE {' AND '.join(conditions)} ORDER BY raised_at DESC, id DESC", params)))


def open_events_for_provider(db: Database, provider_id: int) -> dict[int, list[SafetyEvent]]:
    """{patient_id: signals in their shared records raised after the newest one ``provider_id``
    acknowledged, newest first} for every patient sharing with the provider now. One query."""
    rows = db.query(
        """
        SELECT e.patient_id, e.id, e.source, e.source_id, e.reason, e.date, e.detail, e.private, e.raised_at
        FROM safety_events e
        JOIN shares s ON s.patient_id = e.patient_id AND s.provider_id = :provider AND s.revoked_at IS NULL
        WHERE e.private = 0 AND e.raised_at > coalesce(
            (SELECT max(through) FROM safety_acknowledgements a
             WHERE a.patient_id = e.patient_id AND a.provider_id = :provider), '')
        ORDER BY e.raised_at DESC, e.id DESC
        """,
        {"provider": provider_id},
    )
    events: dict[int, list[SafetyEvent]] = {}
    for row in rows:
        events.setdefault(row.pop("patient_id"), []).append(cast(SafetyEvent, row))
    return events


def all_events(db: Database, patient_id: int) -> list[SafetyEvent]:
    """Every signal, private ones too (the patient's own copy), oldest first."""
    return cast(list[SafetyEvent],
                list(db.query(f"{_EVENT} WHERE patient_id = ? ORDER BY raised_at, id", [patient_id])))


def last_acknowledged(db: Database, patient_id: int, provider_id: int) -> str | None:
    """The raised_at of the newest signal ``provider_id`` has acknowledged for the patient, or None."""
    return db.execute(
        "SELECT max(through) FROM safety_acknowledgements WHERE patient_id = ? AND provider_id = ?",
        [patient_id, provider_id],
    ).fetchone()[0]


def acknowledge(db: Database, patient_id: int, provider_id: int, through: str) -> None:
    """Record that the provider has seen every signal raised up to ``through`` (a raised_at)."""
    db.execute(
        "INSERT INTO safety_acknowledgements (patient_id, provider_id, at, through) VALUES (?, ?, ?, ?)",
        [patient_id, provider_id, utc_now(), through],
    )


def acknowledgements(db: Database, patient_id: int) -> list[Acknowledgement]:
    """Every acknowledgement of the patient's safety flag, oldest first, with the provider's name."""
    return cast(list[Acknowledgement], list(db.query(
        "SELECT a.at, coalesce(u.display_name, 'A deleted account') AS provider FROM safety_acknowledgements a"
        " LEFT JOIN users u ON u.id = a.provider_id WHERE a.patient_id = ? ORDER BY a.at",
        [patient_id],
    )))
