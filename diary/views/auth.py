"""Register, log in (with a second factor when the account has one), log out, account, password
change, two-factor enrolment: the HTTP side (forms, the Flask session, messages, status codes);
the use cases are services.accounts'."""
import secrets
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import segno
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from markupsafe import Markup
from sqlite_utils import Database
from werkzeug.wrappers import Response

from .. import mail
from ..db import get_db
from ..schemas.accounts import (
    ConfirmIdentityIn,
    DeleteAccountIn,
    ForgotPasswordIn,
    LanguageIn,
    LoginIn,
    PasswordChangeIn,
    ProfileIn,
    RegisterIn,
    ResetPasswordIn,
    SecondFactorIn,
)
from ..security import otp
from ..services import NameTaken, accounts, limits, reminders, safety_alerts, two_factor
from ..timeutil import timezone_names
from ..web import i18n
from ..web.auth import User, mark_logged_in
from ..web.errors import http_error
from ..web.forms import load, present

bp = Blueprint("auth", __name__)


def home_for(user: User) -> str:
    return url_for("provider.dashboard") if user.is_provider else url_for("diary.today")


def start_login(row: Mapping[str, Any], *, keep_login_time: bool = False) -> User:
    """Log ``row`` in on this browser, within its role's limits (auth.SESSION_LIMITS).

    The session starts afresh (a new CSRF token with it): nothing planted in a session before
    login survives it (session fixation). ``keep_login_time``: a session re-issued without a full
    login (a password change) keeps the time of the login it continues, so it ends when that
    one would have.
    """
    login_time = session.get("auth_at") if keep_login_time else None
    user = User(row)
    session.clear()
    mark_logged_in(session)
    if isinstance(login_time, (int, float)):
        session["auth_at"] = login_time
    login_user(user)
    session.permanent = True
    i18n.refresh()  # the rest of this request speaks the account's language
    i18n.remember_language(user.language)
    return user


def too_many_passwords(throttled: limits.Throttled) -> str:
    return _("Too many wrong passwords. Wait %(wait)s and try again.", wait=throttled.wait)


def too_many_codes(throttled: limits.Throttled) -> str:
    return _("Too many wrong codes for this account. Wait %(wait)s and try again.", wait=throttled.wait)


def password_problem(refused: accounts.PasswordRefused) -> str:
    """What a form says under a password that didn't confirm the logged-in user's identity."""
    return too_many_passwords(refused.throttled) if refused.throttled else _("That isn't your password.")


def code_problem(refused: accounts.CodeRefused) -> str:
    """What a form says under a second-factor code that was refused."""
    if refused.throttled:
        return too_many_codes(refused.throttled)
    if refused.replayed:
        return _("That code was already used. Wait for the next one in your app (a new one every 30 seconds).")
    return _("That code isn't right. Type the 6 digits your authenticator app shows now, or a recovery code.")


def retry_after(throttled: limits.Throttled) -> dict[str, str]:
    return {"Retry-After": str(throttled.retry_after)}


def without_password(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k != "password"}


def safe_next(target: str | None) -> str | None:
    """Only same-site paths: never redirect a fresh login to another host."""
    if not target:
        return None
    parts = urlsplit(target)
    # A backslash or a control character: browsers read "/\\host" as "//host".
    if (parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//")
            or any(c == "\\" or ord(c) < 32 or ord(c) == 127 for c in target)):
        return None
    return target


@bp.route("/register", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    errors: dict[str, list[str]]
    # A clinic's invitation link (flask invite-provider) carries its token; the form keeps it.
    invitation = (request.form.get("invitation") or request.args.get("invitation") or "").strip() or None
    values, errors = {"role": "provider" if invitation else "patient", "timezone": ""}, {}
    if request.method == "POST":
        values = present(request.form, ("email", "password", "role", "display_name", "timezone", "language"))
        data, errors = load(RegisterIn(), values)
        if data is not None and not data.get("language"):
            # Without a choice on the form: the one made with the switch, else the browser's.
            data["language"] = i18n.chosen_language()
        if data is not None:
            try:
                row = accounts.register(get_db(), current_app.config, data, request.remote_addr,
                                        invitation=invitation)
            except accounts.SignupClosed as closed:
                errors = {"role": [str(closed)]}
            except limits.Throttled as throttled:
                errors = {"email": [_("Too many new accounts from this address. Wait %(wait)s and try again.",
                                      wait=throttled.wait)]}
                return render_template("auth/register.html", values=without_password(values), errors=errors,
                                       timezones=timezone_names(), invitation=invitation), 429, retry_after(throttled)
            except NameTaken:
                errors = {"email": [_("An account with this email already exists. Log in instead?")]}
            else:
                start_login(row)
                flash(_("Welcome, %(name)s.", name=row["display_name"]), "success")
                return redirect(home_for(current_user))
    values.pop("password", None)
    return render_template(
        "auth/register.html", values=values, errors=errors, timezones=timezone_names(), invitation=invitation,
    ), 422 if errors else 200


@bp.route("/language", methods=["POST"])
def choose_language() -> ResponseReturnValue:
    """The switch on the login and register pages (and any page's form with a ``language``): the
    language for this browser from now on (a cookie, read before logging in), and the account's
    when someone is logged in. Back to ``next`` (a path on this site), else the start."""
    data, errors = load(LanguageIn(), present(request.form, ("language",)))
    if data is None:
        raise http_error(422, errors)
    if current_user.is_authenticated:
        accounts.set_language(get_db(), current_user.id, data["language"])
    i18n.remember_language(data["language"])
    return redirect(safe_next(request.form.get("next")) or url_for("diary.today"), code=303)


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password() -> ResponseReturnValue:
    """Ask for a link to choose a new password: the same answer whether the e-mail has an account."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = present(request.form, ("email",))
        data, errors = load(ForgotPasswordIn(), values)
        if data is not None:
            try:
                found = accounts.request_password_reset(get_db(), current_app.config, data["email"],
                                                        request.remote_addr)
            except limits.Throttled as throttled:
                errors = {"email": [_("Too many links asked for. Wait %(wait)s and try again.", wait=throttled.wait)]}
                return render_template("auth/forgot_password.html", values=values, errors=errors,
                                       sent=False), 429, retry_after(throttled)
            if found is not None:
                user, token = found
                # The configured address, not the request's Host header (which a sender controls).
                base = current_app.config["PUBLIC_URL"]
                link = (base.rstrip("/") + url_for("auth.reset_password", token=token) if base
                        else url_for("auth.reset_password", token=token, _external=True))
                # In the account's language (the one its owner chose), whoever's browser asked.
                with i18n.speaking(user["language"]):
                    subject, body = _("Choose a new password for Symptom Diary"), reset_message(link)
                try:
                    mail.send(current_app.config, user["email"], subject, body)
                except mail.MailFailed:
                    current_app.logger.exception("Password-reset e-mail not sent")
            return render_template("auth/forgot_password.html", values={}, errors={}, sent=True)
    return render_template("auth/forgot_password.html", values=values, errors=errors,
                           sent=False), 422 if errors else 200


def reset_message(link: str) -> str:
    """The e-mail's text: ``link`` chooses a new password, once, for RESET_MINUTES."""
    return _("Hello,\n\n"
             "Someone (we hope you) asked to choose a new password for your Symptom Diary account.\n"
             "Open this link to do it; it works once, for %(minutes)s minutes:\n\n"
             "%(link)s\n\n"
             "If it wasn't you, ignore this e-mail: your password stays as it is.\n",
             minutes=accounts.RESET_MINUTES, link=link)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    account = accounts.reset_link_account(get_db(), token)
    errors: dict[str, list[str]] = {}
    if account is not None and request.method == "POST":
        data, errors = load(ResetPasswordIn(email=account["email"]),
                            present(request.form, ("new_password", "confirm_password")))
        if data is not None:
            try:
                accounts.reset_password(get_db(), token, data["new_password"])
            except accounts.ResetRefused:
                account = None
            else:
                flash(_("Your new password is saved. Log in with it."), "success")
                return redirect(url_for("auth.login"))
    status = 404 if account is None else 422 if errors else 200
    return render_template("auth/reset_password.html", account=account, errors=errors), status


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    values: dict[str, Any]
    errors: dict[str, list[str]]
    values, errors = {}, {}
    if request.method == "POST":
        values = present(request.form, ("email", "password"))
        data, errors = load(LoginIn(), values)
        if data is not None:
            try:
                row = accounts.log_in(get_db(), current_app.config, data["email"], data["password"],
                                      request.remote_addr)
            except accounts.PasswordRefused as refused:
                if refused.throttled:
                    return render_template("auth/login.html", values={"email": values.get("email", "")},
                                           errors={"password": [too_many_passwords(refused.throttled)]}), \
                        429, retry_after(refused.throttled)
                errors = {"password": [_("That email and password don't match an account.")]}
            else:
                if row["mfa_enabled_at"] is not None:
                    # Not logged in yet: the second step needs a code within PENDING_LOGIN_SECONDS.
                    session[PENDING_LOGIN] = {
                        "id": row["id"], "version": row["session_version"],
                        "until": time.time() + PENDING_LOGIN_SECONDS,
                        "next": safe_next(request.args.get("next")),
                    }
                    return redirect(url_for("auth.login_two_factor"))
                user = start_login(row)
                return redirect(safe_next(request.args.get("next")) or home_for(user))
    values.pop("password", None)
    return render_template("auth/login.html", values=values, errors=errors), 422 if errors else 200


PENDING_LOGIN = "pending_login"
PENDING_LOGIN_SECONDS = 5 * 60


def pending_login(db: Database) -> Mapping[str, Any] | None:
    """The account whose password was just typed in this browser, if that was under 5 minutes ago
    and nothing has ended its sessions since (password change, logout elsewhere)."""
    pending = session.get(PENDING_LOGIN)
    if not isinstance(pending, dict) or not isinstance(pending.get("until"), (int, float)):
        return None
    if pending["until"] < time.time() or not isinstance(pending.get("id"), int):
        return None
    return accounts.awaiting_second_factor(db, pending["id"], pending.get("version"))


@bp.route("/login/two-factor", methods=["GET", "POST"])
def login_two_factor() -> ResponseReturnValue:
    """The second step of logging in: a code from the authenticator app, or a recovery code."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    db = get_db()
    row = pending_login(db)
    if row is None:
        if session.pop(PENDING_LOGIN, None) is not None:
            flash(_("That took too long. Please log in again."), "info")
        return redirect(url_for("auth.login"))
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data, errors = load(SecondFactorIn(), present(request.form, ("code",)))
        if data is not None:
            try:
                left = accounts.log_in_second_step(db, current_app.config, row["id"], data["code"], request.remote_addr)
            except accounts.CodeRefused as refused:
                if refused.throttled:
                    return render_template("auth/login_two_factor.html",
                                           errors={"code": [too_many_codes(refused.throttled)]}), \
                        429, retry_after(refused.throttled)
                errors = {"code": [code_problem(refused)]}
            else:
                target = safe_next(session[PENDING_LOGIN].get("next"))
                user = start_login(row)  # the pending state goes with the old session
                if left is not None:
                    flash(ngettext("You used a recovery code: %(num)d left. Get new ones from Account, "
                                   "Two-factor authentication, when you can.",
                                   "You used a recovery code: %(num)d left. Get new ones from Account, "
                                   "Two-factor authentication, when you can.", left), "info")
                return redirect(target or home_for(user))
    return render_template("auth/login_two_factor.html", errors=errors), 422 if errors else 200


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    if current_user.is_authenticated:
        accounts.log_out(get_db(), current_user.id)
        logout_user()
    flash(_("You're logged out."), "info")
    return clear_device(redirect(url_for("auth.login")))


def clear_device(response: Response) -> Response:
    """Nothing of this account stays on a shared phone: caches, its outbox, the service worker.

    ``Clear-Site-Data: "cache", "storage"``, unless the page says other accounts' unsent check-ins
    wait on this phone (``others_waiting``, set by static/js/outbox.js): "storage" would delete
    theirs too, so only "cache" is cleared and the next page deletes this account's check-ins and
    its offline support page itself. ("cookies" is left out so the flash message survives the
    redirect.)
    """
    others_waiting = request.form.get("others_waiting") == "1"
    response.headers["Clear-Site-Data"] = '"cache"' if others_waiting else '"cache", "storage"'
    return response


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> ResponseReturnValue:
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        form = present(request.form, ("current_password", "new_password", "confirm_password"))
        data, errors = load(PasswordChangeIn(email=current_user.email), form)
        if data is not None:
            try:
                row = accounts.change_password(get_db(), current_app.config, current_user.id, data["current_password"],
                                               data["new_password"], request.remote_addr)
            except accounts.PasswordRefused as refused:
                errors = {"current_password": [password_problem(refused)]}
            else:
                # Every other session just ended; keep this one, on the new version.
                start_login(row, keep_login_time=True)
                flash(_("Password changed. You've been logged out everywhere else."), "success")
                return redirect(url_for("auth.account"))
    return render_account(errors=errors)


def render_account(errors: Mapping[str, list[str]] | None = None, profile_errors: Mapping[str, list[str]] | None = None,
                   profile: Mapping[str, Any] | None = None) -> ResponseReturnValue:
    profile = profile or {"display_name": current_user.display_name, "timezone": current_user.timezone,
                          "language": current_user.language}
    return render_template(
        "auth/account.html", errors=errors or {}, profile_errors=profile_errors or {}, profile=profile,
        timezones=timezone_names(),
        # Reminders are for patients, safety alerts for providers: each Account lists its own browsers.
        push_devices=reminders.devices(get_db(), current_user.id) if current_user.role == "patient" else None,
        alert_devices=safety_alerts.devices(get_db(), current_user.id) if current_user.role == "provider" else None,
    ), 422 if errors or profile_errors else 200


@bp.route("/account/profile", methods=["POST"])
@login_required
def profile() -> ResponseReturnValue:
    values = present(request.form, ("display_name", "timezone", "language"))
    # A form without the language (one from before the choice existed) keeps the account's.
    data, errors = load(ProfileIn(), {"language": current_user.language, **values})
    if data is None:
        return render_account(profile_errors=errors, profile=values)
    accounts.update_profile(get_db(), current_user.id, **data)
    current_user.language = data["language"]
    i18n.refresh()  # the message below in the language just chosen
    i18n.remember_language(data["language"])
    flash(_("Profile saved."), "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account() -> ResponseReturnValue:
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data, errors = load(DeleteAccountIn(), present(request.form, ("password", "confirmation")))
        if data is not None:
            try:
                accounts.delete_account(get_db(), current_app.config, current_user.id, data["password"],
                                        request.remote_addr)
            except accounts.PasswordRefused as refused:
                errors = {"password": [password_problem(refused)]}
            else:
                logout_user()
                flash(_("Your account and everything in it have been deleted."), "info")
                return clear_device(redirect(url_for("diary.today")))  # as on logout
    return render_template("auth/delete.html", errors=errors), 422 if errors else 200


# --- two-factor authentication ------------------------------------------------------

ENROLMENT = "two_factor_enrolment"
REPLACE_MINUTES = 10


def pending_enrolment(enrolled: bool) -> dict[str, Any] | None:
    """The enrolment under way in this browser (``{"nonce", "id", "replacing", "until"}``), or None.

    An account that already has two-factor only sees a new secret after confirming password and
    code (``replacing``), for REPLACE_MINUTES.
    """
    pending = session.get(ENROLMENT)
    if not isinstance(pending, dict) or pending.get("id") != current_user.id:
        return None
    if enrolled and not (pending.get("replacing") and isinstance(pending.get("until"), (int, float))
                         and pending["until"] > time.time()):
        return None
    return pending


def start_enrolment(replacing: bool = False) -> dict[str, Any]:
    session[ENROLMENT] = pending = {
        "nonce": secrets.token_urlsafe(16), "id": current_user.id, "replacing": replacing,
        "until": time.time() + REPLACE_MINUTES * 60 if replacing else None,
    }
    return pending


def enrolment_secret(pending: Mapping[str, Any]) -> str:
    key = current_app.secret_key
    assert key is not None  # create_app always sets one (from the instance folder when not configured)
    return otp.enrolment_secret(key, current_user.id, pending["nonce"])


def render_enrolment(pending: Mapping[str, Any], errors: Mapping[str, list[str]] | None = None) -> ResponseReturnValue:
    secret = enrolment_secret(pending)
    uri = otp.provisioning_uri(secret, current_user.email)
    # segno writes only paths with fill/stroke attributes (no style attribute, nothing fetched),
    # which the Content-Security-Policy allows inline.
    qr = Markup(segno.make(uri, error="m").svg_inline(
        dark="#000", light="#fff", svgclass="qr", lineclass=None, omitsize=True,
        title=_("QR code for your authenticator app")))
    return render_template(
        "auth/two_factor_enrol.html", qr=qr, uri=uri, secret=otp.grouped(secret), errors=errors or {},
        replacing=pending.get("replacing", False),
    ), 422 if errors else 200


def confirm_identity(db: Database) -> tuple[Mapping[str, Any] | None, Mapping[str, list[str]]]:
    """``(row, {})`` when the form's password and second factor are the logged-in user's, else
    ``(None, errors)``. Both count towards their limits."""
    data, errors = load(ConfirmIdentityIn(), present(request.form, ("password", "code")))
    if data is None:
        return None, errors
    try:
        row = accounts.confirm_identity(db, current_app.config, current_user.id, data["password"], data["code"],
                                        request.remote_addr)
    except accounts.PasswordRefused as refused:
        return None, {"password": [password_problem(refused)]}
    except accounts.CodeRefused as refused:
        return None, {"code": [code_problem(refused)]}
    return row, {}


def render_two_factor(status: Mapping[str, Any], errors: Mapping[str, list[str]] | None = None) -> ResponseReturnValue:
    return render_template("auth/two_factor.html", status=status, errors=errors or {}), 422 if errors else 200


@bp.route("/account/two-factor")
@login_required
def two_factor_page() -> ResponseReturnValue:
    """Set up two-factor (a QR code to scan), or, once it's on: its status and what can be changed."""
    status = two_factor.status(get_db(), current_user.id)
    pending = pending_enrolment(status is not None)
    if status is not None and pending is None:
        return render_two_factor(status)
    return render_enrolment(pending or start_enrolment())


@bp.route("/account/two-factor/confirm", methods=["POST"])
@login_required
def confirm_two_factor() -> ResponseReturnValue:
    db = get_db()
    enrolled = two_factor.status(db, current_user.id) is not None
    pending = pending_enrolment(enrolled)
    if pending is None:
        flash(_("Please start again: scan the code below.") if not enrolled else
              _("Two-factor authentication is already on."), "info")
        return redirect(url_for("auth.two_factor_page"))
    fields = ("code",) if pending.get("replacing") else ("password", "code")
    data, errors = load(SecondFactorIn() if pending.get("replacing") else ConfirmIdentityIn(),
                        present(request.form, fields))
    if data is None:
        return render_enrolment(pending, errors)
    try:
        # A borrowed session mustn't be able to lock the owner out with someone else's phone: the
        # password first, unless it was confirmed to start replacing the authenticator.
        enrolled_now = accounts.enrol_two_factor(
            db, current_app.config, current_user.id, enrolment_secret(pending), data["code"], request.remote_addr,
            password=data.get("password"), replacing=enrolled)
    except accounts.PasswordRefused as refused:
        return render_enrolment(pending, {"password": [password_problem(refused)]})
    if enrolled_now is None:
        return render_enrolment(pending, {"code": [_("That code doesn't match. Check the app lists Symptom Diary "
                                                     "with your email, and type the 6 digits it shows now.")]})
    codes, row = enrolled_now
    # Every other session just ended; this one goes on, on the new version.
    start_login(row)
    flash(_("Two-factor authentication is on. You've been logged out everywhere else."), "success")
    return render_template("auth/recovery_codes.html", codes=codes)


def confirmed_two_factor_change(db: Database) -> tuple[Mapping[str, Any] | None, ResponseReturnValue | None]:
    """``(row, None)`` when the account has two-factor on and the form's password and code are
    its own, else ``(None, the answer to send)``: the page again with the errors."""
    status = two_factor.status(db, current_user.id)
    if status is None:
        return None, redirect(url_for("auth.two_factor_page"))
    row, errors = confirm_identity(db)
    if row is None:
        return None, render_two_factor(status, errors)
    return row, None


@bp.route("/account/two-factor/replace", methods=["POST"])
@login_required
def replace_two_factor() -> ResponseReturnValue:
    """Move to a new authenticator app: after password and code, a new secret to scan."""
    db = get_db()
    row, refusal = confirmed_two_factor_change(db)
    if refusal is not None:
        return refusal
    start_enrolment(replacing=True)
    return redirect(url_for("auth.two_factor_page"))


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@login_required
def new_recovery_codes() -> ResponseReturnValue:
    db = get_db()
    row, refusal = confirmed_two_factor_change(db)
    if refusal is not None:
        return refusal
    assert row is not None  # no refusal: the identity was confirmed
    codes = accounts.renew_recovery_codes(db, row["id"])
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.route("/account/two-factor/disable", methods=["POST"])
@login_required
def disable_two_factor() -> ResponseReturnValue:
    if current_user.is_provider:
        abort(403, description=_("Clinicians keep two-factor authentication on: it protects your patients' data."))
    db = get_db()
    row, refusal = confirmed_two_factor_change(db)
    if refusal is not None:
        return refusal
    assert row is not None  # no refusal: the identity was confirmed
    start_login(accounts.disable_two_factor(db, row["id"]))
    flash(_("Two-factor authentication is off. You've been logged out everywhere else."), "info")
    return redirect(url_for("auth.account"))
