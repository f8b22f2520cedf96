"""Register, log in, log out, account and password change."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from .. import passwords
from ..auth import User
from ..db import get_db, write_transaction
from ..schemas.accounts import DeleteAccountIn, LoginIn, PasswordChangeIn, ProfileIn, RegisterIn
from ..services import limits
from ..store import NameTaken, audit
from ..store import users as users_store
from ..timeutil import timezone_names
from .forms import load, present

bp = Blueprint("auth", __name__)


def home_for(user):
    return url_for("provider.dashboard") if user.is_provider else url_for("diary.today")


def start_session(row):
    """Log ``row`` in on this browser, for PERMANENT_SESSION_LIFETIME of inactivity.

    The session starts afresh (a new CSRF token with it): nothing planted in a session before
    login survives it (session fixation).
    """
    user = User(row)
    session.clear()
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
    return f"Too many wrong passwords. Wait {throttled.minutes} minutes and try again."


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
                errors = {"email": [f"Too many new accounts from this address. Wait {throttled.minutes} "
                                    "minutes and try again."]}
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
                user = start_session(row)
                log_auth_event(db, "auth.login", user.id)
                return redirect(safe_next(request.args.get("next")) or home_for(user))
    values.pop("password", None)
    return render_template("auth/login.html", values=values, errors=errors), 422 if errors else 200


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
                start_session(users_store.get_user(db, row["id"]))
                flash("Password changed. You've been logged out everywhere else.", "success")
                return redirect(url_for("auth.account"))
    return render_account(errors=errors)


def render_account(errors=None, profile_errors=None, profile=None):
    profile = profile or {"display_name": current_user.display_name, "timezone": current_user.timezone}
    return render_template(
        "auth/account.html", errors=errors or {}, profile_errors=profile_errors or {}, profile=profile,
        timezones=timezone_names(),
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
