"""A patient's own records (check-ins, treatment sessions, questionnaires): listing, reading,
saving and deleting them. A save writes the record, brings its safety signal up to date and
answers the support card it calls for, in one transaction; a deletion takes the signal with it.

One function per use case and kind (``create_entry``, ``update_session``…): the page and the
JSON API of a feature call the same one. Check-ins and sessions share how they are saved
(``_Editable``); questionnaires are scored by the server and never edited.
"""
import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

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
Record = TypeVar("Record", Entry, Session)


@dataclass(frozen=True)
class _Editable(Generic[Record]):
    """How a kind of record the patient writes and edits is stored, and when it calls for the card."""
    source: str  # the safety signal's source: "entry" or "session"
    store_create: Callable[[Database, int, Mapping[str, Any]], tuple[Record, bool]]
    store_get: Callable[[Database, int, RecordId], Record | None]
    store_update: Callable[[Database, int, RecordId, Mapping[str, Any]], Record | None]
    support: Callable[[Record, bool], Support | None]


_ENTRY = _Editable[Entry]("entry", entries_store.create_entry, entries_store.get_entry,
                          entries_store.update_entry, safety.entry_support)
_SESSION = _Editable[Session]("session", sessions_store.create_session, sessions_store.get_session,
                              sessions_store.update_session, safety.session_support)


def _create(db: Database, kind: _Editable[Record], user_id: int,
            data: Mapping[str, Any]) -> tuple[Record, bool, Support | None]:
    """Store a new record: ``(record, created, support)``.

    A replay of an earlier identical create (``created=False``) answers the same support card, so
    an offline outbox that lost the first answer still shows it. Raises IdConflict like the store.
    """
    with write_transaction(db):
        record, created = kind.store_create(db, user_id, data)
        crisis_words = safety.has_crisis_words(kind.source, record)
        safety.note_signal(db, user_id, kind.source, record, new=created, crisis_words=crisis_words)
    return record, created, kind.support(record, crisis_words)


def _update(db: Database, kind: _Editable[Record], user_id: int, record_id: RecordId,
            changes: Mapping[str, Any]) -> tuple[Record, Support | None] | None:
    """Apply validated changes: ``(record, support)``, or None if it isn't this user's."""
    with write_transaction(db):
        before = kind.store_get(db, user_id, record_id)
        record = kind.store_update(db, user_id, record_id, changes) if before else None
        if record is None:
            return None
        crisis_words = safety.has_crisis_words(kind.source, record)
        safety.note_signal(db, user_id, kind.source, record, before, crisis_words=crisis_words)
    return record, kind.support(record, crisis_words)


# --- check-ins ------------------------------------------------------------------------------

def list_entries(db: Database, user_id: int, **query: Any) -> list[Entry]:
    """The patient's check-ins, newest first, filtered as ``store.entries.list_entries`` takes them."""
    return entries_store.list_entries(db, user_id, **query)


def checkins_on(db: Database, user_id: int, day: dt.date | str) -> list[Entry]:
    """The patient's check-ins on their local ``day``."""
    return entries_store.entries_on(db, user_id, day)


def get_entry(db: Database, user_id: int, entry_id: RecordId) -> Entry | None:
    """The patient's check-in, or None when it isn't theirs (or doesn't exist)."""
    return entries_store.get_entry(db, user_id, entry_id)


def create_entry(db: Database, user_id: int, data: Mapping[str, Any]) -> tuple[Entry, bool, Support | None]:
    """Save a check-in: ``(entry, created, support)`` (see ``_create``)."""
    return _create(db, _ENTRY, user_id, data)


def update_entry(db: Database, user_id: int, entry_id: RecordId,
                 changes: Mapping[str, Any]) -> tuple[Entry, Support | None] | None:
    """Change a check-in: ``(entry, support)``, or None if it isn't this user's."""
    return _update(db, _ENTRY, user_id, entry_id, changes)


def delete_entry(db: Database, user_id: int, entry_id: RecordId) -> bool:
    """Delete a check-in (its safety signal goes with it): False if it isn't this user's."""
    return entries_store.delete_entry(db, user_id, entry_id)


# --- treatment sessions --------------------------------------------------------------------------

def list_sessions(db: Database, user_id: int, **query: Any) -> list[Session]:
    """The patient's treatment sessions, newest first (``store.sessions.list_sessions``' filters)."""
    return sessions_store.list_sessions(db, user_id, **query)


def get_session(db: Database, user_id: int, session_id: RecordId) -> Session | None:
    """The patient's treatment session, or None when it isn't theirs (or doesn't exist)."""
    return sessions_store.get_session(db, user_id, session_id)


def create_session(db: Database, user_id: int, data: Mapping[str, Any]) -> tuple[Session, bool, Support | None]:
    """Save a treatment session: ``(session, created, support)`` (see ``_create``)."""
    return _create(db, _SESSION, user_id, data)


def update_session(db: Database, user_id: int, session_id: RecordId,
                   changes: Mapping[str, Any]) -> tuple[Session, Support | None] | None:
    """Change a treatment session or add its reflection: ``(session, support)``, or None."""
    return _update(db, _SESSION, user_id, session_id, changes)


def delete_session(db: Database, user_id: int, session_id: RecordId) -> bool:
    """Delete a treatment session (its safety signal goes with it): False if it isn't this user's."""
    return sessions_store.delete_session(db, user_id, session_id)


# --- questionnaires --------------------------------------------------------------------------------

def list_assessments(db: Database, user_id: int, **query: Any) -> list[Assessment]:
    """The patient's questionnaire results, newest first (``store.assessments.list_assessments``' filters)."""
    return assessments_store.list_assessments(db, user_id, **query)


def get_assessment(db: Database, user_id: int, assessment_id: RecordId) -> Assessment | None:
    """The patient's questionnaire result, or None when it isn't theirs (or doesn't exist)."""
    return assessments_store.get_assessment(db, user_id, assessment_id)


def create_assessment(db: Database, user_id: int, data: Mapping[str, Any],
                      language: str = "en") -> tuple[Assessment, bool, Support | None]:
    """Score and store a GAD-7 or PHQ-9: ``(assessment, created, support)``.

    :param language: the language of the form the answers were given on (its official wording).
    """
    result = score(INSTRUMENTS[data["instrument"]], data["answers"])
    data = {"difficulty": None, **data, "total": result.total, "severity": result.severity, "language": language}
    with write_transaction(db):
        assessment, created = assessments_store.create_assessment(db, user_id, data)
        crisis_words = safety.has_crisis_words("assessment", assessment)
        safety.note_signal(db, user_id, "assessment", assessment, new=created, crisis_words=crisis_words)
    return assessment, created, safety.assessment_support(assessment)


def delete_assessment(db: Database, user_id: int, assessment_id: RecordId) -> bool:
    """Delete a questionnaire result (its safety signal goes with it): False if it isn't this user's."""
    return assessments_store.delete_assessment(db, user_id, assessment_id)
