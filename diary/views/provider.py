"""Provider pages: the dashboard of patients sharing, redeeming a share code, a patient's diary."""
import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import charts
from ..auth import check_role
from ..db import get_db, write_transaction
from ..insights import attention
from ..insights.daily import daily_means
from ..insights.trends import rounded
from ..schemas.sharing import RedeemIn
from ..store import audit
from ..store import entries as entries_store
from ..store import sessions as sessions_store
from ..store import sharing as sharing_store
from ..store import users as users_store
from ..timeutil import today_in, utc_after
from . import export as export_view
from . import trends as trends_view
from .forms import load, present

bp = Blueprint("provider", __name__, url_prefix="/provider")

REDEEM_FAILURES_PER_HOUR = 10
SORTS = {
    "attention": lambda p: (-len(p["flags"]), p["display_name"].casefold()),
    "name": lambda p: p["display_name"].casefold(),
    "last_entry": lambda p: p["last_entry_date"] or "",
    "mean_7": lambda p: -(p["mean_7"] if p["mean_7"] is not None else -1),
    "change": lambda p: -(p["change_from_baseline"] if p["change_from_baseline"] is not None else -99),
}


@bp.before_request
def providers_only():
    return check_role("provider")


def shared_patient_or_404(db, provider_id, patient_id):
    """(patient row, share) when the patient shares with this provider right now; else 404.

    Checked on every request, so a revocation takes effect on the very next one.
    """
    share = sharing_store.live_share(db, provider_id, patient_id)
    patient = users_store.get_user(db, patient_id) if share else None
    if patient is None:
        abort(404)
    return patient, share


def summary(db, patient):
    """The dashboard line for one sharing patient, from shared (non-private) data only."""
    today = today_in(patient["timezone"])
    sessions = sessions_store.list_sessions(db, patient["id"], include_private=False)
    start = today - dt.timedelta(days=attention.SPARKLINE_DAYS - 1)
    rows = trends_view.insight_rows(db, patient["id"], start, today, sessions, include_private=False)
    first = dt.date.fromisoformat(sessions[-1]["date"]) if sessions else None  # newest first
    last = entries_store.last_date(db, patient["id"], include_private=False)
    result = attention.summarize(daily_means(rows), today, dt.date.fromisoformat(last) if last else None, first)
    return {
        "id": patient["id"], "display_name": patient["display_name"], "scope": patient.get("scope"),
        "last_entry_date": last, "mean_7": rounded(result.mean_7),
        "change_from_baseline": rounded(result.change_from_baseline),
        "flags": list(result.flags), "sparkline": result.sparkline,
        "last_session": sessions[0] if sessions else None,
    }


def patient_summaries(db, provider_id, sort="attention", action="provider.dashboard"):
    """Every patient sharing with the provider, summarized; each one's access is logged."""
    patients = sharing_store.shared_patients(db, provider_id)
    summaries = sorted((summary(db, p) for p in patients), key=SORTS.get(sort, SORTS["attention"]))
    with write_transaction(db):
        audit.record_many(db, action, actor_id=provider_id, patient_ids=[p["id"] for p in patients])
    return summaries


@bp.route("/")
def dashboard():
    sort = request.args.get("sort", "attention")
    if sort not in SORTS:
        sort = "attention"
    patients = patient_summaries(get_db(), current_user.id, sort)
    return render_template("provider/dashboard.html", patients=patients, sort=sort, errors={},
                           flag_labels=attention.FLAG_LABELS, sparkline=charts.sparkline)


def redeem(db, provider_id, code):
    """Redeem a share code for ``provider_id``: ``(patient, None)`` or ``(None, (status, errors))``.

    Wrong codes are counted in the audit log; past 10 an hour the provider must wait.
    """
    failures = audit.count_recent(db, provider_id, "share.redeem_failed", utc_after(hours=-1))
    if failures >= REDEEM_FAILURES_PER_HOUR:
        return None, (429, {"code": ["Too many codes that didn't work. Please wait an hour and try again."]})
    try:
        patient = sharing_store.redeem_invite(db, provider_id, code)
    except sharing_store.InviteRefused as refusal:
        with write_transaction(db):
            audit.record(db, "share.redeem_failed", actor_id=provider_id, detail=refusal.reason)
        message = {
            "unknown": "That code doesn't match any share code. Check it with your patient.",
            "expired": "That code has expired (codes last 72 hours). Ask your patient for a new one.",
            "used": "That code has already been used. Ask your patient for a new one.",
            "cancelled": "Your patient cancelled that code. Ask them for a new one.",
        }[refusal.reason]
        return None, (422, {"code": [message]})
    with write_transaction(db):
        audit.record(db, "share.redeemed", actor_id=provider_id, patient_id=patient["id"])
    return patient, None


@bp.route("/redeem", methods=["POST"])
def redeem_code():
    data, errors = load(RedeemIn(), present(request.form, ("code",)))
    status = 422
    if data is not None:
        patient, failure = redeem(get_db(), current_user.id, data["code"])
        if patient is not None:
            flash(f"{patient['display_name']} now shares their diary with you.", "success")
            return redirect(url_for("provider.patient", patient_id=patient["id"]))
        status, errors = failure
    patients = patient_summaries(get_db(), current_user.id)
    return render_template("provider/dashboard.html", patients=patients, sort="attention", errors=errors,
                           code=request.form.get("code", ""), flag_labels=attention.FLAG_LABELS,
                           sparkline=charts.sparkline), status


@bp.route("/patients/<int(max=9223372036854775807):patient_id>")
def patient(patient_id):
    db = get_db()
    patient, share = shared_patient_or_404(db, current_user.id, patient_id)
    with write_transaction(db):
        audit.record(db, "provider.patient_page", actor_id=current_user.id, patient_id=patient_id)
    trends = trends_view.gather(db, patient_id, patient["timezone"], 90, include_private=False)
    entries = entries_store.list_entries(db, patient_id, limit=50, include_private=False)
    return render_template(
        "provider/patient.html", patient=patient, share=share, trends=trends,
        chart=charts.anxiety_chart(trends, history_url=None), entries=entries,
        sessions=sessions_store.list_sessions(db, patient_id, include_private=False)[:20], full=share["scope"] == "full",
    )


@bp.route("/patients/<int(max=9223372036854775807):patient_id>/export/entries.csv")
def export_entries(patient_id):
    db = get_db()
    patient, share = shared_patient_or_404(db, current_user.id, patient_id)
    query = export_view.date_range()
    with write_transaction(db):
        audit.record(db, "export.entries_csv", actor_id=current_user.id, patient_id=patient_id)
    name = "".join(c if c.isalnum() else "-" for c in patient["display_name"]).strip("-").lower() or "patient"
    return export_view.csv_response(patient_id, query, include_private=False, with_text=share["scope"] == "full",
                                    filename=export_view.export_filename(f"{name}-entries"))
