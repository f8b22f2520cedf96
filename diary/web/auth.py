"""Who is asking: Flask-Login setup, the session-version check, role guards."""
import datetime as dt
import time
from collections.abc import Mapping, MutableMapping
from typing import Any

import flask_babel
from flask import Flask, abort, flash, g, jsonify, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import LoginManager, UserMixin, current_user

from ..db import get_db
from ..messages import N_
from ..services import accounts
from ..timeutil import today_in

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = N_("Please log in to continue.")
login_manager.login_message_category = "info"
# Worded in the reader's language when it is flashed.
login_manager.localize_callback = flask_babel.gettext


class User(UserMixin):
    """The logged-in account, built from a users row."""

    def __init__(self, row: Mapping[str, Any]) -> None:
        self.id = row["id"]
        self.email = row["email"]
        self.role = row["role"]
        self.display_name = row["display_name"]
        self.timezone = row["timezone"]
        self.session_version = row["session_version"]
        self.mfa_enabled = row["mfa_enabled_at"] is not None
        self.language = row["language"]

    def get_id(self) -> str:
        # The version rides in the session; bumping it on the row (logout,
        # password change) makes every older cookie for this account stale.
        return f"{self.id}:{self.session_version}"

    @property
    def is_patient(self) -> bool:
        return self.role == "patient"

    @property
    def is_provider(self) -> bool:
        return self.role == "provider"


HOUR, DAY = 3600, 24 * 3600
# (inactivity, absolute) limit of one login, in seconds, by role; docs/SECURITY.md explains them
# against NIST SP 800-63B-4. Patients log from their own phone, often once a day: a month either
# way (AAL1's "at least once per 30 days"). Providers see other people's diaries with two factors
# (AAL2): an hour away from the screen, or a clinic day, and they log in again.
SESSION_LIMITS = {"patient": (30 * DAY, 30 * DAY), "provider": (1 * HOUR, 12 * HOUR)}
# Activity is recorded at most once a minute: an unchanged session isn't re-signed and re-sent
# (config SESSION_REFRESH_EACH_REQUEST is off), and the limits above don't need finer.
ACTIVITY_GRANULARITY = 60


def mark_logged_in(session: MutableMapping[str, Any]) -> None:
    """Start the clocks of a new login (``start_login`` calls this)."""
    session["auth_at"] = session["seen_at"] = time.time()


def within_limits(session: MutableMapping[str, Any], role: str) -> bool:
    """Whether this login is still inside its role's limits; counts this request as activity."""
    idle, absolute = SESSION_LIMITS[role]
    now = time.time()
    auth_at, seen_at = session.get("auth_at"), session.get("seen_at")
    if not (isinstance(auth_at, (int, float)) and isinstance(seen_at, (int, float))):
        return False  # no login time: not a session this code started
    if now - auth_at > absolute or now - seen_at > idle:
        return False
    if now - seen_at >= ACTIVITY_GRANULARITY:
        session["seen_at"] = now  # the session changes, so its cookie is re-signed and re-sent
    return True


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _colon, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    row = accounts.user(get_db(), int(user_id))
    if row is None or row["session_version"] != int(version):
        return None
    if not within_limits(session, row["role"]):
        return None
    return User(row)


def patient_today() -> dt.date:
    """The logged-in user's today, in their own time zone (a patient's diary dates are theirs)."""
    return today_in(current_user.timezone)


def wants_json() -> bool:
    """API paths always answer JSON; elsewhere, only clients that ask for it."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


@login_manager.unauthorized_handler
def unauthorized() -> ResponseReturnValue:
    if wants_json():
        return jsonify(errors={"auth": [_("Not logged in.")]}), 401
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


def check_role(role: str) -> ResponseReturnValue | None:
    """Return a response refusing the request unless the current user has ``role``.

    Providers must also have two-factor authentication on: this is the one gate in front of
    every provider page and API operation (patient data). Every live session of an enrolled
    account passed the second factor: enrolling ends the account's other sessions, and
    logging in to an enrolled account asks for a code.
    """
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role != role:
        g.refusal = "wrong role"  # for the security log
        abort(403, description=_("This page is for patients only.") if role == "patient"
              else _("This page is for providers only."))
    if role == "provider" and not current_user.mfa_enabled:
        g.refusal = "no second factor"
        if wants_json():
            return jsonify(errors={"two_factor": [
                _("Set up two-factor authentication at /account/two-factor before seeing patient data.")]}), 403
        flash(_("Set up two-factor authentication before you can see patient data: it keeps your "
                "patients' diaries safe even if your password gets out."), "info")
        return redirect(url_for("auth.two_factor_page"))
    return None


def patients_only() -> ResponseReturnValue | None:
    """A blueprint's guard (``bp.before_request(patients_only)``): patients only."""
    return check_role("patient")


def providers_only() -> ResponseReturnValue | None:
    """A blueprint's guard (``bp.before_request(providers_only)``): providers only."""
    return check_role("provider")


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
