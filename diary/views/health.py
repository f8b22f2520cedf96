"""GET /healthz for load balancers, monitors and the benchmarks: does the database answer?"""
import sqlite3

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from ..db import get_db, health

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz() -> Response:
    """200 {"status": "ok"} when the database answers with a current schema; 503 otherwise. Public,
    and says nothing about anyone's data."""
    try:
        state = health(get_db())
    except (sqlite3.Error, OSError):
        state = "unavailable"
    ok = state == "ok"
    response = jsonify(status="ok" if ok else "unavailable", database=state)
    response.status_code = 200 if ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response
