"""GAD-7 and PHQ-9 (HTML): take one, see the result, the history; the Today "due" card."""
import uuid
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from ..db import get_db
from ..insights.questionnaires import INSTRUMENTS, Instrument
from ..schemas.assessments import AssessmentIn, AssessmentListOut, AssessmentOut, AssessmentQuery
from ..services import IdConflict
from ..services import assessments as assessments_service
from ..services import records
from ..vocabulary import LANGUAGES
from ..web import i18n, support
from ..web.api import not_found, on_patient_today, operation, saved
from ..web.auth import patient_today, patients_only
from ..web.forms import item_prefix, load, present

bp = Blueprint("assessments", __name__, url_prefix="/assessments")
bp.before_request(patients_only)


@bp.route("/")
def index() -> ResponseReturnValue:
    history = records.list_assessments(get_db(), current_user.id)
    return render_template("assessments/index.html", history=history)


def assessment_payload(form: MultiDict[str, str], instrument: Instrument) -> dict[str, Any]:
    """The schema's input from the form: ``item_1``… radios become ``answers`` (None if unanswered)."""
    payload = present(form, ("id", "date", "difficulty"))
    payload["instrument"] = instrument.key
    payload["answers"] = [form.get(f"item_{n}") or None for n in range(1, len(instrument.items) + 1)]
    payload["private"] = "private" in form
    if payload.get("difficulty") == "":
        del payload["difficulty"]
    return payload


def item_errors(errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """``{"answers": ["Item 3: Choose an answer."]}`` -> ``{"item_3": ["Choose an answer."]}`` (for the form;
    "Item 3: " in the reader's language)."""
    result = {k: v for k, v in errors.items() if k != "answers"}
    prefix = item_prefix()
    for message in errors.get("answers", []):
        match = prefix.match(message)
        key, text = (f"item_{match.group(1)}", message[match.end():]) if match else ("answers", message)
        result.setdefault(key, []).append(text)
    return result


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    key = request.args.get("instrument", "")
    if key not in INSTRUMENTS:
        errors = {"instrument": [_("Choose GAD-7 or PHQ-9.")]} if key else {}
        return render_template("assessments/choose.html", errors=errors), 422 if key else 200
    instrument = INSTRUMENTS[key]
    today = patient_today()
    values, errors = {"date": today.isoformat(), "id": str(uuid.uuid4()), "answers": []}, {}
    if request.method == "POST":
        values = assessment_payload(request.form, instrument)
        data, errors = load(AssessmentIn(today=today), values)
        if data is not None:
            try:
                shown_in = request.form.get("form_language")
                assessment, _created, card = records.create_assessment(
                    get_db(), current_user.id, data,
                    language=shown_in if shown_in in LANGUAGES else i18n.language())
            except IdConflict:
                errors = {"id": [_("This questionnaire was already saved (see Questionnaires); saving again stores"
                                   " it as a new one.")]}
                values["id"] = str(uuid.uuid4())
            else:
                support.remember(card)
                return redirect(url_for("assessments.result", assessment_id=assessment["id"]))
        errors = item_errors(errors)
    return render_template("assessments/form.html", instrument=instrument, values=values, errors=errors,
                           today=today), 422 if errors else 200


@bp.route("/<uuid:assessment_id>")
def result(assessment_id: uuid.UUID) -> ResponseReturnValue:
    found = assessments_service.result(get_db(), current_user.id, assessment_id)
    if found is None:
        abort(404)
    return render_template("assessments/result.html", **found)


@bp.route("/<uuid:assessment_id>/delete", methods=["GET", "POST"])
def delete(assessment_id: uuid.UUID) -> ResponseReturnValue:
    found = assessments_service.result(get_db(), current_user.id, assessment_id)
    if found is None:
        abort(404)
    if request.method == "POST":
        records.delete_assessment(get_db(), current_user.id, assessment_id)
        flash(_("%(instrument)s deleted.", instrument=found["instrument"].name), "success")
        return redirect(url_for("assessments.index"))
    return render_template("assessments/delete.html", **found)


@bp.route("/due/dismiss", methods=["POST"])
def dismiss_due() -> Response:
    assessments_service.dismiss_due(get_db(), current_user.id, patient_today())
    flash(_("Hidden until the next one is due."), "info")
    return redirect(url_for("diary.today"))


# --- The JSON API: /api/v1/assessments (diary/web/api.py) -----------------------------------------

@operation("/assessments", "post", "Save a completed GAD-7 or PHQ-9 (scored by the server; idempotent on a client id)",
           body=AssessmentIn, context=on_patient_today,
           responses={201: AssessmentOut, 200: AssessmentOut, 409: None})
def create_assessment(data: dict[str, Any]) -> ResponseReturnValue:
    # An API client shows the form in the account's language, as the page does.
    return saved(records.create_assessment(get_db(), current_user.id, data, language=i18n.language()), AssessmentOut(),
                 ".get_assessment", "assessment_id")


@operation("/assessments", "get", "List questionnaire results, newest first", query=AssessmentQuery,
           responses={200: AssessmentListOut})
def list_assessments(query: dict[str, Any]) -> ResponseReturnValue:
    assessments = records.list_assessments(get_db(), current_user.id, **query)
    return AssessmentListOut().dump({"assessments": assessments})


def own_assessment(assessment_id: uuid.UUID) -> Mapping[str, Any]:
    assessment = records.get_assessment(get_db(), current_user.id, assessment_id)
    if assessment is None:
        raise not_found("assessment")
    return assessment


@operation("/assessments/<uuid:assessment_id>", "get", "One questionnaire result",
           responses={200: AssessmentOut, 404: None})
def get_assessment(assessment_id: uuid.UUID) -> ResponseReturnValue:
    return AssessmentOut().dump(own_assessment(assessment_id))


@operation("/assessments/<uuid:assessment_id>", "delete", "Delete a questionnaire result",
           responses={204: None, 404: None})
def delete_assessment(assessment_id: uuid.UUID) -> ResponseReturnValue:
    if not records.delete_assessment(get_db(), current_user.id, assessment_id):
        raise not_found("assessment")
    return "", 204
