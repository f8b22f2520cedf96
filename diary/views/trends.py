"""The patient's Trends page: charts and insights (definitions in docs/INSIGHTS.md)."""
from typing import Any

from flask import Blueprint, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..db import get_db
from ..schemas.trends import RANGE_LABELS, TrendsOut, TrendsPageQuery, TrendsQuery
from ..services import trends as trends_service
from ..web import i18n
from ..web.api import operation
from ..web.auth import patients_only
from ..web.charts import trends_charts
from ..web.forms import load

bp = Blueprint("trends", __name__)
bp.before_request(patients_only)


@bp.route("/trends")
def index() -> ResponseReturnValue:
    query, errors = load(TrendsPageQuery(), {k: v for k, v in request.args.items() if k == "range"})
    db = get_db()
    page = trends_service.page(db, current_user.id, current_user.timezone, (query or {}).get("range"),
                               draw=trends_charts, language=i18n.language())
    return render_template(
        "trends/index.html", **page, **page["drawn"], ranges=RANGE_LABELS, errors=errors,
        private_left_out=trends_service.private_left_out(db, current_user.id),
    ), 422 if errors else 200


# --- The JSON API: /api/v1/trends (diary/web/api.py) ----------------------------------------------

@operation("/trends", "get", "Daily series, rolling mean, session response, trigger effects, course",
           query=TrendsQuery, responses={200: TrendsOut}, endpoint="trends")
def api_trends(query: dict[str, Any]) -> ResponseReturnValue:
    # build() already returns TrendsOut's shape in JSON types (tests hold it to that schema);
    # a marshmallow dump of ~1,800 days would add 25 ms to an all-time request.
    return jsonify(trends_service.gather(get_db(), current_user.id, current_user.timezone, query["days"]))
