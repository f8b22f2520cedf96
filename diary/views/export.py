"""Taking data out: entries.csv and assessments.csv (streamed), FHIR, and everything in one file."""
from flask import Blueprint, current_app
from flask_login import current_user

from ..exports import csv_export, fhir
from ..exports.json_stream import Array
from ..web.auth import check_role
from ..db import get_db
from ..schemas.assessments import AssessmentOut
from ..schemas.entries import EntryOut
from ..schemas.sessions import SessionOut
from ..store import assessments as assessments_store
from ..store import audit
from ..store import entries as entries_store
from ..store import push as push_store
from ..store import safety as safety_store
from ..store import sharing as sharing_store
from ..store import triggers as triggers_store
from ..store import sessions as sessions_store
from ..store import users as users_store
from ..timeutil import utc_now
from ..web.downloads import csv_response, date_range, export_filename, streamed_csv, streamed_json

bp = Blueprint("export", __name__, url_prefix="/export")


@bp.before_request
def patients_only():
    return check_role("patient")


@bp.route("/entries.csv")
def entries_csv():
    return csv_response(current_user.id, date_range(), include_private=True, with_text=True,
                        filename=export_filename("symptom-diary-entries"))


@bp.route("/assessments.csv")
def assessments_csv():
    pages = assessments_store.export_pages(get_db(), current_user.id, include_private=True, **date_range())
    return streamed_csv(csv_export.stream_assessments(pages), export_filename("symptom-diary-assessments"))


def records(pages):
    """The records of ``pages`` one by one, read a page at a time."""
    for page in pages:
        yield from page


def dumped(schema, pages):
    """``schema``'s dump of each record of ``pages``, a page at a time."""
    for page in pages:
        yield from schema.dump(page, many=True)


@bp.route("/fhir.json")
def fhir_json():
    db = get_db()
    query = date_range()
    user = users_store.get_user(db, current_user.id)
    entries = records(entries_store.export_pages(db, current_user.id, **query))
    sessions = records(sessions_store.export_pages(db, current_user.id, **query))
    assessments = records(assessments_store.export_pages(db, current_user.id, **query))
    document = fhir.bundle(user, entries, sessions, assessments, base=current_app.config["FHIR_SYSTEM_BASE"],
                           timestamp=utc_now())
    return streamed_json(document, export_filename("symptom-diary-fhir", "json"), fhir.MEDIA_TYPE)


@bp.route("/everything.json")
def everything():
    """Everything stored about the patient, in one JSON file ("Download my data"). The records
    (check-ins, sessions, questionnaires) are written as they are read; the rest is small."""
    db = get_db()
    user = users_store.get_user(db, current_user.id)
    document = {
        "format": "symptom-diary-export/1",
        "exported_at": utc_now(),
        "account": {k: user[k] for k in ("id", "email", "role", "display_name", "timezone", "created_at")},
        "entries": Array(dumped(EntryOut(), entries_store.export_pages(db, user["id"]))),
        "sessions": Array(dumped(SessionOut(), sessions_store.export_pages(db, user["id"]))),
        "assessments": Array(dumped(AssessmentOut(exclude=("support",)), assessments_store.export_pages(db, user["id"]))),
        "safety_plan": safety_store.get_plan(db, user["id"]),
        # Safety signals the patient's records raised (private ones too): what and when, never the words.
        "safety_alerts": [{k: e[k] for k in ("source", "reason", "date", "detail", "raised_at")}
                          for e in safety_store.all_events(db, user["id"])],
        "safety_acknowledgements": [{k: a[k] for k in ("at", "provider")}
                                    for a in safety_store.acknowledgements(db, user["id"])],
        "triggers": triggers_store.list_triggers(db, user["id"]),
        "shares": sharing_store.share_history(db, user["id"]),
        "share_codes": sharing_store.invite_history(db, user["id"]),
        "access_log": [{k: e[k] for k in ("at", "actor", "action")} for e in audit.events_about(db, user["id"], limit=None)],
        "account_events": audit.events_by(db, user["id"]),
        # Reminder settings per browser, with what was sent; not endpoints or keys (capabilities).
        "reminders": [{**{k: d[k] for k in ("device", "remind_at", "days", "created_at", "last_sent_at")},
                       "sent": push_store.sent(db, d["id"])} for d in push_store.for_user(db, user["id"])],
    }
    return streamed_json(document, export_filename("symptom-diary-everything", "json"))
