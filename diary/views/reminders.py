"""Reminders and safety alerts (HTML): removing a browser from the Account page's list, and Today's
"No thanks". Turning either on needs the browser's push subscription, so it goes through the JSON
API (/api/v1/push/subscriptions for a patient's reminders, /api/v1/safety-alerts/subscriptions for
a provider's safety alerts) from static/js/reminders.js."""
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..db import get_db
from ..push import webpush
from ..schemas.push import (
    PushEndpointIn,
    PushKeyOut,
    PushSubscriptionIn,
    PushSubscriptionOut,
    SafetyAlertSubscriptionIn,
    SafetyAlertSubscriptionOut,
)
from ..services import reminders, safety_alerts
from ..web.api import operation, push_services
from ..web.auth import check_role, patient_today
from ..web.errors import http_error as api_error
from ..web.forms import row_id

bp = Blueprint("reminders", __name__, url_prefix="/reminders")

# Safety alerts are a provider's; everything else here is a patient's.
PROVIDER_ENDPOINTS = {"reminders.remove_alert_device"}


@bp.before_request
def right_role() -> ResponseReturnValue | None:
    return check_role("provider" if request.endpoint in PROVIDER_ENDPOINTS else "patient")


@bp.route("/devices/<row_id:device_id>/delete", methods=["POST"])
def remove_device(device_id: int) -> Response:
    if not reminders.remove_device(get_db(), current_user.id, device_id):
        abort(404)
    flash(_("Reminders are off for that device."), "success")
    return redirect(url_for("auth.account", _anchor="reminders"))


@bp.route("/safety-alerts/remove", methods=["POST"])
def remove_alert_device() -> Response:
    """A provider's browser off the list of those with safety alerts (``device_id`` in the form)."""
    device_id = row_id(request.form.get("device_id"))
    if device_id is None:
        abort(400, description=_("Choose a browser from the list on your Account page."))
    if not safety_alerts.remove_device(get_db(), current_user.id, device_id):
        abort(404)
    flash(_("Safety alerts are off for that browser."), "success")
    return redirect(url_for("auth.account", _anchor="safety-alerts"))


@bp.route("/dismiss", methods=["POST"])
def dismiss() -> Response:
    """Today's reminder offer, "No thanks": not offered again (Account still has the switch)."""
    reminders.dismiss_offer(get_db(), current_user.id, patient_today())
    return redirect(url_for("diary.today"))


# --- The JSON API: /api/v1/push (diary/web/api.py) ------------------------------------------------

@operation("/push/key", "get", "The server's VAPID application server key, for pushManager.subscribe()",
           responses={200: PushKeyOut})
def push_key() -> ResponseReturnValue:
    return PushKeyOut().dump({"public_key": webpush.public_key(current_app)})


@operation("/push/subscriptions", "post",
           "Turn reminders on for this browser (or change its time and days): its push subscription, "
           "a local time HH:MM and days 0 (Monday) to 6 (Sunday)", body=PushSubscriptionIn,
           context=push_services, responses={201: PushSubscriptionOut, 200: PushSubscriptionOut})
def create_push_subscription(data: dict[str, Any]) -> ResponseReturnValue:
    try:
        subscription, created = reminders.subscribe(get_db(), current_user.id, data, request.user_agent.string)
    except reminders.TooManyDevices:
        message = _("Reminders are on for too many browsers: remove one on the Account page.")
        raise api_error(422, {"endpoint": [message]}) from None
    return PushSubscriptionOut().dump(subscription), 201 if created else 200


@operation("/push/subscriptions", "delete", "Turn reminders off for a browser (its endpoint)",
           body=PushEndpointIn, responses={204: None, 404: None})
def delete_push_subscription(data: dict[str, Any]) -> ResponseReturnValue:
    if not reminders.unsubscribe(get_db(), current_user.id, data["endpoint"]):
        raise api_error(404, {"endpoint": [_("No reminders are on for this endpoint.")]})
    return "", 204


# --- The JSON API: /api/v1/safety-alerts (diary/web/api.py) ---------------------------------------

@operation("/safety-alerts/key", "get", "The server's VAPID application server key, for pushManager.subscribe()",
           responses={200: PushKeyOut}, role="provider")
def safety_alerts_key() -> dict:
    return PushKeyOut().dump({"public_key": webpush.public_key(current_app)})


@operation("/safety-alerts/subscriptions", "post",
           "Turn safety alerts on for this browser (its push subscription): a notification without "
           "names or health data when a patient's safety flag opens", body=SafetyAlertSubscriptionIn,
           context=push_services, responses={201: SafetyAlertSubscriptionOut, 200: SafetyAlertSubscriptionOut},
           role="provider")
def create_safety_alert_subscription(data: dict) -> tuple[dict, int]:
    try:
        subscription, created = safety_alerts.subscribe(get_db(), current_user.id, data, request.user_agent.string)
    except safety_alerts.TooManyDevices:
        message = _("Safety alerts are on in too many browsers: remove one on the Account page.")
        raise api_error(422, {"endpoint": [message]}) from None
    return SafetyAlertSubscriptionOut().dump(subscription), 201 if created else 200


@operation("/safety-alerts/subscriptions", "delete", "Turn safety alerts off for a browser (its endpoint)",
           body=PushEndpointIn, responses={204: None, 404: None}, role="provider")
def delete_safety_alert_subscription(data: dict) -> tuple[str, int]:
    if not safety_alerts.unsubscribe(get_db(), current_user.id, data["endpoint"]):
        raise api_error(404, {"endpoint": [_("No safety alerts are on for this endpoint.")]})
    return "", 204
