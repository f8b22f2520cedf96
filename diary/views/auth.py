"""Register, log in (with a second factor when the account has one), log out, account, password
change, two-factor enrolment."""
import secrets
import time
from urllib.parse import urlsplit

import segno
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from markupsafe import Markup

from .. import otp, passwords
from ..db import get_db, write_transaction
from ..schemas.accounts import (
    ConfirmIdentityIn,
    DeleteAccountIn,
    LoginIn,
    PasswordChangeIn,
    ProfileIn,
    RegisterIn,
    SecondFactorIn,
)
from ..services import limits, reminders, two_factor
from ..store import NameTaken, audit
from ..store import users as users_store
from ..timeutil import timezone_names
from ..web.auth import User, mark_logged_in
from ..web.forms import load, present

bp = Blueprint("auth", __name__)


def home_for(user):
    return url_for("provider.dashboard") if user.is_provider else url_for("diary.today")


def start_session(row, *, keep_login_time=False):
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
    return user


def password_attempt(db, email):
    """Take a slot for checking a password for ``email`` (known or not), or raise limits.Throttled.

    Logins, password changes and account deletions count into one limit per email, so a borrowed
    session can't be used to guess the password without the same limit, and an unknown email is
    throttled exactly like a known one (the answer doesn't tell which it is).
    """
    return limits.attempt(db, current_app.config, "login", account=users_store.normalize_email(email),
                          address=request.remote_addr)


def too_many_passwords(throttled):
    return f"Too many wrong passwords. Wait {throttled.wait} and try again."


def code_attempt(db, user_id):
    """Take a slot for checking a second-factor code for the account, or raise limits.Throttled.

    Counted like passwords (services.limits): per account and per address, at login and when a
    code confirms a change.
    """
    return limits.attempt(db, current_app.config, "mfa", account=user_id, address=request.remote_addr)


def too_many_codes(throttled):
    return f"Too many wrong codes for this account. Wait {throttled.wait} and try again."


def checked_code(db, user_id, code):
    """``(kind, None)`` when ``code`` is the account's second factor (now used up), else
    ``(None, message)``; raises limits.Throttled past the limit, before the code is tried. Wrong
    codes are audited; a right one gives its limit slot back."""
    attempt = code_attempt(db, user_id)
    kind = two_factor.check(db, user_id, code)
    if kind is None:
        replayed = two_factor.was_replayed(db, user_id, code)
        log_auth_event(db, "auth.mfa_failed", user_id, "code already used" if replayed else "wrong code")
        return None, CODE_ALREADY_USED if replayed else WRONG_CODE
    attempt.succeeded()
    return kind, None


def own_code_problem(db, user_id, code):
    """Why ``code`` isn't a valid second factor for the account, or None (and it is now used up)."""
    try:
        kind, problem = checked_code(db, user_id, code)
    except limits.Throttled as throttled:
        return too_many_codes(throttled)
    if kind == two_factor.RECOVERY:
        log_auth_event(db, "auth.recovery_code_used", user_id)
    return problem


WRONG_CODE = "That code isn't right. Type the 6 digits your authenticator app shows now, or a recovery code."
CODE_ALREADY_USED = "That code was already used. Wait for the next one in your app (a new one every 30 seconds)."


def own_password_problem(db, row, password):
    """Why ``password`` doesn't confirm the logged-in user's identity, or None if it does."""
    try:
        attempt = password_attempt(db, row["email"])
    except limits.Throttled as throttled:
        return too_many_passwords(throttled)
    if not passwords.verify_password(row["password_hash"], password):
        log_auth_event(db, "auth.login_failed", row["id"], "wrong password (confirming)")
        return "That isn't your password."
    attempt.succeeded()
    return None


def log_auth_event(db, action, user_id, detail=""):
    """Audit an account event: who and what, never the password or the email typed."""
    with write_transaction(db):
        audit.record(db, action, actor_id=user_id, detail=detail)


def retry_after(throttled):
    return {"Retry-After": str(throttled.retry_after)}


def without_password(values):
    return {k: v for k, v in values.items() if k != "password"}


def safe_next(target):
    """Only same-site paths: never redirect a fresh login to another host."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    values, errors = {"role": "patient", "timezone": ""}, {}
    if request.method == "POST":
        values = present(request.form, ("email", "password", "role", "display_name", "timezone"))
        data, errors = load(RegisterIn(), values)
        if data is not None:
            try:
                # Counted per address (and overall) whether or not the email is taken: the answer
                # must say so, and this limit is what keeps it from being a fast existence oracle.
                limits.attempt(get_db(), current_app.config, "register", address=request.remote_addr)
            except limits.Throttled as throttled:
                errors = {"email": [f"Too many new accounts from this address. Wait {throttled.wait} "
                                    "and try again."]}
                return render_template("auth/register.html", values=without_password(values), errors=errors,
                                       timezones=timezone_names()), 429, retry_after(throttled)
            try:
                row = users_store.create_user(
                    get_db(), email=data["email"], password_hash=passwords.hash_password(data["password"]),
                    role=data["role"], display_name=data["display_name"], timezone=data["timezone"],
                )
            except NameTaken:
                errors = {"email": ["An account with this email already exists. Log in instead?"]}
            else:
                start_session(row)
                log_auth_event(get_db(), "auth.registered", row["id"])
                flash(f"Welcome, {row['display_name']}.", "success")
                return redirect(home_for(current_user))
    values.pop("password", None)
    return render_template(
        "auth/register.html", values=values, errors=errors, timezones=timezone_names(),
    ), 422 if errors else 200


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    values, errors = {}, {}
    if request.method == "POST":
        values = present(request.form, ("email", "password"))
        data, errors = load(LoginIn(), values)
        if data is not None:
            db = get_db()
            try:
                # Before the password is checked, so guessing costs neither a hash nor a chance.
                attempt = password_attempt(db, data["email"])
            except limits.Throttled as throttled:
                return render_template("auth/login.html", values={"email": values.get("email", "")},
                                       errors={"password": [too_many_passwords(throttled)]}), \
                    429, retry_after(throttled)
            row = users_store.get_user_by_email(db, data["email"])
            if row is None:
                passwords.burn_time(data["password"])
            if row is None or not passwords.verify_password(row["password_hash"], data["password"]):
                errors = {"password": ["That email and password don't match an account."]}
                log_auth_event(db, "auth.login_failed", row["id"] if row else None,
                               "wrong password" if row else "unknown account")
            else:
                attempt.succeeded()
                if passwords.needs_rehash(row["password_hash"]):
                    users_store.set_password_hash(
                        db, row["id"], passwords.hash_password(data["password"]), end_sessions=False,
                    )
                if row["mfa_enabled_at"] is not None:
                    # Not logged in yet: the second step needs a code within PENDING_LOGIN_SECONDS.
                    session[PENDING_LOGIN] = {
                        "id": row["id"], "version": row["session_version"],
                        "until": time.time() + PENDING_LOGIN_SECONDS,
                        "next": safe_next(request.args.get("next")),
                    }
                    return redirect(url_for("auth.login_two_factor"))
                user = start_session(row)
                log_auth_event(db, "auth.login", user.id)
                return redirect(safe_next(request.args.get("next")) or home_for(user))
    values.pop("password", None)
    return render_template("auth/login.html", values=values, errors=errors), 422 if errors else 200


PENDING_LOGIN = "pending_login"
PENDING_LOGIN_SECONDS = 5 * 60


def pending_login(db):
    """The account whose password was just typed in this browser, if that was under 5 minutes ago
    and nothing has ended its sessions since (password change, logout elsewhere)."""
    pending = session.get(PENDING_LOGIN)
    if not isinstance(pending, dict) or not isinstance(pending.get("until"), (int, float)):
        return None
    if pending["until"] < time.time() or not isinstance(pending.get("id"), int):
        return None
    row = users_store.get_user(db, pending["id"])
    if row is None or row["session_version"] != pending.get("version") or row["mfa_enabled_at"] is None:
        return None
    return row


@bp.route("/login/two-factor", methods=["GET", "POST"])
def login_two_factor():
    """The second step of logging in: a code from the authenticator app, or a recovery code."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    db = get_db()
    row = pending_login(db)
    if row is None:
        if session.pop(PENDING_LOGIN, None) is not None:
            flash("That took too long. Please log in again.", "info")
        return redirect(url_for("auth.login"))
    errors = {}
    if request.method == "POST":
        data, errors = load(SecondFactorIn(), present(request.form, ("code",)))
        if data is not None:
            try:
                kind, problem = checked_code(db, row["id"], data["code"])
            except limits.Throttled as throttled:
                return render_template("auth/login_two_factor.html", errors={"code": [too_many_codes(throttled)]}), \
                    429, retry_after(throttled)
            if kind is None:
                errors = {"code": [problem]}
            else:
                target = safe_next(session[PENDING_LOGIN].get("next"))
                user = start_session(row)  # the pending state goes with the old session
                if kind == two_factor.RECOVERY:
                    log_auth_event(db, "auth.recovery_code_used", user.id)
                    left = two_factor.status(db, user.id)["recovery_codes_left"]
                    flash(f"You used a recovery code: {left} left. Get new ones from Account, "
                          "Two-factor authentication, when you can.", "info")
                log_auth_event(db, "auth.login", user.id,
                               "with a recovery code" if kind == two_factor.RECOVERY else "with an authenticator code")
                return redirect(target or home_for(user))
    return render_template("auth/login_two_factor.html", errors=errors), 422 if errors else 200


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        users_store.bump_session_version(get_db(), current_user.id)
        log_auth_event(get_db(), "auth.logout", current_user.id)
        logout_user()
    flash("You're logged out.", "info")
    return clear_device(redirect(url_for("auth.login")))


def clear_device(response):
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
def account():
    errors = {}
    if request.method == "POST":
        form = present(request.form, ("current_password", "new_password", "confirm_password"))
        data, errors = load(PasswordChangeIn(email=current_user.email), form)
        db = get_db()
        if data is not None:
            row = users_store.get_user(db, current_user.id)
            problem = own_password_problem(db, row, data["current_password"])
            if problem:
                errors = {"current_password": [problem]}
            else:
                users_store.set_password_hash(db, row["id"], passwords.hash_password(data["new_password"]))
                log_auth_event(db, "auth.password_changed", row["id"])
                # Every other session just ended; keep this one, on the new version.
                start_session(users_store.get_user(db, row["id"]), keep_login_time=True)
                flash("Password changed. You've been logged out everywhere else.", "success")
                return redirect(url_for("auth.account"))
    return render_account(errors=errors)


def render_account(errors=None, profile_errors=None, profile=None):
    profile = profile or {"display_name": current_user.display_name, "timezone": current_user.timezone}
    return render_template(
        "auth/account.html", errors=errors or {}, profile_errors=profile_errors or {}, profile=profile,
        timezones=timezone_names(),
        # Reminders are for patients (a provider's Account has no such section).
        push_devices=reminders.devices(get_db(), current_user.id) if current_user.role == "patient" else None,
    ), 422 if errors or profile_errors else 200


@bp.route("/account/profile", methods=["POST"])
@login_required
def profile():
    values = present(request.form, ("display_name", "timezone"))
    data, errors = load(ProfileIn(), values)
    if data is None:
        return render_account(profile_errors=errors, profile=values)
    users_store.update_profile(get_db(), current_user.id, **data)
    flash("Profile saved.", "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    errors = {}
    if request.method == "POST":
        data, errors = load(DeleteAccountIn(), present(request.form, ("password", "confirmation")))
        db = get_db()
        if data is not None:
            row = users_store.get_user(db, current_user.id)
            problem = own_password_problem(db, row, data["password"])
            if problem:
                errors = {"password": [problem]}
            else:
                user_id = current_user.id
                users_store.delete_account(db, user_id)
                log_auth_event(db, "account.deleted", user_id)
                logout_user()
                flash("Your account and everything in it have been deleted.", "info")
                return clear_device(redirect(url_for("diary.today")))  # as on logout
    return render_template("auth/delete.html", errors=errors), 422 if errors else 200


# --- two-factor authentication ------------------------------------------------------

ENROLMENT = "two_factor_enrolment"
REPLACE_MINUTES = 10


def pending_enrolment(enrolled):
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


def start_enrolment(replacing=False):
    session[ENROLMENT] = pending = {
        "nonce": secrets.token_urlsafe(16), "id": current_user.id, "replacing": replacing,
        "until": time.time() + REPLACE_MINUTES * 60 if replacing else None,
    }
    return pending


def enrolment_secret(pending):
    return otp.enrolment_secret(current_app.secret_key, current_user.id, pending["nonce"])


def render_enrolment(pending, errors=None):
    secret = enrolment_secret(pending)
    uri = otp.provisioning_uri(secret, current_user.email)
    # segno writes only paths with fill/stroke attributes (no style attribute, nothing fetched),
    # which the Content-Security-Policy allows inline.
    qr = Markup(segno.make(uri, error="m").svg_inline(
        dark="#000", light="#fff", svgclass="qr", lineclass=None, omitsize=True,
        title="QR code for your authenticator app"))
    return render_template(
        "auth/two_factor_enrol.html", qr=qr, uri=uri, secret=otp.grouped(secret), errors=errors or {},
        replacing=pending.get("replacing", False),
    ), 422 if errors else 200


def confirm_identity(db):
    """``(row, {})`` when the form's password and second factor are the logged-in user's, else
    ``(None, errors)``. Both count towards their limits."""
    data, errors = load(ConfirmIdentityIn(), present(request.form, ("password", "code")))
    if data is None:
        return None, errors
    row = users_store.get_user(db, current_user.id)
    problem = own_password_problem(db, row, data["password"])
    if problem:
        return None, {"password": [problem]}
    problem = own_code_problem(db, row["id"], data["code"])
    if problem:
        return None, {"code": [problem]}
    return row, {}


def render_two_factor(status, errors=None):
    return render_template("auth/two_factor.html", status=status, errors=errors or {}), 422 if errors else 200


@bp.route("/account/two-factor")
@login_required
def two_factor_page():
    """Set up two-factor (a QR code to scan), or, once it's on: its status and what can be changed."""
    status = two_factor.status(get_db(), current_user.id)
    pending = pending_enrolment(status is not None)
    if status is not None and pending is None:
        return render_two_factor(status)
    return render_enrolment(pending or start_enrolment())


@bp.route("/account/two-factor/confirm", methods=["POST"])
@login_required
def confirm_two_factor():
    db = get_db()
    enrolled = two_factor.status(db, current_user.id) is not None
    pending = pending_enrolment(enrolled)
    if pending is None:
        flash("Please start again: scan the code below." if not enrolled else
              "Two-factor authentication is already on.", "info")
        return redirect(url_for("auth.two_factor_page"))
    fields = ("code",) if pending.get("replacing") else ("password", "code")
    data, errors = load(SecondFactorIn() if pending.get("replacing") else ConfirmIdentityIn(),
                        present(request.form, fields))
    if data is not None and "password" in data:
        # A borrowed session mustn't be able to lock the owner out with someone else's phone.
        problem = own_password_problem(db, users_store.get_user(db, current_user.id), data["password"])
        if problem:
            data, errors = None, {"password": [problem]}
    if data is not None:
        codes = two_factor.enrol(db, current_user.id, enrolment_secret(pending), data["code"])
        if codes is None:
            errors = {"code": ["That code doesn't match. Check the app lists Symptom Diary with your email, "
                               "and type the 6 digits it shows now."]}
        else:
            log_auth_event(db, "auth.mfa_enrolled", current_user.id, "replaced the authenticator" if enrolled else "")
            # Every other session just ended; this one goes on, on the new version.
            start_session(users_store.get_user(db, current_user.id))
            flash("Two-factor authentication is on. You've been logged out everywhere else.", "success")
            return render_template("auth/recovery_codes.html", codes=codes)
    return render_enrolment(pending, errors)


def confirmed_two_factor_change(db):
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
def replace_two_factor():
    """Move to a new authenticator app: after password and code, a new secret to scan."""
    db = get_db()
    row, refusal = confirmed_two_factor_change(db)
    if refusal is not None:
        return refusal
    start_enrolment(replacing=True)
    return redirect(url_for("auth.two_factor_page"))


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@login_required
def new_recovery_codes():
    db = get_db()
    row, refusal = confirmed_two_factor_change(db)
    if refusal is not None:
        return refusal
    codes = two_factor.new_recovery_codes(db, row["id"])
    log_auth_event(db, "auth.recovery_codes_renewed", row["id"])
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.route("/account/two-factor/disable", methods=["POST"])
@login_required
def disable_two_factor():
    if current_user.is_provider:
        abort(403, description="Clinicians keep two-factor authentication on: it protects your patients' data.")
    db = get_db()
    row, refusal = confirmed_two_factor_change(db)
    if refusal is not None:
        return refusal
    two_factor.disable(db, row["id"])
    log_auth_event(db, "auth.mfa_disabled", row["id"])
    start_session(users_store.get_user(db, row["id"]))
    flash("Two-factor authentication is off. You've been logged out everywhere else.", "info")
    return redirect(url_for("auth.account"))
