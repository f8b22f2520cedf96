"""Saving a patient's records (check-ins, sessions, questionnaires): the store write, the safety
signal it may carry, and the support card it may call for, in one transaction."""
import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from typing import Any, Literal, overload

from sqlite_utils import Database

from ..db import write_transaction
from ..insights.questionnaires import INSTRUMENTS, score
from ..store import assessments as assessments_store
from ..store import entries as entries_store
from ..store import sessions as sessions_store
from ..store.assessments import Assessment
from ..store.entries import Entry
from ..store.sessions import Session
from . import safety
from .safety import Support

# A record's id: a UUID from the URL converter, or a string.
RecordId = str | uuid.UUID

# source name -> (create, get, update, support rule) for the two editable kinds
_KINDS: dict[str, tuple[Callable[..., tuple[Any, bool]], Callable[..., Any], Callable[..., Any],
                        Callable[..., Support | None]]] = {
    "entry": (entries_store.create_entry, entries_store.get_entry, entries_store.update_entry,
              safety.entry_support),
    "session": (sessions_store.create_session, sessions_store.get_session, sessions_store.update_session,
                safety.session_support),
}


# source name -> (list, get, delete) of the patient's own records
_READS: dict[str, tuple[Callable[..., list[Any]], Callable[..., Any], Callable[..., bool]]] = {
    "entry": (entries_store.list_entries, entries_store.get_entry, entries_store.delete_entry),
    "session": (sessions_store.list_sessions, sessions_store.get_session, sessions_store.delete_session),
    "assessment": (assessments_store.list_assessments, assessments_store.get_assessment,
                   assessments_store.delete_assessment),
}


@overload
def list_own(db: Database, kind: Literal["entry"], user_id: int, **query: Any) -> list[Entry]: ...


@overload
def list_own(db: Database, kind: Literal["session"], user_id: int, **query: Any) -> list[Session]: ...


@overload
def list_own(db: Database, kind: Literal["assessment"], user_id: int, **query: Any) -> list[Assessment]: ...


def list_own(db: Database, kind: str, user_id: int, **query: Any) -> list[Entry] | list[Session] | list[Assessment]:
    """The patient's own records of ``kind``, newest first, filtered as the store's list_* takes them."""
    return _READS[kind][0](db, user_id, **query)


@overload
def get_own(db: Database, kind: Literal["entry"], user_id: int, record_id: RecordId) -> Entry | None: ...


@overload
def get_own(db: Database, kind: Literal["session"], user_id: int, record_id: RecordId) -> Session | None: ...


@overload
def get_own(db: Database, kind: Literal["assessment"], user_id: int, record_id: RecordId) -> Assessment | None: ...


def get_own(db: Database, kind: str, user_id: int, record_id: RecordId) -> Entry | Session | Assessment | None:
    """The patient's record ``record_id`` of ``kind``, or None when it isn't theirs (or doesn't exist)."""
    return _READS[kind][1](db, user_id, record_id)


def delete_own(db: Database, kind: str, user_id: int, record_id: RecordId) -> bool:
    """Delete the patient's record (its safety signal goes with it): True, or False if it isn't theirs."""
    return _READS[kind][2](db, user_id, record_id)


def checkins_on(db: Database, user_id: int, day: dt.date | str) -> list[Entry]:
    """The patient's check-ins on their local ``day``."""
    return entries_store.entries_on(db, user_id, day)


@overload
def create(db: Database, kind: Literal["entry"], user_id: int,
           data: Mapping[str, Any]) -> tuple[Entry, bool, Support | None]: ...


@overload
def create(db: Database, kind: Literal["session"], user_id: int,
           data: Mapping[str, Any]) -> tuple[Session, bool, Support | None]: ...


def create(db: Database, kind: str, user_id: int,
           data: Mapping[str, Any]) -> tuple[Entry, bool, Support | None] | tuple[Session, bool, Support | None]:
    """Store a new check-in or session: ``(record, created, support)``.

    A replay of an earlier identical create (``created=False``) answers the same support card, so
    an offline outbox that lost the first answer still shows it. Raises IdConflict like the store.
    """
    store_create, _, _, support = _KINDS[kind]
    with write_transaction(db):
        record, created = store_create(db, user_id, data)
        crisis_words = safety.has_crisis_words(kind, record)
        safety.note_signal(db, user_id, kind, record, new=created, crisis_words=crisis_words)
    return record, created, support(record, crisis_words)


@overload
def update(db: Database, kind: Literal["entry"], user_id: int, record_id: RecordId,
           changes: Mapping[str, Any]) -> tuple[Entry, Support | None] | tuple[None, None]: ...


@overload
def update(db: Database, kind: Literal["session"], user_id: int, record_id: RecordId,
           changes: Mapping[str, Any]) -> tuple[Session, Support | None] | tuple[None, None]: ...


def update(db: Database, kind: str, user_id: int, record_id: RecordId, changes: Mapping[str, Any]
           ) -> tuple[Entry, Support | None] | tuple[Session, Support | None] | tuple[None, None]:
    """Apply validated changes: ``(record, support)``, or ``(None, None)`` if it isn't this user's."""
    _, store_get, store_update, support = _KINDS[kind]
    with write_transaction(db):
        before = store_get(db, user_id, record_id)
        record = store_update(db, user_id, record_id, changes) if before else None
        if record is None:
            return None, None
        crisis_words = safety.has_crisis_words(kind, record)
        safety.note_signal(db, user_id, kind, record, before, crisis_words=crisis_words)
    return record, support(record, crisis_words)


def create_assessment(db: Database, user_id: int,
                      data: Mapping[str, Any]) -> tuple[Assessment, bool, Support | None]:
    """Score and store a GAD-7 or PHQ-9: ``(assessment, created, support)``."""
    result = score(INSTRUMENTS[data["instrument"]], data["answers"])
    data = {"difficulty": None, **data, "total": result.total, "severity": result.severity}
    with write_transaction(db):
        assessment, created = assessments_store.create_assessment(db, user_id, data)
        safety.note_signal(db, user_id, "assessment", assessment, new=created)
    return assessment, created, safety.assessment_support(assessment)
