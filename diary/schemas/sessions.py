"""Treatment sessions and their reflections."""
from marshmallow import Schema, fields, post_load
from marshmallow.validate import OneOf, Range

from ..vocabulary import SIDE_EFFECT_LABELS, TREATMENTS
from .fields import DatedSchema, DateRangeQuery, anxiety, free_text, support_field

MAX_DOSE_MG = 5000


class SessionIn(DatedSchema):
    """A treatment session (POST); ``SessionIn(partial=True, exclude=("id",))`` for PATCH."""

    id = fields.UUID(metadata={"description": "Client-generated UUID; makes the create idempotent."})
    treatment = fields.String(
        required=True,
        validate=OneOf(TREATMENTS, error="Must be one of: {choices}."),
        metadata={"enum": list(TREATMENTS)},
    )
    dose_mg = fields.Float(
        load_default=None, allow_none=True,
        validate=Range(0, MAX_DOSE_MG, min_inclusive=False,
                       error=f"Must be more than 0 and at most {MAX_DOSE_MG} mg."),
        error_messages={"invalid": "Must be a number of milligrams."},
    )
    anxiety_before = anxiety(required=True)
    anxiety_after = anxiety(required=True)
    side_effects = fields.List(
        fields.String(validate=OneOf(list(SIDE_EFFECT_LABELS), error="Must be one of: {choices}.")),
        load_default=list,
    )
    reflection = free_text("What came up, what I want to remember.")
    private = fields.Boolean(load_default=False, metadata={"description": "Hidden from providers."})

    @post_load
    def _dedupe_side_effects(self, data, **kwargs):
        if "side_effects" in data:
            data["side_effects"] = sorted(set(data["side_effects"]))
        return data


def session_patch_schema(today):
    return SessionIn(today=today, partial=True, exclude=("id",))


class SessionOut(Schema):
    id = fields.String(metadata={"format": "uuid"})
    date = fields.String(metadata={"format": "date"})
    treatment = fields.String(metadata={"enum": list(TREATMENTS)})
    dose_mg = fields.Float(allow_none=True)
    anxiety_before = fields.Integer(allow_none=True)
    anxiety_after = fields.Integer(allow_none=True)
    side_effects = fields.List(fields.String())
    reflection = fields.String()
    private = fields.Boolean()
    created_at = fields.String(metadata={"format": "date-time"})
    updated_at = fields.String(metadata={"format": "date-time"})
    support = support_field()


class SessionListOut(Schema):
    sessions = fields.List(fields.Nested(SessionOut))


class SessionQuery(DateRangeQuery):
    """Filters for a list of sessions (query string)."""
