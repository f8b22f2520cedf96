"""The patient's diary: Today (check-in form), history, edit/delete, trigger management."""
import uuid
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from ..db import get_db
from ..schemas.entries import MAX_OFFSET, EntryIn, EntryListOut, EntryOut, EntryPatch, EntryQuery, TriggerListOut
from ..schemas.fields import TriggerName
from ..services import IdConflict, NameTaken
from ..services import assessments as assessments_service
from ..services import onboarding, records, reminders
from ..services import triggers as triggers_service
from ..timeutil import time_now_in
from ..vocabulary import SUGGESTED_TRIGGERS
from ..web import support
from ..web.api import next_page_url, not_found, on_patient_today, operation, saved
from ..web.auth import check_role, login_manager, patient_today
from ..web.forms import entry_payload, load, row_id

bp = Blueprint("diary", __name__)
ENTRY_OUT = EntryOut()  # dumping keeps no state on the schema: one instance serves every request

# Offered to a patient who has no triggers of their own yet.
HISTORY_PAGE_SIZE = 50
# Why a check-in can call for the support card (services/safety.py): Today holds one card for each.
ENTRY_SUPPORT_REASONS = ("score_10", "crisis_language")


@bp.before_request
def patients_only() -> ResponseReturnValue | None:
    # Today doubles as the landing page, so it sorts visitors out itself.
    if request.endpoint != "diary.today":
        return check_role("patient")
    return None


def trigger_choices(user_id: int) -> list[str]:
    names = [t["name"] for t in triggers_service.list_own(get_db(), user_id)]
    return names or [str(name) for name in SUGGESTED_TRIGGERS]


def render_checkin_form(template: str, values: Mapping[str, Any], errors: Mapping[str, list[str]],
                        **context: Any) -> ResponseReturnValue:
    return render_template(
        template, values=values, errors=errors, trigger_choices=trigger_choices(current_user.id),
        today=patient_today(), **context,
    ), 422 if errors else 200


@bp.route("/", methods=["GET", "POST"])
def today() -> ResponseReturnValue:
    if not current_user.is_authenticated:
        if request.method == "POST":  # e.g. the session ended in another tab: say so, don't drop it silently
            return login_manager.unauthorized()
        return render_template("diary/welcome.html")
    if current_user.is_provider:
        if request.method == "POST":
            abort(403, description=_("Providers can't write diary entries."))
        return redirect(url_for("provider.dashboard"))
    day = patient_today()
    # A check-in dated today is "now" unless the patient says otherwise.
    errors: dict[str, list[str]]
    values, errors = {"date": day.isoformat(), "time": time_now_in(current_user.timezone), "triggers": []}, {}
    if request.method == "POST":
        values = entry_payload(request.form)
        data, errors = load(EntryIn(today=day), values)
        if data is not None:
            try:
                _entry, created, card = records.create_entry(get_db(), current_user.id, data)
            except IdConflict:
                # The first submit was saved (its answer got lost) and then something changed.
                errors = {"id": [_("A check-in from this form was already saved. Check Today so far below;"
                                   " saving again stores this as a new check-in.")]}
                values["id"] = str(uuid.uuid4())
            else:
                flash(_("Check-in saved.") if created else _("That check-in was already saved."), "success")
                support.remember(card)
                return redirect(url_for("diary.today"))
    # A fresh id per rendered form makes a double-tapped submit store one check-in.
    values.setdefault("id", str(uuid.uuid4()))
    todays = records.checkins_on(get_db(), current_user.id, day)
    return render_checkin_form("diary/today.html", values, errors, todays=todays,
                               due=assessments_service.due(get_db(), current_user.id, day),
                               welcome=onboarding.welcome(get_db(), current_user.id, day),
                               reminders_offered=reminders.offered(get_db(), current_user.id),
                               support_cards=[support.card(reason) for reason in ENTRY_SUPPORT_REASONS])


@bp.route("/welcome/dismiss", methods=["POST"])
def dismiss_welcome() -> Response:
    """The first-run card's "Got it": a plain form post, so it works without JavaScript."""
    onboarding.dismiss_welcome(get_db(), current_user.id, patient_today())
    return redirect(url_for("diary.today"))


@bp.route("/history")
def history() -> ResponseReturnValue:
    if request.args.get("trigger", "").strip():
        # An old link with a trigger's name in it: the same list, by the trigger's id (names are
        # health data and stay out of URLs from here on).
        named = triggers_service.find_by_name(get_db(), current_user.id, request.args["trigger"])
        kept: dict[str, Any] = {k: v for k, v in request.args.items() if k in ("from", "to")}
        if named:
            kept["trigger_id"] = named["id"]
        return redirect(url_for("diary.history", **kept))
    filters = {k: v for k in ("from", "to", "trigger_id") if (v := request.args.get(k, "").strip())}
    query, errors = load(EntryQuery(), filters)
    if query is None:
        query = {}
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_OFFSET // HISTORY_PAGE_SIZE)
    entries = records.list_entries(
        get_db(), current_user.id, date_from=query.get("date_from"), date_to=query.get("date_to"),
        trigger_id=query.get("trigger_id"), limit=HISTORY_PAGE_SIZE + 1, offset=(page - 1) * HISTORY_PAGE_SIZE,
    )
    return render_template(
        "diary/history.html", entries=entries[:HISTORY_PAGE_SIZE], has_more=len(entries) > HISTORY_PAGE_SIZE,
        page=page, filters=filters, errors=errors,
        export_filters={k: v for k, v in filters.items() if k in ("from", "to") and not errors},
        triggers=triggers_service.list_own(get_db(), current_user.id),
    ), 422 if errors else 200


def own_entry(entry_id: uuid.UUID) -> Mapping[str, Any]:
    """The patient's check-in ``entry_id``; 404 (page or JSON) when it isn't theirs."""
    entry = records.get_entry(get_db(), current_user.id, entry_id)
    if entry is None:
        raise not_found("entry")
    return entry


@bp.route("/entries/<uuid:entry_id>/edit", methods=["GET", "POST"])
def edit_entry(entry_id: uuid.UUID) -> ResponseReturnValue:
    entry = own_entry(entry_id)
    errors: dict[str, list[str]]
    values, errors = entry, {}
    if request.method == "POST":
        values = entry_payload(request.form)
        values.pop("id", None)
        data, errors = load(EntryIn(today=patient_today()), values)
        if data is not None:
            updated = records.update_entry(get_db(), current_user.id, entry_id, data)
            if updated is None:  # deleted in between
                raise not_found("entry")
            _entry, card = updated
            flash(_("Check-in updated."), "success")
            support.remember(card)
            return redirect(url_for("diary.history"))
    return render_checkin_form("diary/edit_entry.html", values, errors, entry=entry)


@bp.route("/entries/<uuid:entry_id>/delete", methods=["GET", "POST"])
def delete_entry(entry_id: uuid.UUID) -> ResponseReturnValue:
    entry = own_entry(entry_id)
    if request.method == "POST":
        records.delete_entry(get_db(), current_user.id, entry_id)
        flash(_("Check-in deleted."), "success")
        return redirect(url_for("diary.history"))
    return render_template("diary/delete_entry.html", entry=entry)


@bp.route("/triggers")
def triggers() -> ResponseReturnValue:
    return render_triggers({})


def render_triggers(errors: Mapping[int, Any], status: int = 200) -> ResponseReturnValue:
    return render_template(
        "diary/triggers.html", triggers=triggers_service.list_own(get_db(), current_user.id),
        errors=errors,
    ), status


def own_trigger_or_404(trigger_id: int) -> Mapping[str, Any]:
    trigger = triggers_service.get_own(get_db(), current_user.id, trigger_id)
    if trigger is None:
        abort(404)
    return trigger


@bp.route("/triggers/<row_id:trigger_id>/rename", methods=["POST"])
def rename_trigger(trigger_id: int) -> ResponseReturnValue:
    trigger = own_trigger_or_404(trigger_id)
    try:
        new_name = TriggerName().deserialize(request.form.get("name", ""))
    except ValidationError as error:
        return render_triggers({trigger_id: error.messages}, 422)
    try:
        triggers_service.rename(get_db(), current_user.id, trigger_id, new_name)
    except NameTaken:
        message = _("You already have a trigger called “%(name)s”. Use Merge to combine them.", name=new_name)
        return render_triggers({trigger_id: [message]}, 422)
    flash(_("Renamed “%(old)s” to “%(new)s”.", old=trigger["name"], new=new_name), "success")
    return redirect(url_for("diary.triggers"))


@bp.route("/triggers/<row_id:trigger_id>/merge", methods=["GET", "POST"])
def merge_trigger(trigger_id: int) -> ResponseReturnValue:
    """GET asks for confirmation (merging can't be undone); POST merges."""
    source = own_trigger_or_404(trigger_id)
    into = row_id(request.values.get("into"))  # None: not an id, so none of theirs
    target = None if into is None else triggers_service.get_own(get_db(), current_user.id, into)
    if target is None or target["id"] == source["id"]:
        return render_triggers({trigger_id: [_("Choose another of your triggers to merge into.")]}, 422)
    if request.method == "GET":
        return render_template("diary/merge_trigger.html", source=source, target=target)
    triggers_service.merge(get_db(), current_user.id, source["id"], target["id"])
    flash(_("Merged “%(source)s” into “%(target)s”.", source=source["name"], target=target["name"]), "success")
    return redirect(url_for("diary.triggers"))


@bp.route("/triggers/<row_id:trigger_id>/delete", methods=["GET", "POST"])
def delete_trigger(trigger_id: int) -> ResponseReturnValue:
    trigger = own_trigger_or_404(trigger_id)
    if request.method == "POST":
        triggers_service.delete(get_db(), current_user.id, trigger_id)
        flash(_("Deleted the trigger “%(name)s”. Your check-ins are kept.", name=trigger["name"]), "success")
        return redirect(url_for("diary.triggers"))
    return render_template("diary/delete_trigger.html", trigger=trigger)


# --- The JSON API: /api/v1/entries (diary/web/api.py) ---------------------------------------------

THE_ENTRY = {"entry_id": "$response.body#/id"}


@operation("/entries", "post", "Create a check-in (idempotent on a client id)", body=EntryIn,
           context=on_patient_today, responses={201: EntryOut, 200: EntryOut, 409: None},
           links={201: {"GetEntry": ("get_entry", THE_ENTRY), "PatchEntry": ("patch_entry", THE_ENTRY),
                        "DeleteEntry": ("delete_entry", THE_ENTRY)}})
def create_entry(data: dict[str, Any]) -> ResponseReturnValue:
    return saved(records.create_entry(get_db(), current_user.id, data), ENTRY_OUT, ".get_entry",
                 "entry_id")


@operation("/entries", "get", "List check-ins, newest first", query=EntryQuery,
           responses={200: EntryListOut})
def list_entries(query: dict[str, Any]) -> ResponseReturnValue:
    limit = query.pop("limit")
    entries = records.list_entries(get_db(), current_user.id, limit=limit + 1, **query)
    return EntryListOut().dump({"entries": entries[:limit], "next": next_page_url(entries, limit, query)})


@operation("/entries/<uuid:entry_id>", "get", "One check-in", responses={200: EntryOut, 404: None})
def get_entry(entry_id: uuid.UUID) -> ResponseReturnValue:
    return EntryOut().dump(own_entry(entry_id))


def own_entry_today(entry_id: uuid.UUID) -> dict[str, Any]:
    own_entry(entry_id)  # a missing entry answers 404 before the body is read
    return on_patient_today()


@operation("/entries/<uuid:entry_id>", "patch", "Change some fields of a check-in", body=EntryPatch,
           context=own_entry_today, responses={200: EntryOut, 404: None})
def patch_entry(entry_id: uuid.UUID, data: dict[str, Any]) -> ResponseReturnValue:
    updated = records.update_entry(get_db(), current_user.id, entry_id, data)
    if updated is None:  # deleted in between
        raise not_found("entry")
    entry, support = updated
    return EntryOut().dump({**entry, "support": support})


@operation("/entries/<uuid:entry_id>", "delete", "Delete a check-in", responses={204: None, 404: None},
           endpoint="delete_entry")
def api_delete_entry(entry_id: uuid.UUID) -> ResponseReturnValue:
    if not records.delete_entry(get_db(), current_user.id, entry_id):
        raise not_found("entry")
    return "", 204


@operation("/triggers", "get", "My triggers, by name, each with its id (filters use the id, never the name)",
           responses={200: TriggerListOut})
def list_triggers() -> ResponseReturnValue:
    return TriggerListOut().dump({"triggers": triggers_service.list_own(get_db(), current_user.id)})
