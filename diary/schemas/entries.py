"""Daily check-ins."""
from typing import Any

from marshmallow import Schema, fields, post_load, validates

from ..messages import msg
from .fields import (
    MAX_ROW_ID,
    DatedSchema,
    DateRangeQuery,
    WholeNumber,
    anxiety,
    free_text,
    support_field,
    time_of_day,
    trigger_list,
    unique_names,
)
from .validators import Range, refused


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

    trigger_id = WholeNumber(validate=Range(1, MAX_ROW_ID, error=msg("Must be the id of one of your triggers.")),
                             metadata={"description": "Only check-ins tagged with this trigger (its id)"})
    # Trigger names are health data: never in a URL (server logs, browser history, referrers).
    trigger = fields.Raw(load_only=True, metadata={"description": "Not accepted: filter by trigger_id"})
    limit = fields.Integer(load_default=100, validate=Range(1, 500))

    @validates("trigger")
    def _no_names_in_urls(self, value: Any, **_: Any) -> None:
        raise refused(msg("Filter by trigger_id: trigger names are not sent in URLs."))
    offset = fields.Integer(load_default=0, validate=Range(0, MAX_OFFSET))


class TriggerOut(Schema):
    id = fields.Integer(metadata={"description": "What GET /entries?trigger_id= takes"})
    name = fields.String()
    entry_count = fields.Integer(metadata={"description": "How many check-ins name it"})


class TriggerListOut(Schema):
    triggers = fields.List(fields.Nested(TriggerOut))
