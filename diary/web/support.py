"""The support card after a save: remembered across the redirect (like a flashed message) and
rendered once by base.html with the clinic's contacts and the patient's own safety plan."""
from collections.abc import Mapping
from typing import Any

from flask import current_app, session
from flask_login import current_user

from ..config.crisis_contacts import for_reader
from ..db import get_db
from ..services import safety
from . import i18n

_KEY = "support_card"


def remember(support: Mapping[str, Any] | None) -> None:
    """Show the card on the next page (``support`` is a service's ``{"reason": ...}`` or None)."""
    if support:
        session[_KEY] = support["reason"]


def take() -> dict[str, Any] | None:
    """The card to show now, once: ``{reason, contacts, plan}``, or None."""
    reason = session.pop(_KEY, None)
    if reason is None or not current_user.is_authenticated:
        return None
    return card(reason)


def contacts() -> list[dict[str, Any]]:
    """The crisis contacts in the order the reader needs them (their language's first)."""
    return for_reader(current_app.config["CRISIS_CONTACTS"], i18n.language())


def card(reason: str) -> dict[str, Any]:
    """The card for ``reason`` (the logged-in user's plan): Today keeps one per reason a check-in
    can have, for a check-in saved without a reload (static/js/app.js)."""
    return {"reason": reason, "contacts": contacts(),
            "plan": safety.plan(get_db(), current_user.id)}
