"""Treatment sessions and reflections (HTML)."""
import uuid
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_db
from ..schemas.sessions import SessionIn, SessionListOut, SessionOut, SessionPatch, SessionQuery
from ..services import IdConflict, records
from ..web import support
from ..web.api import not_found, on_patient_today, operation, saved
from ..web.auth import patient_today, patients_only
from ..web.forms import load, session_payload, without_item_numbers

bp = Blueprint("sessions", __name__, url_prefix="/sessions")
bp.before_request(patients_only)


def render_session_form(values: Mapping[str, Any], errors: Mapping[str, list[str]],
                        session: Mapping[str, Any] | None = None) -> ResponseReturnValue:
    return render_template(
        "sessions/form.html", values=values, errors=without_item_numbers(errors, "side_effects"), session=session,
        today=patient_today(),
    ), 422 if errors else 200


@bp.route("/")
def index() -> str:
    return render_template("sessions/index.html", sessions=records.list_sessions(get_db(), current_user.id))


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    today = patient_today()
    errors: dict[str, list[str]]
    values, errors = {"date": today.isoformat(), "side_effects": [], "id": str(uuid.uuid4())}, {}
    if request.method == "POST":
        values = session_payload(request.form)
        data, errors = load(SessionIn(today=today), values)
        if data is not None:
            try:
                _session, created, card = records.create_session(get_db(), current_user.id, data)
            except IdConflict:
                errors = {"id": [_("A session from this form was already saved (see Sessions);"
                                   " saving again stores this as a new session.")]}
                values["id"] = str(uuid.uuid4())
            else:
                flash(_("Session saved.") if created else _("That session was already saved."), "success")
                support.remember(card)
                return redirect(url_for("sessions.index"))
    return render_session_form(values, errors)


def own_session(session_id: uuid.UUID) -> Mapping[str, Any]:
    """The patient's treatment session ``session_id``; 404 (page or JSON) when it isn't theirs."""
    session = records.get_session(get_db(), current_user.id, session_id)
    if session is None:
        raise not_found("session")
    return session


@bp.route("/<uuid:session_id>/edit", methods=["GET", "POST"])
def edit(session_id: uuid.UUID) -> ResponseReturnValue:
    session = own_session(session_id)
    errors: dict[str, list[str]]
    values, errors = session, {}
    if request.method == "POST":
        values = session_payload(request.form)
        values.pop("id", None)
        data, errors = load(SessionIn(today=patient_today()), values)
        if data is not None:
            updated = records.update_session(get_db(), current_user.id, session_id, data)
            if updated is None:  # deleted in between
                raise not_found("session")
            _session, card = updated
            flash(_("Session updated."), "success")
            support.remember(card)
            return redirect(url_for("sessions.index"))
    return render_session_form(values, errors, session=session)


@bp.route("/<uuid:session_id>/delete", methods=["GET", "POST"])
def delete(session_id: uuid.UUID) -> ResponseReturnValue:
    session = own_session(session_id)
    if request.method == "POST":
        records.delete_session(get_db(), current_user.id, session_id)
        flash(_("Session deleted."), "success")
        return redirect(url_for("sessions.index"))
    return render_template("sessions/delete.html", session=session)


# --- The JSON API: /api/v1/sessions (diary/web/api.py) --------------------------------------------

@operation("/sessions", "post", "Log a treatment session (idempotent on a client id)", body=SessionIn,
           context=on_patient_today, responses={201: SessionOut, 200: SessionOut, 409: None})
def create_session(data: dict[str, Any]) -> ResponseReturnValue:
    return saved(records.create_session(get_db(), current_user.id, data), SessionOut(),
                 ".get_session", "session_id")


@operation("/sessions", "get", "List treatment sessions, newest first", query=SessionQuery,
           responses={200: SessionListOut})
def list_sessions(query: dict[str, Any]) -> ResponseReturnValue:
    return SessionListOut().dump({"sessions": records.list_sessions(get_db(), current_user.id, **query)})


@operation("/sessions/<uuid:session_id>", "get", "One treatment session", responses={200: SessionOut, 404: None})
def get_session(session_id: uuid.UUID) -> ResponseReturnValue:
    return SessionOut().dump(own_session(session_id))


def own_session_today(session_id: uuid.UUID) -> dict[str, Any]:
    """The rules across fields (dose, blood pressure) apply to the session as it will be."""
    return {"today": patient_today(), "current": own_session(session_id)}


@operation("/sessions/<uuid:session_id>", "patch", "Change a session or add its reflection",
           body=SessionPatch, context=own_session_today, responses={200: SessionOut, 404: None})
def patch_session(session_id: uuid.UUID, data: dict[str, Any]) -> ResponseReturnValue:
    updated = records.update_session(get_db(), current_user.id, session_id, data)
    if updated is None:  # deleted in between
        raise not_found("session")
    session, support = updated
    return SessionOut().dump({**session, "support": support})


@operation("/sessions/<uuid:session_id>", "delete", "Delete a treatment session", responses={204: None, 404: None})
def delete_session(session_id: uuid.UUID) -> ResponseReturnValue:
    if not records.delete_session(get_db(), current_user.id, session_id):
        raise not_found("session")
    return "", 204
