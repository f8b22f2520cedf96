"""A printable summary for the clinic: chart, session responses, triggers, optionally notes."""
import datetime as dt

from flask import Blueprint, render_template, request
from flask_login import current_user
from marshmallow import fields

from .. import charts
from ..db import get_db
from ..schemas.fields import DateRangeQuery
from ..schemas.trends import MAX_DAYS
from ..services import trends as trends_service
from ..store import entries as entries_store
from ..store import sessions as sessions_store
from ..timeutil import today_in
from ..web.auth import check_role
from ..web.forms import load

bp = Blueprint("report", __name__)
DEFAULT_DAYS = 90
SHORT_NOTE = 600  # characters: a shorter note is kept on one page when printed; a longer one may break


class ReportQuery(DateRangeQuery):
    notes = fields.Boolean(load_default=False)


@bp.before_request
def patients_only():
    return check_role("patient")


@bp.route("/report")
def index():
    today = today_in(current_user.timezone)
    query, errors = load(ReportQuery(), {k: v for k, v in request.args.items() if v != ""})
    query = query or {"notes": False}
    end = min(query.get("date_to") or today, today)
    start = query.get("date_from") or end - dt.timedelta(days=DEFAULT_DAYS - 1)
    if start > end or (end - start).days >= MAX_DAYS:
        errors = {**errors, "from": [f"Choose a period of 1 to {MAX_DAYS} days ending by today."]}
        start, end = today - dt.timedelta(days=DEFAULT_DAYS - 1), today
    db = get_db()
    first = trends_service.first_record(db, current_user.id)
    since_start = first is not None and first > start  # a period longer than the diary: from its start
    start = max(start, first) if since_start and first <= end else start
    trends = trends_service.gather_between(db, current_user.id, start, end, today, since_start=since_start,
                                           for_page=True)
    notes, reflections = [], []
    if query["notes"]:
        notes = [e for page in entries_store.export_pages(db, current_user.id, date_from=start, date_to=end)
                 for e in page if e["note"]]
        reflections = [s for page in sessions_store.export_pages(db, current_user.id, date_from=start, date_to=end)
                       for s in page if s["reflection"]]
    # One list in date order (as the day happened: by time of day, then when it was saved).
    writings = sorted([{**e, "kind": "note", "text": e["note"]} for e in notes]
                      + [{**r, "kind": "reflection", "text": r["reflection"]} for r in reflections],
                      key=lambda w: (w["date"], w["time"] or "", w["created_at"]))
    return render_template(
        "report/index.html", trends=trends, chart=charts.anxiety_chart(trends, history_url=None),
        start=start, end=end, today=today, include_notes=query["notes"], writings=writings,
        short_note=SHORT_NOTE, errors=errors,
    ), 422 if errors else 200
