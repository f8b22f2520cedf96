"""Outcomes across the logged-in clinician's practice: the page and its JSON."""
from typing import Any

from flask import Blueprint, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..db import get_db
from ..insights.reliable_change import RELIABLE_LABELS
from ..schemas.outcomes import PERIOD_LABELS, OutcomesOut, OutcomesQuery
from ..services import outcomes
from ..web import charts
from ..web.api import operation
from ..web.auth import providers_only
from ..web.downloads import streamed_csv
from ..web.forms import load

bp = Blueprint("outcomes", __name__, url_prefix="/provider")
bp.before_request(providers_only)


@bp.route("/outcomes")
def page() -> ResponseReturnValue:
    query, errors = load(OutcomesQuery(), request.args)
    period = query["period"] if query else "1y"
    found, patients = outcomes.report(get_db(), current_user.id, period)
    return render_template("provider/outcomes.html", outcomes=found, period=period, counted=len(patients),
                           patients=outcomes.worse_first(patients)[:outcomes.PAGE_ROWS],
                           periods=PERIOD_LABELS, reliable_labels=RELIABLE_LABELS, relief_curve=charts.relief_curve,
                           errors=errors or {})


@bp.route("/outcomes.csv")
def download() -> ResponseReturnValue:
    """The lines behind every figure: one row per patient counted (docs/CSV.md, outcomes.csv)."""
    query, _ = load(OutcomesQuery(), request.args)
    period = query["period"] if query else "1y"
    return streamed_csv(outcomes.csv(get_db(), current_user.id, period), f"outcomes-{period}.csv")


@operation("/outcomes", "get", "Outcomes across the patients sharing with me (audited per patient)",
           query=OutcomesQuery, responses={200: OutcomesOut}, role="provider")
def api_outcomes(query: dict[str, Any]) -> ResponseReturnValue:
    found, _ = outcomes.report(get_db(), current_user.id, query["period"])
    return jsonify(OutcomesOut().dump(found))
