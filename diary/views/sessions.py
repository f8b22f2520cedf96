"""Treatment sessions and reflections (HTML)."""
import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..db import get_db
from ..schemas.sessions import SessionIn
from ..services import IdConflict, records
from ..timeutil import today_in
from ..web import support
from ..web.auth import check_role
from ..web.forms import load, session_payload, without_item_numbers

bp = Blueprint("sessions", __name__, url_prefix="/sessions")


@bp.before_request
def patients_only():
    return check_role("patient")


def render_session_form(values, errors, session=None):
    return render_template(
        "sessions/form.html", values=values, errors=without_item_numbers(errors, "side_effects"), session=session,
        today=today_in(current_user.timezone),
    ), 422 if errors else 200


@bp.route("/")
def index():
    return render_template("sessions/index.html", sessions=records.list_own(get_db(), "session", current_user.id))


@bp.route("/new", methods=["GET", "POST"])
def new():
    today = today_in(current_user.timezone)
    values, errors = {"date": today.isoformat(), "side_effects": [], "id": str(uuid.uuid4())}, {}
    if request.method == "POST":
        values = session_payload(request.form)
        data, errors = load(SessionIn(today=today), values)
        if data is not None:
            try:
                _, created, card = records.create(get_db(), "session", current_user.id, data)
            except IdConflict:
                errors = {"id": ["A session from this form was already saved (see Sessions);"
                                 " saving again stores this as a new session."]}
                values["id"] = str(uuid.uuid4())
            else:
                flash("Session saved." if created else "That session was already saved.", "success")
                support.remember(card)
                return redirect(url_for("sessions.index"))
    return render_session_form(values, errors)


def own_session_or_404(session_id):
    session = records.get_own(get_db(), "session", current_user.id, session_id)
    if session is None:
        abort(404)
    return session


@bp.route("/<uuid:session_id>/edit", methods=["GET", "POST"])
def edit(session_id):
    session = own_session_or_404(session_id)
    values, errors = session, {}
    if request.method == "POST":
        values = session_payload(request.form)
        values.pop("id", None)
        data, errors = load(SessionIn(today=today_in(current_user.timezone)), values)
        if data is not None:
            _, card = records.update(get_db(), "session", current_user.id, session_id, data)
            flash("Session updated.", "success")
            support.remember(card)
            return redirect(url_for("sessions.index"))
    return render_session_form(values, errors, session=session)


@bp.route("/<uuid:session_id>/delete", methods=["GET", "POST"])
def delete(session_id):
    session = own_session_or_404(session_id)
    if request.method == "POST":
        records.delete_own(get_db(), "session", current_user.id, session_id)
        flash("Session deleted.", "success")
        return redirect(url_for("sessions.index"))
    return render_template("sessions/delete.html", session=session)
