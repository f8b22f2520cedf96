"""GET /healthz for load balancers, monitors and the benchmarks: does the database answer, and (with
replication on) is the replica keeping up?"""
import sqlite3

from flask import Blueprint, current_app, jsonify
from werkzeug.wrappers import Response

from ..db import get_db, health
from ..services import keys, replication

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz() -> Response:
    """200 {"status": "ok"} when the database answers with a current schema; 503 otherwise. Public,
    and says nothing about anyone's data.

    With replication on (DIARY_REPLICA_URL), also ``"replication": {"state", "lag_seconds",
    "max_lag_seconds", "problem"}``, and 503 with status "degraded" while the replica is behind
    by more than DIARY_REPLICA_MAX_LAG or Litestream doesn't answer (docs/OPERATIONS.md)."""
    try:
        state = health(get_db())
    except (sqlite3.Error, OSError):
        state = "unavailable"
    body: dict[str, object] = {"status": "ok" if state == "ok" else "unavailable", "database": state}
    if state == "ok":
        # Do this server's master key and key store open every account's words? (README, "Keys";
        # the counts go to the log, not to this public answer.)
        try:
            found = keys.check(get_db(), current_app.config["MASTER_KEYS"])
            body["keys"] = "ok" if found.ok else "unreadable"
            if not found.ok:
                current_app.logger.error("Keys: %s", found.problem())
        except (sqlite3.Error, OSError) as error:
            current_app.logger.error("Keys: the key store can't be read: %s", error)
            body["keys"] = "unavailable"
        if body["keys"] != "ok":
            body["status"] = "unavailable"
    replica = replication.health(current_app.config)
    if replica is not None:
        body["replication"] = replica
        if body["status"] == "ok" and replica["state"] != "ok":
            body["status"] = "degraded"
    response = jsonify(body)
    response.status_code = 200 if body["status"] == "ok" else 503
    response.headers["Cache-Control"] = "no-store"
    return response
