"""Reminders and safety alerts (HTML): removing a browser from the Account page's list, and Today's
"No thanks". Turning either on needs the browser's push subscription, so it goes through the JSON
API (/api/v1/push/subscriptions for a patient's reminders, /api/v1/safety-alerts/subscriptions for
a provider's safety alerts) from static/js/reminders.js."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.wrappers import Response

from ..db import get_db
from ..services import reminders, safety_alerts
from ..timeutil import today_in
from ..web.auth import check_role
from ..web.forms import MAX_ROW_ID

bp = Blueprint("reminders", __name__, url_prefix="/reminders")

# Safety alerts are a provider's; everything else here is a patient's.
PROVIDER_ENDPOINTS = {"reminders.remove_alert_device"}


@bp.before_request
def right_role() -> ResponseReturnValue | None:
    return check_role("provider" if request.endpoint in PROVIDER_ENDPOINTS else "patient")


@bp.route("/devices/<int:device_id>/delete", methods=["POST"])
def remove_device(device_id):
    if device_id > MAX_ROW_ID or not reminders.remove_device(get_db(), current_user.id, device_id):
        abort(404)
    flash("Reminders are off for that device.", "success")
    return redirect(url_for("auth.account", _anchor="reminders"))


@bp.route("/safety-alerts/remove", methods=["POST"])
def remove_alert_device() -> Response:
    """A provider's browser off the list of those with safety alerts (``device_id`` in the form)."""
    device_id = request.form.get("device_id", "")
    if not (device_id.isascii() and device_id.isdigit() and int(device_id) <= MAX_ROW_ID):
        abort(400, description="Choose a browser from the list on your Account page.")
    if not safety_alerts.remove_device(get_db(), current_user.id, int(device_id)):
        abort(404)
    flash("Safety alerts are off for that browser.", "success")
    return redirect(url_for("auth.account", _anchor="safety-alerts"))


@bp.route("/dismiss", methods=["POST"])
def dismiss():
    """Today's reminder offer, "No thanks": not offered again (Account still has the switch)."""
    reminders.dismiss_offer(get_db(), current_user.id, today_in(current_user.timezone))
    return redirect(url_for("diary.today"))
