"""Turning HTML form posts into the dicts the shared marshmallow schemas load."""
import re

from marshmallow import ValidationError

from ..schemas import flat_errors


def load(schema, payload):
    """``(data, {})`` when ``payload`` is valid for ``schema``, else ``(None, errors)``."""
    try:
        return schema.load(payload), {}
    except ValidationError as error:
        return None, flat_errors(error.normalized_messages())


MAX_ROW_ID = 2**63 - 1  # SQLite's largest INTEGER


def row_id(value):
    """A positive row id from a form or URL value, or None (never an int SQLite can't hold)."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,19}", value) and 0 < int(value) <= MAX_ROW_ID:
        return int(value)
    return None


def present(form, names):
    """The named fields the form actually sent (so a missing field stays missing)."""
    return {name: form[name] for name in names if name in form}


def trigger_names(form):
    """Ticked trigger chips plus typed ones ("work, late night") from ``triggers`` fields."""
    names = []
    for value in form.getlist("triggers"):
        names.extend(part for part in value.split(",") if part.strip())
    return names


def entry_payload(form):
    payload = present(form, ("id", "date", "anxiety", "note"))
    payload["triggers"] = trigger_names(form)
    payload["private"] = "private" in form
    if payload.get("id") == "":
        del payload["id"]
    return payload


def session_payload(form):
    payload = present(form, ("id", "date", "treatment", "anxiety_before", "anxiety_after", "reflection"))
    dose = form.get("dose_mg", "").strip()
    payload["dose_mg"] = dose or None
    payload["side_effects"] = form.getlist("side_effects")
    payload["private"] = "private" in form
    if payload.get("id") == "":
        del payload["id"]
    return payload
