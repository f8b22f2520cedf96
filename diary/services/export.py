"""Taking data out: a patient's own export, or a provider's copy of what is shared with them.

Each function returns a document that is read from the store as it is written out (CSV chunks,
or a json_stream document): a million check-ins never sit in memory (docs/PERFORMANCE.md)."""
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain
from typing import Any, TypedDict, cast

from marshmallow import Schema
from sqlite_utils import Database

from ..db import write_transaction
from ..exports import csv_export, fhir
from ..exports.json_stream import Array
from ..schemas.assessments import AssessmentOut
from ..schemas.entries import EntryOut
from ..schemas.sessions import SessionOut
from ..store import assessments as assessments_store
from ..store import audit
from ..store import entries as entries_store
from ..store import push as push_store
from ..store import safety as safety_store
from ..store import sessions as sessions_store
from ..store import sharing as sharing_store
from ..store import triggers as triggers_store
from ..store import users as users_store
from ..store.audit import AccountEvent
from ..store.safety import SafetyPlan
from ..store.sharing import InviteRecord, ShareRecord
from ..store.triggers import TriggerUse
from ..store.users import User
from ..timeutil import utc_now
from . import assessments as assessments_service
from . import care

# A date bound of an export: a date, an ISO date, or None (no bound).
DateBound = dt.date | str | None


class Everything(TypedDict):
    """Everything stored about the patient (``everything``): json_stream writes the Arrays as it reads them."""
    format: str
    exported_at: str
    account: dict[str, Any]
    entries: Array
    sessions: Array
    assessments: Array
    safety_plan: SafetyPlan
    safety_alerts: list[dict[str, Any]]
    safety_acknowledgements: list[dict[str, Any]]
    triggers: list[TriggerUse]
    shares: list[ShareRecord]
    share_codes: list[InviteRecord]
    access_log: list[dict[str, Any]]
    account_events: list[AccountEvent]
    reminders: list[dict[str, Any]]


def entries_csv(db: Database, user_id: int, *, include_private: bool, with_text: bool, date_from: DateBound = None,
                date_to: DateBound = None, share: Mapping[str, Any] | None = None) -> Iterator[str]:
    """entries.csv's chunks: check-ins and sessions in date order (docs/CSV.md); ``with_text``:
    notes and reflections too (a provider with a "scores only" share gets none); ``share``: a
    provider's, whose trigger names are shown as care.trigger_reader says."""
    dates: dict[str, Any] = {"date_from": date_from, "date_to": date_to}
    checkins = entries_store.csv_pages(db, user_id, include_private=include_private, with_note=with_text, **dates)
    if share is not None and not care.shows_text(share):
        checkins = _triggers_as_shown(checkins, share)
    sessions = sessions_store.export_pages(db, user_id, include_private=include_private, **dates)
    return csv_export.stream(checkins, sessions, with_text=with_text)


def _triggers_as_shown(pages: Iterable[list[tuple[Any, ...]]],
                       share: Mapping[str, Any]) -> Iterator[list[tuple[Any, ...]]]:
    """Check-in row pages with each trigger name as the provider may see it (``care.trigger_reader``;
    the placeholder worded in the reader's language)."""
    column, shown = csv_export.COLUMNS.index("triggers"), care.trigger_reader(share)
    for page in pages:
        yield [(*row[:column], csv_export.JOINER.join(map(str, shown(row[column].split(csv_export.JOINER)))),
                *row[column + 1:])
               if row[column] else row for row in page]


def shared_entries_csv(db: Database, provider_id: int, patient: Mapping[str, Any], share: Mapping[str, Any], *,
                       date_from: DateBound = None, date_to: DateBound = None) -> Iterator[str]:
    """A provider's entries.csv of a sharing patient: shared records only, text only under a full
    share (under "scores only", a trigger in crisis words is the placeholder). The export is
    written to the audit log first."""
    with write_transaction(db):
        audit.record(db, "export.entries_csv", actor_id=provider_id, patient_id=patient["id"])
    return entries_csv(db, patient["id"], include_private=False, with_text=care.shows_text(share),
                       date_from=date_from, date_to=date_to, share=share)


def assessments_csv(db: Database, user_id: int, *, date_from: DateBound = None,
                    date_to: DateBound = None) -> Iterator[str]:
    """assessments.csv's chunks (the patient's own, private ones included)."""
    pages = assessments_store.export_pages(db, user_id, include_private=True, date_from=date_from, date_to=date_to)
    return csv_export.stream_assessments(pages)


def fhir_bundle(db: Database, user_id: int, *, base: str, date_from: DateBound = None,
                date_to: DateBound = None) -> dict[str, Any]:
    """The patient's diary as a FHIR R4 collection Bundle (docs/FHIR.md)."""
    dates: dict[str, Any] = {"date_from": date_from, "date_to": date_to}
    # The patient's own live account: never None.
    return fhir.bundle(cast(User, users_store.get_user(db, user_id)),
                       chain.from_iterable(entries_store.export_pages(db, user_id, **dates)),
                       chain.from_iterable(sessions_store.export_pages(db, user_id, **dates)),
                       chain.from_iterable(assessments_store.export_pages(db, user_id, **dates)),
                       base=base, timestamp=utc_now(),
                       since_baseline={result_id: label.as_dict() for result_id, label
                                       in assessments_service.since_baseline(db, user_id).items()})


def everything(db: Database, user_id: int) -> Everything:
    """Everything stored about the patient, as one document ("Download my data"). The records
    (check-ins, sessions, questionnaires) are written as they are read; the rest is small."""
    user = cast(User, users_store.get_user(db, user_id))  # the patient's own live account: never None
    return {
        "format": "symptom-diary-export/1",
        "exported_at": utc_now(),
        "account": {k: user[k] for k in ("id", "email", "role", "display_name", "timezone", "created_at")},
        "entries": Array(_dumped(EntryOut(), entries_store.export_pages(db, user_id))),
        "sessions": Array(_dumped(SessionOut(), sessions_store.export_pages(db, user_id))),
        "assessments": Array(_dumped(AssessmentOut(exclude=("support",)), assessments_store.export_pages(db, user_id))),
        "safety_plan": safety_store.get_plan(db, user_id),
        # Safety signals the patient's records raised (private ones too): what and when, never the words.
        "safety_alerts": [{k: e[k] for k in ("source", "reason", "date", "detail", "raised_at")}
                          for e in safety_store.all_events(db, user_id)],
        "safety_acknowledgements": [{k: a[k] for k in ("at", "provider")}
                                    for a in safety_store.acknowledgements(db, user_id)],
        "triggers": triggers_store.list_triggers(db, user_id),
        "shares": sharing_store.share_history(db, user_id),
        "share_codes": sharing_store.invite_history(db, user_id),
        "access_log": [{k: e[k] for k in ("at", "actor", "action")}
                       for e in audit.events_about(db, user_id, limit=None)],
        "account_events": audit.events_by(db, user_id),
        # Reminder settings per browser, with what was sent; not endpoints or keys (capabilities).
        "reminders": [{**{k: d[k] for k in ("device", "remind_at", "days", "created_at", "last_sent_at")},
                       "sent": push_store.sent(db, d["id"])} for d in push_store.for_user(db, user_id)],
    }


def _dumped(schema: Schema, pages: Iterable[Sequence[Mapping[str, Any]]]) -> Iterator[dict[str, Any]]:
    """``schema``'s dump of each record of ``pages``, a page at a time."""
    for page in pages:
        yield from schema.dump(page, many=True)
