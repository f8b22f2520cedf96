"""The patient's Trends page: charts and insights (definitions in docs/INSIGHTS.md)."""
from flask import Blueprint, render_template, request
from flask_login import current_user

from .. import charts
from ..auth import check_role
from ..db import get_db
from ..insights import trends as trends_insights
from ..schemas.trends import RANGE_LABELS, RANGES, TrendsPageQuery
from ..services import trends as trends_service
from .forms import load

bp = Blueprint("trends", __name__)


@bp.before_request
def patients_only():
    return check_role("patient")


@bp.route("/trends")
def index():
    query, errors = load(TrendsPageQuery(), {k: v for k, v in request.args.items() if k == "range"})
    db = get_db()
    course = trends_service.default_days(db, current_user.id, current_user.timezone)
    range_name = (query or {}).get("range") or ("course" if course else "90d")
    days = course if range_name == "course" else RANGES[range_name]
    if range_name == "course" and course is None:
        range_name, days = "90d", 90  # no treatment in the last year yet: the usual default
    trends = trends_service.gather(db, current_user.id, current_user.timezone, days, for_page=True)
    checkins = trends_service.checkins_by_day(db, current_user.id, trends, limit_days=charts.CHECKINS_DAYS_MAX)
    return render_template(
        "trends/index.html", trends=trends, range_name=range_name, ranges=RANGE_LABELS, errors=errors,
        chart=charts.anxiety_chart(trends), chart_days=charts.day_details(trends, checkins),
        table=trends_insights.table_rows(trends),
        assessment_charts=charts.assessment_charts(trends),
        private_left_out=trends_service.private_left_out(db, current_user.id),
    ), 422 if errors else 200
