"""Provider pages: the dashboard of patients sharing, redeeming a share code, a patient's diary."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import charts
from ..web.auth import check_role
from ..db import get_db, write_transaction
from ..insights import attention
from ..services import care
from ..services import trends as trends_service
from ..schemas.sharing import AcknowledgeIn, RedeemIn
from ..store import audit
from ..store import entries as entries_store
from ..store import sessions as sessions_store
from ..services import safety
from ..store import assessments as assessments_store
from ..store import safety as safety_store
from ..web.downloads import csv_response, date_range, export_filename
from ..web.forms import load, present

bp = Blueprint("provider", __name__, url_prefix="/provider")


@bp.before_request
def providers_only():
    return check_role("provider")


def shared_patient_or_404(db, provider_id, patient_id):
    patient, share = care.shared_patient(db, provider_id, patient_id)
    if patient is None:
        abort(404)
    return patient, share


@bp.route("/")
def dashboard():
    sort = request.args.get("sort", "attention")
    if sort not in care.SORTS:
        sort = "attention"
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() else 1
    return render_template("provider/dashboard.html", **dashboard_page(sort, page), errors={})


def dashboard_page(sort="attention", page=1):
    """What the dashboard template needs for page ``page`` (1-based; out of range: the nearest)."""
    shown = care.dashboard(get_db(), current_user.id, sort, page=page)
    return {**shown, "sort": sort, "flag_labels": attention.FLAG_LABELS, "sparkline": charts.sparkline}


@bp.route("/redeem", methods=["POST"])
def redeem_code():
    data, errors = load(RedeemIn(), present(request.form, ("code",)))
    status, headers = 422, {}
    if data is not None:
        patient, failure = care.redeem(get_db(), current_user.id, data["code"], config=current_app.config,
                                       address=request.remote_addr)
        if patient is not None:
            flash(f"{patient['display_name']} now shares their diary with you.", "success")
            return redirect(url_for("provider.patient", patient_id=patient["id"]))
        status, errors, retry_after = failure
        if retry_after:
            headers["Retry-After"] = str(retry_after)
    return render_template("provider/dashboard.html", **dashboard_page(), errors=errors,
                           code=request.form.get("code", "")), status, headers


@bp.route("/patients/<int(max=9223372036854775807):patient_id>")
def patient(patient_id):
    db = get_db()
    patient, share = shared_patient_or_404(db, current_user.id, patient_id)
    with write_transaction(db):
        audit.record(db, "provider.patient_page", actor_id=current_user.id, patient_id=patient_id)
    full = share["scope"] == "full"
    trends = trends_service.gather(db, patient_id, patient["timezone"], 90, include_private=False)
    entries = entries_store.list_entries(db, patient_id, limit=50, include_private=False)
    return render_template(
        "provider/patient.html", patient=patient, share=share, trends=trends,
        chart=charts.anxiety_chart(trends, history_url=None), entries=entries,
        sessions=sessions_store.list_sessions(db, patient_id, include_private=False)[:20], full=full,
        safety_flag=safety.open_flag(db, patient, current_user.id, share["since"]),
        safety_history=safety.history_for_provider(db, patient, current_user.id),
        assessments=assessments_store.list_assessments(db, patient_id, include_private=False, limit=20),
        plan=safety_store.get_plan(db, patient_id) if full else None,
        assessment_charts=charts.assessment_charts(trends),
    )


@bp.route("/patients/<int(max=9223372036854775807):patient_id>/safety/acknowledge", methods=["POST"])
def acknowledge_safety(patient_id):
    db = get_db()
    shared_patient_or_404(db, current_user.id, patient_id)
    data, errors = load(AcknowledgeIn(), present(request.form, ("through",)))
    if data is None:
        abort(422, description=" ".join(errors["through"]))
    # No name in the messages: they may be shown on a later page, after the patient stopped sharing.
    if safety.acknowledge(db, current_user.id, patient_id, data.get("through")):
        flash("Safety alert acknowledged. It comes back if anything new happens.", "success")
    else:
        flash("Nothing new to acknowledge.", "info")
    return redirect(url_for("provider.patient", patient_id=patient_id))


@bp.route("/patients/<int(max=9223372036854775807):patient_id>/export/entries.csv")
def export_entries(patient_id):
    db = get_db()
    patient, share = shared_patient_or_404(db, current_user.id, patient_id)
    query = date_range()
    with write_transaction(db):
        audit.record(db, "export.entries_csv", actor_id=current_user.id, patient_id=patient_id)
    name = "-".join(patient["display_name"].lower().split()) or "patient"
    return csv_response(patient_id, query, include_private=False, with_text=share["scope"] == "full",
                                    filename=export_filename(f"{name}-entries"))
