"""The crisis contacts shown on the support page and card, configured by the deployment.

``DIARY_CRISIS_CONTACTS`` holds a JSON list, or the path of a JSON file with one; without it,
``instance/crisis_contacts.json`` is read if present; else the defaults below. Each contact is
``{"name", "phone"?, "sms"?, "url"?, "note"?, "language"?}`` with at least one way to reach it;
``language`` ("en" or "es") is the language the service answers in: the support card lists the
reader's language's contacts first, then those without one, then the rest (``for_reader``). A
contact's name and note are shown as configured. A broken setting stops the app at start-up with
a message naming the problem (never a page without help).

Default numbers, checked against the services' own pages:
- 988 Suicide & Crisis Lifeline (US): call or text 988, 24/7 — 988lifeline.org.
- 988 Lifeline in Spanish: call 988 and press 2 ("Spanish-language (Press 2)"), or text AYUDA to
  988 — 988lifeline.org/get-help/what-to-expect (the Lifeline's own "what to expect" page).
- Samaritans (UK and Ireland): call 116 123, free, 24/7 — samaritans.org.
- Find A Helpline (international directory of free, confidential helplines) — findahelpline.com.
"""
import json
import os
import re
from pathlib import Path
from typing import Any

from marshmallow import Schema, ValidationError, fields, validates_schema
from marshmallow.validate import Length, OneOf, Regexp

from ..messages import msg
from ..vocabulary import LANGUAGES

EMERGENCY = msg("If you might act on thoughts of ending your life, or are in danger now, call your local "
                "emergency number (911 in the US and Canada, 999 or 112 in the UK, 112 in the EU) or go to "
                "the nearest emergency department.")

# Each service in the language it answers in; the directory, which serves every language, in the
# reader's (its name and note are messages).
DEFAULT_CONTACTS = (
    {"name": "988 Suicide & Crisis Lifeline (US)", "phone": "988", "sms": "988",
     "note": "Call or text, any time, free.", "language": "en"},
    {"name": "988 Lifeline en español (EE. UU.)", "phone": "988", "sms": "988",
     "note": "Llama al 988 y marca 2, o envía AYUDA por mensaje de texto al 988. Gratis, a cualquier hora.",
     "language": "es"},
    {"name": "Samaritans (UK and Ireland)", "phone": "116 123", "note": "Call any time, free.", "language": "en"},
    {"name": msg("Find a helpline in your country"), "url": "https://findahelpline.com",
     "note": msg("Free, confidential helplines around the world.")},
)

FILE_NAME = "crisis_contacts.json"
_PHONE = Regexp(r"^\+?[0-9][0-9 ()-]{1,24}$", error="Must be a phone number (digits, spaces, + ( ) -).")


class ContactIn(Schema):
    name = fields.String(required=True, validate=Length(1, 120))
    phone = fields.String(validate=_PHONE)
    sms = fields.String(validate=_PHONE)
    url = fields.Url(schemes={"https", "http"})
    note = fields.String(validate=Length(max=300), load_default="")
    language = fields.String(validate=OneOf(LANGUAGES))

    @validates_schema
    def _reachable(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not any(data.get(k) for k in ("phone", "sms", "url")):
            raise ValidationError("Give at least one of phone, sms or url.", "name")


def for_reader(contacts: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """The contacts in the order a reader of ``language`` needs them: those answering in it first,
    then those without a language, then the others (each group as configured)."""
    rank = {language: 0, None: 1}
    return sorted(contacts, key=lambda contact: rank.get(contact.get("language"), 2))


def dial(number: str) -> str:
    """'116 123' -> '116123' for a tel: or sms: link."""
    return re.sub(r"[^0-9+]", "", number)


def _source(instance: str | os.PathLike[str]) -> tuple[str, str] | tuple[None, None]:
    """(where, JSON text) of the configured contacts, or (None, None) for the defaults."""
    setting = os.environ.get("DIARY_CRISIS_CONTACTS", "").strip()
    if setting.startswith("["):
        return "DIARY_CRISIS_CONTACTS", setting
    if setting:
        return setting, Path(setting).read_text(encoding="utf-8")
    path = Path(instance) / FILE_NAME
    if path.exists():
        return str(path), path.read_text(encoding="utf-8")
    return None, None


def load(instance: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The contacts to show: a list of dicts (see the module docstring)."""
    try:
        where, text = _source(instance)
    except OSError as error:
        raise ValueError(f"DIARY_CRISIS_CONTACTS: can't read the file: {error}") from None
    if where is None or text is None:
        return [dict(c) for c in DEFAULT_CONTACTS]
    try:
        contacts = ContactIn(many=True).load(json.loads(text))
    except json.JSONDecodeError as error:
        raise ValueError(f"Crisis contacts in {where} are not valid JSON: {error}") from None
    except ValidationError as error:
        raise ValueError(f"Crisis contacts in {where} are not valid: {error.normalized_messages()}") from None
    if not contacts:
        raise ValueError(f"Crisis contacts in {where}: the list is empty; give at least one contact.")
    return contacts
