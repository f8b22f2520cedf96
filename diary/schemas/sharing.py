"""Sharing with providers: share codes, the care team, the access log, the provider's lists."""
from typing import Any

from marshmallow import Schema, fields

from ..messages import msg
from ..vocabulary import SCOPES
from .fields import Trimmed
from .validators import Length, OneOf, Regexp


def scope_field(**kwargs: Any) -> fields.String:
    return fields.String(validate=OneOf(SCOPES, error=msg("Must be one of: {choices}.")),
                         metadata={"enum": list(SCOPES)}, **kwargs)


class InviteIn(Schema):
    scope = scope_field(load_default="scores")


class InviteOut(Schema):
    code = fields.String(metadata={"description": "16 characters from an alphabet of 31 (79 bits); shown as"
                                                  " ABCD-EFGH-JKMN-PQRS; spaces, dashes and case are ignored"})
    scope = fields.String()
    expires_at = fields.String(metadata={"format": "date-time"})


class ScopeIn(Schema):
    scope = scope_field(required=True)


class RedeemIn(Schema):
    code = Trimmed(required=True, validate=Length(max=40, error=msg("Must be at most {max} characters.")))


class PatientRef(Schema):
    id = fields.Integer()
    display_name = fields.String()


class RedeemOut(Schema):
    patient = fields.Nested(PatientRef)


class CareTeamMember(Schema):
    id = fields.Integer()
    display_name = fields.String()
    email = fields.String()
    since = fields.String(metadata={"format": "date-time"})
    scope = fields.String(metadata={"enum": list(SCOPES)})


class CareTeamOut(Schema):
    providers = fields.List(fields.Nested(CareTeamMember))


class AccessEvent(Schema):
    at = fields.String(metadata={"format": "date-time"})
    actor = fields.String(metadata={"description": "The name the account had then"})
    actor_email = fields.String(allow_none=True, metadata={
        "description": "The account's e-mail address (null once the account is deleted)"})
    action = fields.String()


class AccessLogOut(Schema):
    events = fields.List(fields.Nested(AccessEvent))


FLAGS = ["safety", "severe", "worse", "spike", "high", "rising", "quiet"]


class FlagReasonOut(Schema):
    flag = fields.String(metadata={"enum": FLAGS})
    date = fields.String(allow_none=True, metadata={"format": "date"})
    text = fields.String(metadata={"description": "The flag explained in words (never the patient's own words)"})


class AcknowledgeIn(Schema):
    through = fields.String(
        validate=Regexp(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$",
                        error=msg("Must be the flag's raised_at, e.g. 2026-12-03T18:04:11.123Z.")),
        metadata={"description": "The raised_at of the newest signal you were shown (from GET /patients). "
                                 "Signals raised later stay open. Left out: everything raised so far."})


class SafetyFlagOut(Schema):
    since = fields.String(metadata={"format": "date", "description": "Date of the oldest unacknowledged record"})
    reason = fields.String(metadata={"description": "What the newest one was, e.g. PHQ-9 item 9 answered …"})
    date = fields.String(metadata={"format": "date", "description": "Date of the newest one"})
    count = fields.Integer()
    raised_at = fields.String(metadata={"format": "date-time",
                                        "description": "Send it back as `through` when acknowledging"})


class PatientSummaryOut(Schema):
    id = fields.Integer()
    display_name = fields.String()
    last_entry_date = fields.String(allow_none=True, metadata={"format": "date"})
    mean_7 = fields.Float(allow_none=True)
    change_from_baseline = fields.Float(allow_none=True)
    flags = fields.List(fields.String(metadata={"enum": FLAGS}),
                        metadata={"description": "Most urgent first: safety, severe, spike, high, rising, quiet"})
    flag_reasons = fields.List(fields.Nested(FlagReasonOut))
    days_since_session = fields.Integer(allow_none=True, metadata={"description": "Days since the last shared session"})
    forecast_status = fields.String(metadata={
        "enum": ["within", "approaching", "past", "unknown", "no_relief"],
        "description": "Where today sits against the patient's usual relief (docs/INSIGHTS.md)"})
    fade_from = fields.String(allow_none=True, metadata={
        "format": "date", "description": "When relief after the last shared session may start to fade (or null)"})
    fade_to = fields.String(allow_none=True, metadata={"format": "date", "description": "The end of that window"})
    safety = fields.Nested(SafetyFlagOut, allow_none=True,
                           metadata={"description": "Open until this provider acknowledges it; else null"})


class PatientListOut(Schema):
    patients = fields.List(fields.Nested(PatientSummaryOut))


class SharedEntryOut(Schema):
    """A shared check-in as a provider reads it, under every scope (as in the provider's CSV); only
    the note depends on the scope."""
    id = fields.String(metadata={"format": "uuid"})
    date = fields.String(metadata={"format": "date"})
    time = fields.String(allow_none=True, metadata={"description": "Local time of day, HH:MM, or null"})
    anxiety = fields.Integer()
    triggers = fields.List(fields.String())
    note = fields.String(allow_none=True, metadata={"description": "null when the patient shares scores only"})


class SharedEntryListOut(Schema):
    entries = fields.List(fields.Nested(SharedEntryOut))
    next = fields.String(allow_none=True)
