"""Provider pages: the dashboard of patients sharing, redeeming a share code, a patient's diary."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..db import get_db
from ..insights import attention
from ..schemas.sharing import AcknowledgeIn, RedeemIn
from ..schemas.trends import RANGE_LABELS, TrendsPageQuery
from ..services import care, export, limits, safety
from ..web import charts
from ..web.auth import check_role
from ..web.downloads import date_range, export_filename, streamed_csv
from ..web.forms import load, present, row_id

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
    page = row_id(request.args.get("page")) or 1  # not a page number ("²", 5,000 digits): the first
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
        try:
            patient = care.redeem(get_db(), current_user.id, data["code"], config=current_app.config,
                                  address=request.remote_addr)
        except limits.Throttled as throttled:
            errors = {"code": [care.TOO_MANY_CODES.format(wait=throttled.wait)]}
            status, headers = 429, {"Retry-After": str(throttled.retry_after)}
        except care.CodeNotRedeemed as refused:
            errors = {"code": [str(refused)]}
        else:
            flash(f"{patient['display_name']} now shares their diary with you.", "success")
            return redirect(url_for("provider.patient", patient_id=patient["id"]))
    return render_template("provider/dashboard.html", **dashboard_page(), errors=errors,
                           code=request.form.get("code", "")), status, headers


@bp.route("/patients/<int(max=9223372036854775807):patient_id>")
def patient(patient_id):
    db = get_db()
    patient, share = shared_patient_or_404(db, current_user.id, patient_id)
    # The Trends page's periods; a bad one is explained and the default shown instead.
    query, errors = load(TrendsPageQuery(), {k: v for k, v in request.args.items() if k == "range"})
    page = care.patient_page(db, current_user.id, patient, share, (query or {}).get("range"))
    return render_template(
        "provider/patient.html", patient=patient, share=share, **page, **charts.trends_charts(page["trends"]),
        ranges=RANGE_LABELS, errors=errors,
    ), 422 if errors else 200


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
    chunks = export.shared_entries_csv(db, current_user.id, patient, share, **query)
    name = "-".join(patient["display_name"].lower().split()) or "patient"
    return streamed_csv(chunks, export_filename(f"{name}-entries"))
