"""Outcomes across a clinician's practice: the period asked for, and the answer (docs/API.md)."""
from marshmallow import Schema, fields

from ..messages import msg
from .validators import OneOf

PERIODS = ("90d", "1y", "all")
PERIOD_LABELS = {"90d": msg("90 days"), "1y": msg("1 year"), "all": msg("All")}


class OutcomesQuery(Schema):
    """``?period=90d|1y|all``: courses (first shared session) begun in the last 90 days, year, or ever."""
    period = fields.String(load_default="1y", validate=OneOf(PERIODS, error=msg("Must be one of: {choices}.")),
                           metadata={"enum": list(PERIODS), "default": "1y"})


class RateOut(Schema):
    count = fields.Integer()
    of = fields.Integer(metadata={"description": "The denominator: patients the rate is of"})
    rate = fields.Float(allow_none=True, metadata={"description": "count / of; null with fewer than 5 patients"})


class ScoreRatesOut(Schema):
    with_baseline = fields.Integer()
    with_follow_up = fields.Integer()
    response = fields.Nested(RateOut, metadata={"description": "Of those with a baseline of 5 or more"})
    remission = fields.Nested(RateOut, metadata={"description": "Of those with a baseline of 5 or more"})
    reliable_improvement = fields.Nested(RateOut)
    reliable_deterioration = fields.Nested(RateOut)


class DailyRatesOut(Schema):
    with_course = fields.Integer(metadata={"description": "Patients whose course response can be measured"})
    response = fields.Nested(RateOut)
    remission = fields.Nested(RateOut)


class ReliefCurvePointOut(Schema):
    day = fields.Float()
    survival = fields.Float()
    at_risk = fields.Integer()


class PracticeSeriesReliefOut(Schema):
    series = fields.Integer()
    returned = fields.Integer()
    censored = fields.Integer()
    median_days = fields.Float(allow_none=True)
    ci_low = fields.Float(allow_none=True)
    ci_high = fields.Float(allow_none=True)


class PracticeReliefOut(PracticeSeriesReliefOut):
    curve = fields.List(fields.Nested(ReliefCurvePointOut))
    first_series = fields.Nested(PracticeSeriesReliefOut)
    later_series = fields.Nested(PracticeSeriesReliefOut)


class PatientCountsOut(Schema):
    started = fields.Integer(metadata={"description": "Patients whose first shared session is in the period"})
    with_baseline = fields.Integer()
    with_follow_up = fields.Integer()


class OutcomesOut(Schema):
    period = fields.String(metadata={"enum": list(PERIODS)})
    patients = fields.Nested(PatientCountsOut)
    gad7 = fields.Nested(ScoreRatesOut)
    phq9 = fields.Nested(ScoreRatesOut)
    daily = fields.Nested(DailyRatesOut)
    relief = fields.Nested(PracticeReliefOut)


class ScheduleIn(Schema):
    """``PUT /api/v1/patients/{id}/questionnaire-schedule``: when the patient's GAD-7 and PHQ-9 fall due."""
    cadence = fields.String(required=True, validate=OneOf(("default", "weekly", "fortnightly", "four_weekly",
                                                          "after_session"), error=msg("Must be one of: {choices}.")),
                            metadata={"description": "default: the patient's own (every 2 weeks and on session "
                                                     "days)"})
    restart_each_series = fields.Boolean(load_default=False, metadata={
        "description": "Also due at the first session of each new series, counting again from there"})


class ScheduleOut(Schema):
    cadence = fields.String(metadata={"enum": ["default", "weekly", "fortnightly", "four_weekly", "after_session"]})
    restart_each_series = fields.Boolean()
    set_by = fields.String(allow_none=True, metadata={"description": "The clinician who set it (null: default)"})
    set_at = fields.String(allow_none=True)
