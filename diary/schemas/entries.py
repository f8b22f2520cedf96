"""Daily check-ins."""
from typing import Any

from marshmallow import Schema, fields, post_load
from marshmallow.validate import Length, Range

from .fields import (
    MAX_TRIGGER_LENGTH,
    DatedSchema,
    DateRangeQuery,
    anxiety,
    free_text,
    support_field,
    time_of_day,
    trigger_list,
    unique_names,
)


class EntryIn(DatedSchema):
    """A check-in as a client sends it (POST); EntryPatch for PATCH."""

    id = fields.UUID(metadata={"description": "Client-generated UUID; makes the create idempotent."})
    time = time_of_day()
    anxiety = anxiety(required=True)
    triggers = trigger_list()
    note = free_text()
    private = fields.Boolean(load_default=False, metadata={"description": "Hidden from providers."})

    @post_load
    def _dedupe_triggers(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        if "triggers" in data:
            data["triggers"] = unique_names(data["triggers"])
        return data


class EntryPatch(EntryIn):
    """A PATCH: any of EntryIn's fields but the id, none required."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(partial=True, exclude=("id",), **kwargs)


class EntryOut(Schema):
    id = fields.String(metadata={"format": "uuid"})
    date = fields.String(metadata={"format": "date"})
    time = fields.String(allow_none=True, metadata={"description": "Local time of day, HH:MM, or null"})
    anxiety = fields.Integer()
    triggers = fields.List(fields.String())
    note = fields.String()
    private = fields.Boolean()
    created_at = fields.String(metadata={"format": "date-time"})
    updated_at = fields.String(metadata={"format": "date-time"})
    support = support_field()


class EntryListOut(Schema):
    entries = fields.List(fields.Nested(EntryOut))
    next = fields.String(allow_none=True, metadata={"description": "URL of the next page, or null at the end"})


MAX_OFFSET = 10**9  # beyond any diary; keeps numbers inside SQLite's 64-bit integers


class EntryQuery(DateRangeQuery):
    """Filters for a list of check-ins (query string)."""

    trigger = fields.String(validate=Length(max=MAX_TRIGGER_LENGTH))
    limit = fields.Integer(load_default=100, validate=Range(1, 500))
    offset = fields.Integer(load_default=0, validate=Range(0, MAX_OFFSET))
