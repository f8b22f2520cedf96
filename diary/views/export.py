"""Taking data out: entries.csv and assessments.csv (streamed), FHIR, and everything in one file."""
import datetime as dt

from flask import Blueprint, Response, current_app, jsonify, request, stream_with_context
from flask_login import current_user

from .. import csv_export, fhir
from ..auth import check_role
from ..db import get_db
from ..errors import http_error
from ..schemas.assessments import AssessmentOut
from ..schemas.fields import DateRangeQuery
from ..schemas.entries import EntryOut
from ..schemas.sessions import SessionOut
from ..store import assessments as assessments_store
from ..store import audit
from ..store import entries as entries_store
from ..store import safety as safety_store
from ..store import sharing as sharing_store
from ..store import triggers as triggers_store
from ..store import sessions as sessions_store
from ..store import users as users_store
from ..timeutil import utc_now
from .forms import load

bp = Blueprint("export", __name__, url_prefix="/export")


@bp.before_request
def patients_only():
    return check_role("patient")


def date_range():
    """``?from=&to=`` validated; 422 naming the parameter otherwise."""
    query, errors = load(DateRangeQuery(), request.args.to_dict())
    if query is None:
        raise http_error(422, errors)
    return query


def streamed_csv(chunks, filename):
    """Headers go out at once, then rows page by page."""
    response = Response(stream_with_context(chunks), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(user_id, query, *, include_private, with_text, filename):
    """Stream entries.csv."""
    db = get_db()
    entry_pages = entries_store.export_pages(db, user_id, include_private=include_private, **query)
    session_pages = sessions_store.export_pages(db, user_id, include_private=include_private, **query)
    return streamed_csv(csv_export.stream(entry_pages, session_pages, with_text=with_text), filename)


def export_filename(prefix, extension="csv"):
    return f"{prefix}-{dt.date.today().isoformat()}.{extension}"


@bp.route("/entries.csv")
def entries_csv():
    return csv_response(current_user.id, date_range(), include_private=True, with_text=True,
                        filename=export_filename("symptom-diary-entries"))


@bp.route("/assessments.csv")
def assessments_csv():
    pages = assessments_store.export_pages(get_db(), current_user.id, include_private=True, **date_range())
    return streamed_csv(csv_export.stream_assessments(pages), export_filename("symptom-diary-assessments"))


def all_records(pages):
    return [record for page in pages for record in page]


@bp.route("/fhir.json")
def fhir_json():
    db = get_db()
    query = date_range()
    user = users_store.get_user(db, current_user.id)
    entries = all_records(entries_store.export_pages(db, current_user.id, **query))
    sessions = all_records(sessions_store.export_pages(db, current_user.id, **query))
    assessments = all_records(assessments_store.export_pages(db, current_user.id, **query))
    document = fhir.bundle(user, entries, sessions, assessments, base=current_app.config["FHIR_SYSTEM_BASE"],
                           timestamp=utc_now())
    response = jsonify(document)
    response.headers["Content-Type"] = fhir.MEDIA_TYPE
    response.headers["Content-Disposition"] = f'attachment; filename="{export_filename("symptom-diary-fhir", "json")}"'
    return response


@bp.route("/everything.json")
def everything():
    """Everything stored about the patient, in one JSON file ("Download my data")."""
    db = get_db()
    user = users_store.get_user(db, current_user.id)
    entries = all_records(entries_store.export_pages(db, user["id"]))
    sessions = all_records(sessions_store.export_pages(db, user["id"]))
    document = {
        "format": "symptom-diary-export/1",
        "exported_at": utc_now(),
        "account": {k: user[k] for k in ("id", "email", "role", "display_name", "timezone", "created_at")},
        "entries": EntryOut(many=True).dump(entries),
        "sessions": SessionOut(many=True).dump(sessions),
        "assessments": AssessmentOut(many=True, exclude=("support",)).dump(
            all_records(assessments_store.export_pages(db, user["id"]))),
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
    }
    response = jsonify(document)
    response.headers["Content-Disposition"] = f'attachment; filename="{export_filename("symptom-diary-everything", "json")}"'
    return response
