"""Which stretch of the diary the Trends page and API show."""
from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validates_schema

from ..messages import msg
from .fields import DateRangeQuery
from .validators import OneOf, refused

MAX_DAYS = 3660  # ten years: longer than any diary here, far below anything absurd
RANGES = {"course": None, "30d": 30, "90d": 90, "1y": 365, "all": None}
RANGE_LABELS = {"course": msg("Since treatment"), "30d": msg("30 days"), "90d": msg("90 days"), "1y": msg("1 year"),
                "all": msg("All")}


class DaysField(fields.Field):
    """A whole number of days from 1 to 3660, or "all"."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> int | None:
        if value == "all":
            return None
        if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 5:
            number = int(value)
            if 1 <= number <= MAX_DAYS:
                return number
        raise refused(msg("Must be a whole number of days from 1 to %(max)s, or 'all'.", max=MAX_DAYS))


class TrendsQuery(Schema):
    """``GET /api/v1/trends?days=N`` (default 90; ``all`` for the whole diary)."""

    days = DaysField(load_default=90, metadata={"type": "string", "example": "90", "default": "90",
                                                "description": f"1-{MAX_DAYS}, or 'all'"})


class TrendsPageQuery(Schema):
    """``GET /trends?range=course|30d|90d|1y|all``; without one: ``course`` (4 weeks before the first
    session to today) when treatment began within the last year, else ``90d``. The provider's page
    about a patient (``/provider/patients/<id>``) takes the same."""

    range = fields.String(validate=OneOf(list(RANGES), error=msg("Must be one of: {choices}.")))


class SharedTrendsQuery(TrendsPageQuery):
    """``GET /api/v1/patients/{id}/trends``: a ``range`` as on the Trends page (computed from the
    records the patient shares), or ``days`` as ``GET /api/v1/trends`` takes them; neither: 90 days."""

    days = DaysField(metadata={"type": "string", "example": "90", "default": "90",
                               "description": f"1-{MAX_DAYS}, or 'all'. Not with range."})

    @validates_schema
    def _one_period(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "range" in data and "days" in data:
            raise ValidationError({"range": [msg("Give either range or days, not both.")]})

    @post_load
    def _default_days(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return data if "range" in data or "days" in data else {**data, "days": 90}


BASELINE_SOURCES = ["pretreatment", "week_before", "session_rating"]
BASELINE_NOTES = ["previous_relief", "too_few_days", None]
BASELINE_NOTE_TEXT = ("Why the baseline is an earlier series' (null when it is this series' own): the week"
                      " before was still in the previous relief, or too few days were logged to compare")


class ReportQuery(DateRangeQuery):
    """The printable report: a period (default: the Trends page's, ``course``, else the last 90 days)
    and whether to include notes."""
    notes = fields.Boolean(load_default=False)


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
    time = fields.String(allow_none=True, metadata={"description": "HH:MM local"})
    dose_mg = fields.Float(allow_none=True)
    dose_unit = fields.String(allow_none=True, metadata={"enum": ["mg", "mg/kg"]})
    dose_value = fields.Float(allow_none=True)
    weight_kg = fields.Float(allow_none=True)
    anxiety_before = fields.Integer(allow_none=True)
    anxiety_after = fields.Integer(allow_none=True)
    side_effects = fields.List(fields.Dict(), metadata={"description": "[{name, severity, hours}] as on the session"})
    same_day = fields.Dict(metadata={"description": "{before, after, later: [check-ins later that day], later_mean}"})
    series = fields.Integer(metadata={"description": "1-based number of the session's series (relief.series)"})
    baseline = fields.Float(allow_none=True, metadata={"description": "The series' baseline"})
    baseline_source = fields.String(allow_none=True, metadata={"enum": BASELINE_SOURCES})
    baseline_days = fields.Integer(metadata={"description": "Logged days the baseline rests on (0: a rating)"})
    baseline_series = fields.Integer(allow_none=True, metadata={
        "description": "The series whose measurement the baseline is"
                       " (an earlier one when this one's week was in relief)"})
    baseline_note = fields.String(allow_none=True, metadata={"enum": BASELINE_NOTES, "description": BASELINE_NOTE_TEXT})
    mean_days_1_3 = fields.Float(allow_none=True, metadata={"description": "Stops at the next session"})
    mean_days_4_7 = fields.Float(allow_none=True, metadata={"description": "Stops at the next session"})
    relief_days = fields.Integer(allow_none=True, metadata={
        "description": "On a series' last session: days of relief (censored: at least this many)"})
    relief_status = fields.String(metadata={"enum": ["returned", "censored", "not_enough_data", "in_series"]})


class SeriesOut(Schema):
    sessions = fields.List(fields.String(metadata={"format": "uuid"}))
    start = fields.String(metadata={"format": "date"})
    end = fields.String(metadata={"format": "date"})
    baseline = fields.Float(allow_none=True)
    baseline_source = fields.String(allow_none=True, metadata={"enum": BASELINE_SOURCES})
    baseline_days = fields.Integer()
    baseline_series = fields.Integer(allow_none=True)
    baseline_note = fields.String(allow_none=True, metadata={"enum": BASELINE_NOTES, "description": BASELINE_NOTE_TEXT})
    relief_days = fields.Integer(allow_none=True)
    status = fields.String(metadata={"enum": ["returned", "censored", "not_enough_data"]})


class TypicalOut(Schema):
    median_days = fields.Float(allow_none=True)
    low = fields.Float(allow_none=True, metadata={"description": "Kaplan–Meier 25th percentile"})
    high = fields.Float(allow_none=True, metadata={"description": "Kaplan–Meier 75th percentile (null: not reached)"})
    ci_low = fields.Float(allow_none=True, metadata={
        "description": "95 % confidence interval of the median, lower end (Brookmeyer–Crowley; null: not estimable)"})
    ci_high = fields.Float(allow_none=True, metadata={
        "description": "95 % confidence interval of the median, upper end (null: not estimable or not reached)"})
    observed_min = fields.Integer(allow_none=True, metadata={"description": "Shortest relief of a returned series"})
    observed_max = fields.Integer(allow_none=True, metadata={"description": "Longest relief of a returned series"})
    returned = fields.Integer()
    censored = fields.Integer()
    method = fields.String(metadata={"enum": ["kaplan-meier"]})
    enough = fields.Boolean(metadata={"description": "At least 2 series whose anxiety came back"})


class ForecastOut(Schema):
    last_session = fields.String(allow_none=True, metadata={"format": "date"})
    days_since = fields.Integer(allow_none=True)
    return_from = fields.Float(allow_none=True)
    return_to = fields.Float(allow_none=True)
    fade_from = fields.String(allow_none=True, metadata={
        "format": "date", "description": "The last session + return_from: when relief may start to fade"})
    fade_to = fields.String(allow_none=True, metadata={"format": "date", "description": "The last session + return_to"})
    status = fields.String(metadata={"enum": ["within", "approaching", "past", "unknown", "no_relief"]})


class ReliefOut(Schema):
    status = fields.String(metadata={"enum": ["enough", "not_enough_data", "no_relief"]})
    series = fields.List(fields.Nested(SeriesOut))
    typical = fields.Nested(TypicalOut)
    forecast = fields.Nested(ForecastOut)
    headline = fields.String(metadata={"description": "The answer itself, e.g. 'Relief usually lasts about 11 days'"})
    sentence = fields.String(metadata={"description": "The answer addressed to the patient (Trends)."})
    method = fields.List(fields.String(), metadata={"description": "How it is worked out: the notes that apply"})
    clinician_headline = fields.String()
    clinician_sentence = fields.String(metadata={
        "description": "The same facts about the patient, with nothing the reader is told to do (report, provider)."})


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
    baseline_days = fields.Integer(metadata={"description": "Logged days the pre-treatment baseline rests on"})
    recent_days = fields.Integer(metadata={"description": "Logged days among the latest 14"})


class LoggingOut(Schema):
    days_logged_last_30 = fields.Integer()
    days_logged_in_range = fields.Integer()
    days_in_range = fields.Integer()
    since_start = fields.Boolean(metadata={"description": "The period begins at the diary's first record"})


class SinceBaselineOut(Schema):
    baseline_id = fields.String(metadata={"format": "uuid", "description": "The result this one is compared with"})
    baseline_date = fields.String(metadata={"format": "date"})
    baseline_total = fields.Integer()
    baseline_source = fields.String(metadata={
        "enum": ["before_treatment", "first_result"],
        "description": "before_treatment: the last result in the 28 days before the first session; else the first"})
    change = fields.Integer(metadata={"description": "total - baseline_total"})
    reliable = fields.String(metadata={
        "enum": ["improvement", "no_change", "deterioration"],
        "description": "A change of at least 4 points (GAD-7) or 6 (PHQ-9): docs/INSIGHTS.md"})
    response = fields.Boolean(allow_none=True, metadata={
        "description": "At least 50 % below the baseline; null when the baseline was below 5"})
    remission = fields.Boolean(allow_none=True, metadata={
        "description": "Below 5; null when the baseline was below 5"})


class AssessmentPointOut(Schema):
    id = fields.String(metadata={"format": "uuid"})
    instrument = fields.String(metadata={"enum": ["gad7", "phq9"]})
    date = fields.String(metadata={"format": "date"})
    total = fields.Integer()
    severity = fields.String()
    since_baseline = fields.Nested(SinceBaselineOut, allow_none=True, metadata={
        "description": "This result against its questionnaire's baseline; null for the baseline and earlier ones"})


class SideEffectSummaryOut(Schema):
    name = fields.String()
    sessions = fields.Integer(metadata={"description": "Sessions that had it"})
    share = fields.Float(metadata={"description": "sessions / all sessions, 0-1"})
    by_severity = fields.Dict(keys=fields.String(), values=fields.Integer(),
                              metadata={"description": "{mild, moderate, severe, unrated}"})
    fading = fields.Boolean(allow_none=True, metadata={
        "description": "Lighter in the second half of the course; null under 4 sessions"})


class TrendsOut(Schema):
    from_ = fields.String(data_key="from", attribute="from", metadata={"format": "date"})
    to = fields.String(metadata={"format": "date"})
    resolution = fields.String(metadata={
        "enum": ["day"], "description": "A point per day in `days` (the Trends page draws long periods by week)"})
    days = fields.List(fields.Nested(DayOut))
    sessions = fields.List(fields.Nested(SessionResponseOut))
    triggers = fields.List(fields.Nested(TriggerEffectOut))
    course = fields.Nested(CourseOut)
    logging = fields.Nested(LoggingOut)
    relief = fields.Nested(ReliefOut)
    side_effects = fields.List(fields.Nested(SideEffectSummaryOut))
    assessments = fields.List(fields.Nested(AssessmentPointOut),
                              metadata={"description": "GAD-7 / PHQ-9 totals in the range, oldest first"})
