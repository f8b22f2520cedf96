"""Reminders (HTML): removing a browser from the Account page's list, and Today's "No thanks".
Turning reminders on needs the browser's push subscription, so it goes through the JSON API
(/api/v1/push/subscriptions) from static/js/reminders.js."""
from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user

from ..db import get_db
from ..services import reminders
from ..timeutil import today_in
from ..web.auth import check_role
from ..web.forms import MAX_ROW_ID

bp = Blueprint("reminders", __name__, url_prefix="/reminders")


@bp.before_request
def patients_only():
    return check_role("patient")


@bp.route("/devices/<int:device_id>/delete", methods=["POST"])
def remove_device(device_id):
    if device_id > MAX_ROW_ID or not reminders.remove_device(get_db(), current_user.id, device_id):
        abort(404)
    flash("Reminders are off for that device.", "success")
    return redirect(url_for("auth.account", _anchor="reminders"))


@bp.route("/dismiss", methods=["POST"])
def dismiss():
    """Today's reminder offer, "No thanks": not offered again (Account still has the switch)."""
    reminders.dismiss_offer(get_db(), current_user.id, today_in(current_user.timezone))
    return redirect(url_for("diary.today"))
