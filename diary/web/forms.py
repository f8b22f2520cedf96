"""Turning HTML form posts into the dicts the shared marshmallow schemas load."""
import re
from collections.abc import Iterable, Mapping
from typing import Any

from marshmallow import Schema, ValidationError
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter, Map

from ..messages import msg
from ..schemas import flat_errors
from ..schemas.fields import MAX_ROW_ID
from . import i18n

NUL_MESSAGE = msg("Can't contain a NUL character (\\0).")


def _holds_nul(value: Any) -> bool:
    """Whether a NUL is in ``value`` or anything nested in it (walked without recursion: a JSON
    body may nest as deep as the parser allows)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, Mapping):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
    return False


def load(schema: Schema, payload: Mapping[str, Any]) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """``(data, {})`` when ``payload`` is valid for ``schema``, else ``(None, errors)``. A NUL
    character anywhere in a field (forms, JSON bodies and queries all come through here) is an
    error naming the field: SQLite and the exports would store or cut text at it."""
    nul = {str(field): [str(NUL_MESSAGE)] for field, value in payload.items()
           if _holds_nul(field) or _holds_nul(value)}
    if nul:
        return None, nul
    try:
        return schema.load(payload), {}
    except ValidationError as error:
        return None, flat_errors(error.normalized_messages(), i18n.word_any)


def item_prefix() -> re.Pattern[str]:
    """The "Item 2: " schemas.flat_errors puts before a list item's message, in the reader's
    language (the item's number its group 1)."""
    before, _number, after = i18n.word_any("Item %(number)s: ").partition("%(number)s")
    return re.compile(f"^{re.escape(before)}([0-9]+){re.escape(after)}")


def without_item_numbers(errors: Mapping[str, list[str]], field: str) -> Mapping[str, list[str]]:
    """A form's list errors without the API's "Item 2: " (the messages name the ticked item)."""
    if field in errors:
        prefix = item_prefix()
        errors = {**errors, field: [prefix.sub("", message, count=1) for message in errors[field]]}
    return errors


def row_id(value: str | None) -> int | None:
    """A positive row id from a form or URL value, or None (never an int SQLite can't hold)."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,19}", value) and 0 < int(value) <= MAX_ROW_ID:
        return int(value)
    return None


class RowIdConverter(IntegerConverter):
    """``<row_id:name>`` in a URL: a row id SQLite can hold (larger numbers answer 404, never an
    overflow). Registered on the app in create_app."""

    def __init__(self, map: Map) -> None:
        super().__init__(map, max=MAX_ROW_ID)


def present(form: Mapping[str, str], names: Iterable[str]) -> dict[str, Any]:
    """The named fields the form actually sent (so a missing field stays missing)."""
    return {name: form[name] for name in names if name in form}


def trigger_names(form: MultiDict[str, str]) -> list[str]:
    """Ticked trigger chips plus typed ones ("work, late night") from ``triggers`` fields."""
    names: list[str] = []
    for value in form.getlist("triggers"):
        names.extend(part for part in value.split(",") if part.strip())
    return names


def optional(form: Mapping[str, str], names: Iterable[str]) -> dict[str, str | None]:
    """The named fields the form sent, a blank one as None (an optional value left empty)."""
    return {name: form[name].strip() or None for name in names if name in form}


def typed_text(form: Mapping[str, str], names: Iterable[str]) -> dict[str, str]:
    """The named textareas the form sent, line breaks as typed: a browser posts each as CRLF (the
    form encoding), where the page's JS sends the textarea's value, with LF, to the JSON API. Every
    multi-line field of a form goes through here (the note, a reflection, the safety plan)."""
    return {name: form[name].replace("\r\n", "\n") for name in names if name in form}


def entry_payload(form: MultiDict[str, str]) -> dict[str, Any]:
    payload = present(form, ("id", "date", "anxiety"))
    payload.update(typed_text(form, ("note",)))
    payload.update(optional(form, ("time",)))
    payload["triggers"] = trigger_names(form)
    payload["private"] = "private" in form
    if payload.get("id") == "":
        del payload["id"]
    return payload


BP_FIELDS = ("bp_before_systolic", "bp_before_diastolic", "bp_after_systolic", "bp_after_diastolic")


def session_payload(form: MultiDict[str, str]) -> dict[str, Any]:
    """The session form: the dose as a value with its unit (and weight), each ticked side effect
    with its severity and hours (``severity_<name>``, ``hours_<name>``), blood pressure readings."""
    payload = present(form, ("id", "date", "treatment", "anxiety_before", "anxiety_after"))
    payload.update(typed_text(form, ("reflection",)))
    payload.update(optional(form, ("time", "weight_kg", *BP_FIELDS)))
    if "dose_value" in form:
        value = form["dose_value"].strip()
        payload["dose_value"] = value or None
        payload["dose_unit"] = (form.get("dose_unit") or "mg") if value else None
    elif "dose_mg" in form:  # a form from before dose units, still open in someone's browser
        payload["dose_mg"] = form["dose_mg"].strip() or None
    payload["side_effects"] = [
        {"name": name, "severity": form.get(f"severity_{name}") or None,
         "hours": form.get(f"hours_{name}", "").strip() or None}
        for name in form.getlist("side_effects")
    ]
    payload["private"] = "private" in form
    if payload.get("id") == "":
        del payload["id"]
    return payload
