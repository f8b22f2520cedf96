"""Provider pages: the dashboard of patients sharing, redeeming a share code, a patient's diary."""
from collections.abc import Mapping, Sequence
from typing import Any

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..db import get_db
from ..insights import attention
from ..schemas.entries import EntryQuery
from ..schemas.outcomes import ScheduleIn, ScheduleOut
from ..schemas.sharing import AcknowledgeIn, PatientListOut, RedeemIn, RedeemOut, SharedEntryListOut
from ..schemas.trends import RANGE_LABELS, SharedTrendsQuery, TrendsOut, TrendsPageQuery
from ..services import care, export, limits, safety
from ..web import charts
from ..web.api import next_page_url, operation
from ..web.auth import providers_only
from ..web.downloads import date_range, export_filename, streamed_csv
from ..web.errors import http_error
from ..web.forms import load, present, row_id

bp = Blueprint("provider", __name__, url_prefix="/provider")
bp.before_request(providers_only)
# (patient, share): a patient sharing with the logged-in provider, and what they share (shared_patient).
PatientShare = tuple[Mapping[str, Any], Mapping[str, Any]]


def shared_patient(patient_id: int) -> PatientShare:
    """``(patient, share)`` of a patient sharing with the logged-in provider; 404 (page or JSON)
    when no patient shares with them under that id."""
    patient, share = care.shared_patient(get_db(), current_user.id, patient_id)
    if patient is None or share is None:  # the two are None together
        raise http_error(404, {"patient_id": [_("No patient shares their diary with you under that id.")]})
    return patient, share


@bp.route("/")
def dashboard() -> ResponseReturnValue:
    sort = request.args.get("sort", "attention")
    if sort not in care.SORTS:
        sort = "attention"
    page = row_id(request.args.get("page")) or 1  # not a page number ("²", 5,000 digits): the first
    return render_template("provider/dashboard.html", **dashboard_page(sort, page), errors={})


def dashboard_page(sort: str = "attention", page: int = 1) -> dict[str, Any]:
    """What the dashboard template needs for page ``page`` (1-based; out of range: the nearest)."""
    shown = care.dashboard(get_db(), current_user.id, sort, page=page)
    return {**shown, "sort": sort, "flag_labels": attention.FLAG_LABELS, "sparkline": charts.sparkline}


@bp.route("/redeem", methods=["POST"])
def redeem_code() -> ResponseReturnValue:
    data, errors = load(RedeemIn(), present(request.form, ("code",)))
    status, headers = 422, {}
    if data is not None:
        try:
            patient = care.redeem(get_db(), current_user.id, data["code"], config=current_app.config,
                                  address=request.remote_addr)
        except limits.Throttled as throttled:
            errors = {"code": [str(care.TOO_MANY_CODES.format(wait=throttled.wait))]}
            status, headers = 429, {"Retry-After": str(throttled.retry_after)}
        except care.CodeNotRedeemed as refused:
            errors = {"code": [str(refused)]}
        else:
            flash(_("%(name)s now shares their diary with you.", name=patient["display_name"]), "success")
            return redirect(url_for("provider.patient", patient_id=patient["id"]))
    return render_template("provider/dashboard.html", **dashboard_page(), errors=errors,
                           code=request.form.get("code", "")), status, headers


@bp.route("/patients/<row_id:patient_id>")
def patient(patient_id: int) -> ResponseReturnValue:
    db = get_db()
    patient, share = shared_patient(patient_id)
    # The Trends page's periods; a bad one is explained and the default shown instead.
    query, errors = load(TrendsPageQuery(), {k: v for k, v in request.args.items() if k == "range"})
    page = care.patient_page(db, current_user.id, patient, share, (query or {}).get("range"))
    return render_template(
        "provider/patient.html", patient=patient, share=share, **page, **charts.trends_charts(page["trends"]),
        ranges=RANGE_LABELS, errors=errors,
    ), 422 if errors else 200


@bp.route("/patients/<row_id:patient_id>/safety/acknowledge", methods=["POST"])
def acknowledge_safety(patient_id: int) -> Response:
    db = get_db()
    shared_patient(patient_id)
    data, errors = load(AcknowledgeIn(), present(request.form, ("through",)))
    if data is None:
        abort(422, description=" ".join(errors["through"]))
    # No name in the messages: they may be shown on a later page, after the patient stopped sharing.
    if safety.acknowledge(db, current_user.id, patient_id, data.get("through")):
        flash(_("Safety alert acknowledged. It comes back if anything new happens."), "success")
    else:
        flash(_("Nothing new to acknowledge."), "info")
    return redirect(url_for("provider.patient", patient_id=patient_id))


@bp.route("/patients/<row_id:patient_id>/export/entries.csv")
def export_entries(patient_id: int) -> Response:
    db = get_db()
    patient, share = shared_patient(patient_id)
    query = date_range()
    chunks = export.shared_entries_csv(db, current_user.id, patient, share, **query)
    name = "-".join(patient["display_name"].lower().split()) or "patient"
    return streamed_csv(chunks, export_filename(f"{name}-entries"))


# --- The JSON API: /api/v1/invites/redeem, patients (diary/web/api.py) ----------------------------

@operation("/invites/redeem", "post", "Redeem a patient's share code", body=RedeemIn,
           responses={200: RedeemOut, 422: None, 429: None}, role="provider")
def redeem_invite(data: dict[str, Any]) -> ResponseReturnValue:
    try:
        patient = care.redeem(get_db(), current_user.id, data["code"], config=current_app.config,
                              address=request.remote_addr)
    except limits.Throttled as throttled:
        raise http_error(429, {"code": [str(care.TOO_MANY_CODES.format(wait=throttled.wait))]},
                        retry_after=throttled.retry_after) from None
    except care.CodeNotRedeemed as refused:
        raise http_error(422, {"code": [str(refused)]}) from None
    return RedeemOut().dump({"patient": patient})


FIRST_PATIENT = {"patient_id": "$response.body#/patients/0/id"}


@operation("/patients", "get", "Patients sharing with me, with attention flags", responses={200: PatientListOut},
           role="provider", links={200: {
               "PatientTrends": ("patient_trends", FIRST_PATIENT),
               "PatientEntries": ("patient_entries", FIRST_PATIENT),
               "AcknowledgeSafety": ("acknowledge_safety", FIRST_PATIENT),
               "GetSchedule": ("get_schedule", FIRST_PATIENT),
               "SetSchedule": ("set_schedule", FIRST_PATIENT),
           }})
def list_patients() -> ResponseReturnValue:
    # Read by field name (PATIENT_FIELDS), not as the service's TypedDict.
    patients: Sequence[Mapping[str, Any]] = care.patient_summaries(get_db(), current_user.id, action="api.patients",
                                                                  sparklines=False)
    # The summaries already hold PatientSummaryOut's fields in JSON types (tests hold the answer to
    # that schema); a marshmallow dump of 500 patients took as long as everything else together.
    return jsonify({"patients": [{name: p[name] for name in PATIENT_FIELDS} for p in patients]})


PATIENT_FIELDS = tuple(PatientListOut().fields["patients"].inner.schema.fields)  # type: ignore[attr-defined]


@operation("/patients/<row_id:patient_id>/safety/acknowledge", "post",
           "Acknowledge a patient's safety flag (audited; shown in the patient's access log)",
           body=AcknowledgeIn, empty_body=True, find=shared_patient,
           responses={204: None, 404: None}, role="provider", endpoint="acknowledge_safety")
def api_acknowledge_safety(patient_id: int, data: dict[str, Any], found: PatientShare) -> ResponseReturnValue:
    safety.acknowledge(get_db(), current_user.id, patient_id, data.get("through"))
    return "", 204


@operation("/patients/<row_id:patient_id>/trends", "get",
           "A sharing patient's trends (without private entries)", query=SharedTrendsQuery,
           find=shared_patient, responses={200: TrendsOut, 404: None}, role="provider")
def patient_trends(patient_id: int, query: dict[str, Any], found: PatientShare) -> ResponseReturnValue:
    patient, share = found
    return jsonify(care.shared_trends(get_db(), current_user.id, patient, share, query.get("days"),
                                      query.get("range")))


@operation("/patients/<row_id:patient_id>/entries", "get",
           "A sharing patient's shared check-ins (notes only with full sharing)", query=EntryQuery,
           find=shared_patient, responses={200: SharedEntryListOut, 404: None}, role="provider")
def patient_entries(patient_id: int, query: dict[str, Any], found: PatientShare) -> ResponseReturnValue:
    patient, share = found
    limit = query.pop("limit")
    entries = care.shared_entries(get_db(), current_user.id, patient, share, limit=limit + 1, **query)
    return SharedEntryListOut().dump({"entries": entries[:limit], "next": next_page_url(entries, limit, query)})


@operation("/patients/<row_id:patient_id>/questionnaire-schedule", "get",
           "When a sharing patient's GAD-7 and PHQ-9 fall due", find=shared_patient,
           responses={200: ScheduleOut, 404: None}, role="provider", endpoint="get_schedule")
def api_get_schedule(patient_id: int, found: PatientShare) -> ResponseReturnValue:
    return jsonify(ScheduleOut().dump(care.schedule(get_db(), patient_id)))


@operation("/patients/<row_id:patient_id>/questionnaire-schedule", "put",
           "Set when a sharing patient's GAD-7 and PHQ-9 fall due (audited; the patient sees who set it)",
           body=ScheduleIn, find=shared_patient, responses={200: ScheduleOut, 404: None}, role="provider",
           endpoint="set_schedule")
def api_set_schedule(patient_id: int, data: dict[str, Any], found: PatientShare) -> ResponseReturnValue:
    return jsonify(ScheduleOut().dump(care.set_schedule(get_db(), current_user.id, patient_id, data["cadence"],
                                                        data["restart_each_series"])))


@bp.route("/patients/<row_id:patient_id>/questionnaire-schedule", methods=["POST"])
def schedule_form(patient_id: int) -> ResponseReturnValue:
    shared_patient(patient_id)
    form = present(request.form, ("cadence",))
    data, errors = load(ScheduleIn(), {**form, "restart_each_series": "restart_each_series" in request.form})
    if data is None:
        raise http_error(422, errors)
    care.set_schedule(get_db(), current_user.id, patient_id, data["cadence"], data["restart_each_series"])
    flash(_("Questionnaire schedule saved. Your patient sees it on their Today page."))
    return redirect(url_for("provider.patient", patient_id=patient_id, _anchor="schedule"))
