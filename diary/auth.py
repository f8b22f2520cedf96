"""Who is asking: Flask-Login setup, the session-version check, role guards."""
from flask import abort, jsonify, redirect, request, url_for
from flask_login import LoginManager, UserMixin, current_user

from .db import get_db
from .store import users as users_store

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to continue."
login_manager.login_message_category = "info"


class User(UserMixin):
    """The logged-in account, built from a users row."""

    def __init__(self, row):
        self.id = row["id"]
        self.email = row["email"]
        self.role = row["role"]
        self.display_name = row["display_name"]
        self.timezone = row["timezone"]
        self.session_version = row["session_version"]

    def get_id(self):
        # The version rides in the session; bumping it on the row (logout,
        # password change) makes every older cookie for this account stale.
        return f"{self.id}:{self.session_version}"

    @property
    def is_patient(self):
        return self.role == "patient"

    @property
    def is_provider(self):
        return self.role == "provider"


@login_manager.user_loader
def load_user(session_id):
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    row = users_store.get_user(get_db(), int(user_id))
    if row is None or row["session_version"] != int(version):
        return None
    return User(row)


def wants_json():
    """API paths always answer JSON; elsewhere, only clients that ask for it."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


@login_manager.unauthorized_handler
def unauthorized():
    if wants_json():
        return jsonify(errors={"auth": ["Not logged in."]}), 401
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


def check_role(role):
    """Return a response refusing the request unless the current user has ``role``."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role != role:
        abort(403, description=f"This page is for {role}s only.")
    return None


def init_app(app):
    login_manager.init_app(app)
