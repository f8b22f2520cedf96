"""Provider pages. Sharing (issue 4) fills the dashboard; until then it explains how it will."""
from flask import Blueprint, render_template

from ..auth import check_role

bp = Blueprint("provider", __name__, url_prefix="/provider")


@bp.before_request
def providers_only():
    return check_role("provider")


@bp.route("/")
def dashboard():
    return render_template("provider/dashboard.html", patients=[])
