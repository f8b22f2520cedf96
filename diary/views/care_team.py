"""The patient's Care team page: share codes, who can see the diary, and the access log."""
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..db import get_db
from ..schemas.sharing import AccessLogOut, CareTeamOut, InviteIn, InviteOut, ScopeIn
from ..services import sharing
from ..services.sharing import format_code
from ..vocabulary import SCOPE_LABELS
from ..web.api import operation
from ..web.auth import patients_only
from ..web.errors import http_error as api_error
from ..web.forms import load, present, row_id

bp = Blueprint("care_team", __name__, url_prefix="/care-team")
bp.before_request(patients_only)


def render_page(errors: Mapping[str, list[str]] | None = None, status: int = 200,
                new_code: str | None = None) -> ResponseReturnValue:
    return render_template("care_team/index.html", **sharing.care_team_page(get_db(), current_user.id),
                           scopes=SCOPE_LABELS, format_code=format_code, errors=errors or {},
                           new_code=new_code), status


@bp.route("", strict_slashes=False)
def index() -> ResponseReturnValue:
    return render_page()


@bp.route("/invites", methods=["POST"])
def create_invite() -> ResponseReturnValue:
    data, errors = load(InviteIn(), present(request.form, ("scope",)))
    if data is None:
        return render_page(errors, 422)
    invite = sharing.create_invite(get_db(), current_user.id, data["scope"])
    # Shown on this answer (never cached: web.headers), not flashed: a flash message rides in the
    # session cookie, which is signed but readable.
    return render_page(status=201, new_code=invite["code"])


@bp.route("/invites/<code>/cancel", methods=["POST"])
def cancel_invite(code: str) -> Response:
    if not sharing.cancel_invite(get_db(), current_user.id, code):
        abort(404)
    flash(_("Code %(code)s cancelled.", code=format_code(sharing.normalize_code(code))), "success")
    return redirect(url_for("care_team.index"))


def provider_id_or_404(value: str) -> int:
    """A provider this patient shares with now, else 404 (before looking at the form)."""
    provider_id = row_id(value)
    if provider_id is None or not sharing.shares_with(get_db(), current_user.id, provider_id):
        abort(404)
    return provider_id


@bp.route("/providers/<provider_id>/scope", methods=["POST"])
def change_scope(provider_id: str) -> ResponseReturnValue:
    shared_id = provider_id_or_404(provider_id)
    data, errors = load(ScopeIn(), present(request.form, ("scope",)))
    if data is None:
        return render_page(errors, 422)
    if not sharing.set_scope(get_db(), current_user.id, shared_id, data["scope"]):
        abort(404)
    flash(_("Sharing updated."), "success")
    return redirect(url_for("care_team.index"))


@bp.route("/providers/<provider_id>/stop")
def stop(provider_id: str) -> ResponseReturnValue:
    """Ask before stopping: what the clinician loses, and a form that does it (no JavaScript)."""
    shared_id = provider_id_or_404(provider_id)
    provider = next(p for p in sharing.care_team(get_db(), current_user.id) if p["id"] == shared_id)
    return render_template("care_team/stop.html", provider=provider, scopes=SCOPE_LABELS)


@bp.route("/providers/<provider_id>/revoke", methods=["POST"])
def revoke(provider_id: str) -> Response:
    shared_id = provider_id_or_404(provider_id)
    if not sharing.stop_sharing(get_db(), current_user.id, shared_id):
        abort(404)
    flash(_("Stopped sharing. They can no longer see your diary."), "success")
    return redirect(url_for("care_team.index"))


# --- The JSON API: /api/v1/invites, care-team, access-log (diary/web/api.py) ----------------------

@operation("/invites", "post", "Create a single-use share code (valid 72 hours)", body=InviteIn,
           responses={201: InviteOut}, endpoint="create_invite")
def api_create_invite(data: dict[str, Any]) -> ResponseReturnValue:
    invite = sharing.create_invite(get_db(), current_user.id, data["scope"])
    return InviteOut().dump(invite), 201


@operation("/invites/<code>", "delete", "Cancel a share code that hasn't been used", responses={204: None, 404: None},
           endpoint="cancel_invite")
def api_cancel_invite(code: str) -> ResponseReturnValue:
    if not sharing.cancel_invite(get_db(), current_user.id, code):
        raise api_error(404, {"code": [_("No unused share code like that.")]})
    return "", 204


@operation("/care-team", "get", "Who can see my diary", responses={200: CareTeamOut}, links={200: {
    "StopSharing": ("revoke_share", {"provider_id": "$response.body#/providers/0/id"}),
}})
def care_team() -> ResponseReturnValue:
    return CareTeamOut().dump({"providers": sharing.care_team(get_db(), current_user.id)})


@operation("/care-team/<row_id:provider_id>", "delete",
           "Stop sharing with a provider, effective immediately", responses={204: None, 404: None})
def revoke_share(provider_id: int) -> ResponseReturnValue:
    if not sharing.stop_sharing(get_db(), current_user.id, provider_id):
        raise api_error(404, {"provider_id": [_("You don't share with this provider.")]})
    return "", 204


@operation("/access-log", "get", "Who viewed or exported my diary, and when", responses={200: AccessLogOut})
def access_log() -> ResponseReturnValue:
    return AccessLogOut().dump({"events": sharing.access_events(get_db(), current_user.id)})
