"""Support, right now: crisis contacts for everyone, and the patient's own safety plan."""
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_db
from ..schemas.assessments import SafetyPlanIn, SafetyPlanOut
from ..services import safety
from ..web import support as support_card
from ..web.api import operation
from ..web.auth import check_role
from ..web.forms import load, typed_text

bp = Blueprint("safety", __name__)


def render_support(plan: Mapping[str, Any] | None, *, personal: bool, offline_copy: bool = False) -> str:
    return render_template("safety/support.html", contacts=support_card.contacts(), plan=plan,
                           personal=personal, offline_copy=offline_copy)


@bp.route("/support")
def support() -> str:
    """Open to everyone: help must never sit behind a login. A patient also sees their safety plan."""
    if current_user.is_authenticated and current_user.is_patient:
        return render_support(safety.plan(get_db(), current_user.id), personal=True)
    return render_support(None, personal=False)


@bp.route("/support/offline")
def support_offline() -> str:
    """The support page without anything personal: precached for everyone on the device (so it
    says the same whoever was logged in when it was stored)."""
    return render_support(None, personal=False, offline_copy=True)


@bp.route("/safety-plan", methods=["GET", "POST"])
def plan() -> ResponseReturnValue:
    refusal = check_role("patient")
    if refusal is not None:
        return refusal
    values: Mapping[str, Any]
    errors: dict[str, list[str]]
    values, errors = safety.plan(get_db(), current_user.id), {}
    if request.method == "POST":
        values = typed_text(request.form, safety.PLAN_FIELDS)
        data, errors = load(SafetyPlanIn(), values)
        if data is not None:
            safety.save_plan(get_db(), current_user.id, data)
            flash(_("Safety plan saved. It's on the Support page whenever you need it, even offline."), "success")
            return redirect(url_for("safety.support"))
    return render_template("safety/plan.html", values=values, errors=errors), 422 if errors else 200


# --- The JSON API: /api/v1/safety-plan (diary/web/api.py) -----------------------------------------

@operation("/safety-plan", "get", "My safety plan (Stanley-Brown steps)", responses={200: SafetyPlanOut})
def get_safety_plan() -> ResponseReturnValue:
    return SafetyPlanOut().dump(safety.plan(get_db(), current_user.id))


@operation("/safety-plan", "put", "Replace my safety plan (fields left out become empty)", body=SafetyPlanIn,
           responses={200: SafetyPlanOut})
def put_safety_plan(data: dict[str, Any]) -> ResponseReturnValue:
    return SafetyPlanOut().dump(safety.save_plan(get_db(), current_user.id, data))
