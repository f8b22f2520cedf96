"""The JSON API under /api/v1 (contract: DESIGN §4). Session-cookie auth, CSRF header on writes."""
from flask import Blueprint, jsonify, request, url_for
from flask_login import current_user
from marshmallow import ValidationError
from werkzeug.exceptions import BadRequest, default_exceptions

from .. import openapi
from ..db import get_db
from ..schemas import flat_errors
from ..schemas.accounts import UserOut
from ..schemas.entries import EntryIn, EntryListOut, EntryOut, EntryQuery, entry_patch_schema
from ..schemas.trends import TrendsOut, TrendsQuery
from ..schemas.sessions import SessionIn, SessionListOut, SessionOut, SessionQuery, session_patch_schema
from ..store import IdConflict
from ..store import entries as entries_store
from ..store import sessions as sessions_store
from ..timeutil import today_in
from . import trends as trends_view

bp = Blueprint("api", __name__, url_prefix="/api/v1")
operation = openapi.Registry(bp)


def api_error(status, errors):
    """An HTTP error whose JSON body is ``{"errors": errors}`` (see diary.errors)."""
    error = default_exceptions[status]()
    error.errors = errors
    return error


def json_body():
    """The request's JSON object, or a 415/400/422 naming what is wrong with the body."""
    if not request.is_json:
        raise api_error(415, {"body": ["Send a JSON object with Content-Type: application/json."]})
    try:
        data = request.get_json()
    except BadRequest:
        raise api_error(400, {"body": ["The body is not valid JSON."]}) from None
    if not isinstance(data, dict):
        raise api_error(422, {"body": ["Expected a JSON object."]})
    broken = [field for field, value in data.items() if not is_encodable(value)]
    if broken:
        # JSON can carry lone UTF-16 surrogates ("\ud800"), which no text column can store.
        raise api_error(422, {field: ["Contains characters that aren't valid text."] for field in broken})
    return data


def is_encodable(value):
    """True when every string in ``value`` (nested lists and objects too) is valid Unicode text."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(is_encodable(k) and is_encodable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(is_encodable(item) for item in value)
    return True


def validated(schema, data):
    try:
        return schema.load(data)
    except ValidationError as error:
        raise api_error(422, flat_errors(error.normalized_messages())) from None


def patient_today():
    return today_in(current_user.timezone)


def not_found(kind):
    return api_error(404, {"id": [f"No such {kind}."]})


def created_or_replayed(body, created, location):
    """201 with Location for a new record; 200 for a replay of an earlier identical create."""
    response = jsonify(body)
    response.status_code = 201 if created else 200
    response.headers["Location"] = location
    return response


CONFLICT = {"id": ["This id is already used by a different record."]}


@operation("/me", "get", "The logged-in account", responses={200: UserOut}, role="any")
def me():
    return UserOut().dump(vars(current_user))


# --- check-ins -----------------------------------------------------------------

@operation("/entries", "post", "Create a check-in (idempotent on a client id)", body=EntryIn,
           responses={201: EntryOut, 200: EntryOut, 409: None})
def create_entry():
    data = validated(EntryIn(today=patient_today()), json_body())
    try:
        entry, created = entries_store.create_entry(get_db(), current_user.id, data)
    except IdConflict:
        raise api_error(409, CONFLICT) from None
    return created_or_replayed(EntryOut().dump(entry), created, url_for(".get_entry", entry_id=entry["id"]))


@operation("/entries", "get", "List check-ins, newest first", query=EntryQuery,
           responses={200: EntryListOut})
def list_entries():
    query = validated(EntryQuery(), request.args.to_dict())
    limit = query.pop("limit")
    entries = entries_store.list_entries(get_db(), current_user.id, limit=limit + 1, **query)
    next_page = None
    if len(entries) > limit:  # there is more: say where it continues
        args = {**request.args.to_dict(), "offset": query["offset"] + limit, "limit": limit}
        next_page = url_for(".list_entries", **args)
    return EntryListOut().dump({"entries": entries[:limit], "next": next_page})


def own_entry(entry_id):
    entry = entries_store.get_entry(get_db(), current_user.id, entry_id)
    if entry is None:
        raise not_found("entry")
    return entry


@operation("/entries/<uuid:entry_id>", "get", "One check-in", responses={200: EntryOut, 404: None})
def get_entry(entry_id):
    return EntryOut().dump(own_entry(entry_id))


@operation("/entries/<uuid:entry_id>", "patch", "Change some fields of a check-in", body="EntryPatch",
           responses={200: EntryOut, 404: None})
def patch_entry(entry_id):
    own_entry(entry_id)
    changes = validated(entry_patch_schema(patient_today()), json_body())
    entry = entries_store.update_entry(get_db(), current_user.id, entry_id, changes)
    if entry is None:  # deleted in between
        raise not_found("entry")
    return EntryOut().dump(entry)


@operation("/entries/<uuid:entry_id>", "delete", "Delete a check-in", responses={204: None, 404: None})
def delete_entry(entry_id):
    if not entries_store.delete_entry(get_db(), current_user.id, entry_id):
        raise not_found("entry")
    return "", 204


# --- treatment sessions --------------------------------------------------------

@operation("/sessions", "post", "Log a treatment session (idempotent on a client id)", body=SessionIn,
           responses={201: SessionOut, 200: SessionOut, 409: None})
def create_session():
    data = validated(SessionIn(today=patient_today()), json_body())
    try:
        session, created = sessions_store.create_session(get_db(), current_user.id, data)
    except IdConflict:
        raise api_error(409, CONFLICT) from None
    return created_or_replayed(
        SessionOut().dump(session), created, url_for(".get_session", session_id=session["id"]),
    )


@operation("/sessions", "get", "List treatment sessions, newest first", query=SessionQuery,
           responses={200: SessionListOut})
def list_sessions():
    query = validated(SessionQuery(), request.args.to_dict())
    return SessionListOut().dump({"sessions": sessions_store.list_sessions(get_db(), current_user.id, **query)})


def own_session(session_id):
    session = sessions_store.get_session(get_db(), current_user.id, session_id)
    if session is None:
        raise not_found("session")
    return session


@operation("/sessions/<uuid:session_id>", "get", "One treatment session", responses={200: SessionOut, 404: None})
def get_session(session_id):
    return SessionOut().dump(own_session(session_id))


@operation("/sessions/<uuid:session_id>", "patch", "Change a session or add its reflection",
           body="SessionPatch", responses={200: SessionOut, 404: None})
def patch_session(session_id):
    own_session(session_id)
    changes = validated(session_patch_schema(patient_today()), json_body())
    session = sessions_store.update_session(get_db(), current_user.id, session_id, changes)
    if session is None:
        raise not_found("session")
    return SessionOut().dump(session)


@operation("/sessions/<uuid:session_id>", "delete", "Delete a treatment session", responses={204: None, 404: None})
def delete_session(session_id):
    if not sessions_store.delete_session(get_db(), current_user.id, session_id):
        raise not_found("session")
    return "", 204


# --- trends --------------------------------------------------------------------

@operation("/trends", "get", "Daily series, rolling mean, session response, trigger effects, course",
           query=TrendsQuery, responses={200: TrendsOut})
def trends():
    query = validated(TrendsQuery(), request.args.to_dict())
    # build() already returns TrendsOut's shape in JSON types (tests hold it to that schema);
    # a marshmallow dump of ~1,800 days would add 25 ms to an all-time request.
    return jsonify(trends_view.gather(get_db(), current_user.id, current_user.timezone, query["days"]))


@operation("/openapi.json", "get", "This OpenAPI 3 document", responses={200: None}, role="public")
def openapi_document():
    return jsonify(openapi.document(operation, {
        "EntryPatch": entry_patch_schema(None), "SessionPatch": session_patch_schema(None),
    }))
