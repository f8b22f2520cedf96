"""A printable summary for the clinic: chart, session responses, triggers, optionally notes."""
import datetime as dt

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_db
from ..schemas.trends import MAX_DAYS, ReportQuery
from ..services import trends as trends_service
from ..web import charts
from ..web.auth import patient_today, patients_only
from ..web.forms import load

bp = Blueprint("report", __name__)
bp.before_request(patients_only)
DAYS_BEFORE_TO = 90  # a period given only its end ("to") starts this many days before it, inclusive
SHORT_NOTE = 600  # characters: a shorter note is kept on one page when printed; a longer one may break


@bp.route("/report")
def index() -> ResponseReturnValue:
    db = get_db()
    today = patient_today()
    query, errors = load(ReportQuery(), {k: v for k, v in request.args.items() if v != ""})
    query = query or {"notes": False}
    if query.get("date_from") is None and query.get("date_to") is None:
        # No period given: the Trends page's default, the course (or 90 days).
        start, end = trends_service.default_period(db, current_user.id, today)
    else:
        end = min(query.get("date_to") or today, today)
        start = query.get("date_from") or end - dt.timedelta(days=DAYS_BEFORE_TO - 1)
    if start > end or (end - start).days >= MAX_DAYS:
        errors = {**errors, "from": [_("Choose a period of 1 to %(max)s days ending by today.", max=MAX_DAYS)]}
        start, end = trends_service.default_period(db, current_user.id, today)
    report = trends_service.report(db, current_user.id, start, end, today, with_notes=query["notes"])
    return render_template(
        "report/index.html", **report, **charts.trends_charts(report["trends"]),
        end=end, today=today, include_notes=query["notes"],
        short_note=SHORT_NOTE, errors=errors,
    ), 422 if errors else 200
