"""GET /healthz for load balancers, monitors and the benchmarks: does the database answer?"""
import sqlite3

from flask import Blueprint, current_app, jsonify
from werkzeug.wrappers import Response

from ..db import get_db, health
from ..services import keys

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz() -> Response:
    """200 {"status": "ok"} when the database answers with a current schema; 503 otherwise. Public,
    and says nothing about anyone's data."""
    try:
        state = health(get_db())
    except (sqlite3.Error, OSError):
        state = "unavailable"
    body: dict[str, object] = {"status": "ok" if state == "ok" else "unavailable", "database": state}
    if state == "ok":
        # Does this server's master key open the key store's data keys? (README, "Keys")
        found = keys.check(get_db(), current_app.config["MASTER_KEYS"])
        body["keys"] = "ok" if found.ok else f"{found.unopenable} of {found.keys} data keys don't open"
        if not found.ok:
            body["status"] = "unavailable"
    ok = body["status"] == "ok"
    response = jsonify(body)
    response.status_code = 200 if ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response
