"""The provider's side of sharing: which patients they may see, the dashboard, share codes.

What a provider may see is decided here, from the share's scope and the private flags.
"""
import datetime as dt

from ..db import write_transaction
from ..insights import attention
from ..insights.daily import means_of
from ..insights.trends import rounded
from ..store import assessments as assessments_store
from ..store import audit
from ..store import entries as entries_store
from ..store import sessions as sessions_store
from ..store import sharing as sharing_store
from ..store import users as users_store
from ..timeutil import today_in
from . import limits, safety
from ..insights import relief
from .trends import insight_totals, relief_means

SORTS = {
    "attention": lambda p: attention.urgency(p["reasons"], p["display_name"]),
    "name": lambda p: p["display_name"].casefold(),
    "last_entry": lambda p: p["last_entry_date"] or "",
    "mean_7": lambda p: -(p["mean_7"] if p["mean_7"] is not None else -1),
    "change": lambda p: -(p["change_from_baseline"] if p["change_from_baseline"] is not None else -99),
}


def shared_patient(db, provider_id, patient_id):
    """``(patient row, share)`` when the patient shares with this provider right now, else ``(None, None)``.

    Checked on every request, so a revocation takes effect on the very next one.
    """
    share = sharing_store.live_share(db, provider_id, patient_id)
    patient = users_store.get_user(db, patient_id) if share else None
    return (patient, share) if patient else (None, None)


def summary(db, provider_id, patient):
    """The dashboard line for one sharing patient, from shared (non-private) data only."""
    today = today_in(patient["timezone"])
    sessions = sessions_store.list_sessions(db, patient["id"], include_private=False)
    start = today - dt.timedelta(days=attention.SPARKLINE_DAYS - 1)
    totals = insight_totals(db, patient["id"], start, today, sessions, include_private=False)
    first = dt.date.fromisoformat(sessions[-1]["date"]) if sessions else None  # newest first
    last = entries_store.last_date(db, patient["id"], include_private=False)
    flag = safety.open_flag(db, patient, provider_id, patient["since"])
    _, _, outlook = relief.outlook(sessions, relief_means(db, patient["id"], sessions, today, include_private=False),
                                   today)
    result = attention.summarize(
        means_of(totals), today, dt.date.fromisoformat(last) if last else None, first,
        highest={day: high for day, (_, _, _, high) in totals.items()}, safety=flag,
        latest_assessments=assessments_store.latest_by_instrument(db, patient["id"], include_private=False),
    )
    return {
        "id": patient["id"], "display_name": patient["display_name"], "scope": patient.get("scope"),
        "last_entry_date": last, "mean_7": rounded(result.mean_7),
        "change_from_baseline": rounded(result.change_from_baseline),
        "flags": list(result.flags), "reasons": result.reasons,
        "flag_reasons": [{"flag": r.flag, "date": r.date and r.date.isoformat(), "text": r.text}
                         for r in result.reasons],
        "safety": None if flag is None else {k: flag[k] for k in ("since", "date", "reason", "count", "raised_at")},
        "sparkline": result.sparkline, "last_session": sessions[0] if sessions else None,
        "days_since_session": outlook.days_since, "forecast_status": outlook.status,
    }


def patient_summaries(db, provider_id, sort="attention", action="provider.dashboard"):
    """Every patient sharing with the provider, summarized and sorted; each one's access is logged."""
    patients = sharing_store.shared_patients(db, provider_id)
    summaries = sorted((summary(db, provider_id, p) for p in patients), key=SORTS.get(sort, SORTS["attention"]))
    with write_transaction(db):
        audit.record_many(db, action, actor_id=provider_id, patient_ids=[p["id"] for p in patients])
    return summaries


REDEEM_MESSAGES = {
    "unknown": "That code doesn't match any share code. Check it with your patient.",
    "expired": "That code has expired (codes last 72 hours). Ask your patient for a new one.",
    "used": "That code has already been used. Ask your patient for a new one.",
    "cancelled": "Your patient cancelled that code. Ask them for a new one.",
}


def redeem(db, provider_id, code, *, config, address):
    """Redeem a share code for ``provider_id``: ``(patient, None)`` or ``(None, (status, errors))``.

    Wrong codes are limited per provider, per client address and overall (services.limits), so
    opening more provider accounts doesn't buy more guesses; a 429 failure carries ``retry_after``.
    """
    try:
        attempt = limits.attempt(db, config, "redeem", account=provider_id, address=address)
    except limits.Throttled as throttled:
        return None, (429, {"code": [f"Too many codes that didn't work. Please wait {throttled.wait} "
                                     "and try again."]}, throttled.retry_after)
    try:
        patient = sharing_store.redeem_invite(db, provider_id, code)
    except sharing_store.InviteRefused as refusal:
        with write_transaction(db):
            audit.record(db, "share.redeem_failed", actor_id=provider_id, detail=refusal.reason)
        return None, (422, {"code": [REDEEM_MESSAGES[refusal.reason]]}, None)
    attempt.succeeded()
    with write_transaction(db):
        audit.record(db, "share.redeemed", actor_id=provider_id, patient_id=patient["id"])
    return patient, None
