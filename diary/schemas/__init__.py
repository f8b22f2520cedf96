"""marshmallow schemas: one definition of valid input, shared by HTML forms, the JSON API
and the OpenAPI document. ``*In`` schemas load (validate and convert), ``*Out`` dump."""
from collections.abc import Callable
from typing import Any

from ..messages import N_, Msg, msg

# marshmallow's own messages, as its fields and schemas give them (the dates' filled in), for the
# catalog: the web layer words them in the reader's language (web/i18n.py, word_any).
LIBRARY_MESSAGES = (
    N_("Missing data for required field."), N_("Field may not be null."), N_("Invalid value."),
    N_("Unknown field."), N_("Invalid input type."), N_("Invalid type."), N_("Not a valid string."),
    N_("Not a valid utf-8 string."), N_("Not a valid UUID."), N_("Not a valid boolean."), N_("Not a valid integer."),
    N_("Not a valid number."), N_("Number too large."),
    N_("Special numeric values (nan or infinity) are not permitted."), N_("Not a valid list."),
    N_("Not a valid mapping type."), N_("Not a valid URL."), N_("Not a valid email address."),
    N_("Not a valid date."), N_("Not a valid datetime."), N_("Not a valid time."),
)


def flat_errors(messages: dict[str, Any] | list[Any], word: Callable[[Any], str] = str) -> dict[str, list[str]]:
    """marshmallow's error dict, flattened to the contract's ``{field: [message, ...]}``.

    An error on a list item (``{"triggers": {2: [...]}}``) becomes
    ``{"triggers": ["Item 3: ..."]}``, and one inside a nested object (``{"keys": {"auth": [...]}}``)
    ``{"keys": ["auth: ..."]}``, so every field maps to a list of strings.

    :param word: each message as the reader reads it (the web layer words them in the request's
        language; messages may be ``Msg`` or marshmallow's own English texts).
    """
    def label(key: int | str) -> str:
        if isinstance(key, int):
            return word(msg("Item %(number)s: ", number=key + 1))
        return "" if key == "_schema" else f"{key}: "

    def flatten(value: Any) -> list[str]:
        if isinstance(value, str | Msg):
            return [word(value)]
        if isinstance(value, dict):
            return [label(key) + message for key, item in value.items() for message in flatten(item)]
        return [message for item in value for message in flatten(item)]

    if isinstance(messages, list):  # a schema-level error on a non-object body
        return {"body": flatten(messages)}
    return {field: flatten(value) for field, value in messages.items()}
