"""Which stretch of the diary the Trends page and API show."""
from marshmallow import Schema, ValidationError, fields
from marshmallow.validate import OneOf

MAX_DAYS = 3660  # ten years: longer than any diary here, far below anything absurd
RANGES = {"30d": 30, "90d": 90, "1y": 365, "all": None}
RANGE_LABELS = {"30d": "30 days", "90d": "90 days", "1y": "1 year", "all": "All"}


class DaysField(fields.Field):
    """A whole number of days from 1 to 3660, or "all"."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value == "all":
            return None
        if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 5:
            number = int(value)
            if 1 <= number <= MAX_DAYS:
                return number
        raise ValidationError(f"Must be a whole number of days from 1 to {MAX_DAYS}, or 'all'.")


class TrendsQuery(Schema):
    """``GET /api/v1/trends?days=N`` (default 90; ``all`` for the whole diary)."""

    days = DaysField(load_default=90, metadata={"type": "string", "example": "90", "default": "90",
                                                "description": f"1-{MAX_DAYS}, or 'all'"})


class TrendsPageQuery(Schema):
    """``GET /trends?range=30d|90d|1y|all``."""

    range = fields.String(load_default="90d", validate=OneOf(list(RANGES), error="Must be one of: {choices}."))


class DayOut(Schema):
    date = fields.String(metadata={"format": "date"})
    mean = fields.Float(allow_none=True, metadata={"description": "Mean of the day's check-ins; null = not logged"})
    min = fields.Integer(allow_none=True)
    max = fields.Integer(allow_none=True)
    count = fields.Integer()
    rolling_mean_7 = fields.Float(allow_none=True)


class SessionResponseOut(Schema):
    id = fields.String(metadata={"format": "uuid"})
    date = fields.String(metadata={"format": "date"})
    treatment = fields.String()
    anxiety_before = fields.Integer(allow_none=True)
    anxiety_after = fields.Integer(allow_none=True)
    baseline = fields.Float(allow_none=True)
    mean_days_1_3 = fields.Float(allow_none=True)
    mean_days_4_7 = fields.Float(allow_none=True)
    relief_days = fields.Integer(allow_none=True)
    relief_status = fields.String(metadata={"enum": ["returned", "still_below", "not_enough_data"]})


class TriggerEffectOut(Schema):
    name = fields.String()
    days_with = fields.Integer()
    days_without = fields.Integer()
    mean_with = fields.Float()
    mean_without = fields.Float()
    difference = fields.Float()
    sentence = fields.String()


class CourseOut(Schema):
    first_session = fields.String(allow_none=True, metadata={"format": "date"})
    baseline = fields.Float(allow_none=True)
    recent_mean = fields.Float(allow_none=True)
    change = fields.Float(allow_none=True)
    percent_change = fields.Float(allow_none=True)
    response = fields.Boolean(allow_none=True)
    remission = fields.Boolean(allow_none=True)


class LoggingOut(Schema):
    days_logged_last_30 = fields.Integer()
    days_logged_in_range = fields.Integer()
    days_in_range = fields.Integer()


class AssessmentPointOut(Schema):
    id = fields.String(metadata={"format": "uuid"})
    instrument = fields.String(metadata={"enum": ["gad7", "phq9"]})
    date = fields.String(metadata={"format": "date"})
    total = fields.Integer()
    severity = fields.String()


class TrendsOut(Schema):
    from_ = fields.String(data_key="from", attribute="from", metadata={"format": "date"})
    to = fields.String(metadata={"format": "date"})
    days = fields.List(fields.Nested(DayOut))
    sessions = fields.List(fields.Nested(SessionResponseOut))
    triggers = fields.List(fields.Nested(TriggerEffectOut))
    course = fields.Nested(CourseOut)
    logging = fields.Nested(LoggingOut)
    assessments = fields.List(fields.Nested(AssessmentPointOut),
                              metadata={"description": "GAD-7 / PHQ-9 totals in the range, oldest first"})
