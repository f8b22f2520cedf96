"""GAD-7 / PHQ-9 results, the safety plan, and the support card a write may answer with."""
from typing import Any

from marshmallow import Schema, fields, validates_schema

from ..config import MAX_TEXT_LENGTH
from ..insights.questionnaires import INSTRUMENTS, SEVERITIES
from ..messages import msg
from .fields import DatedSchema, DateRangeQuery, WholeNumber, support_field
from .validators import Length, OneOf, Range, refused

INSTRUMENT_KEYS = tuple(INSTRUMENTS)
ANSWER_ERROR = msg("Must be 0, 1, 2 or 3 (Not at all, Several days, More than half the days, Nearly every day).")


def instrument_field(**kwargs: Any) -> fields.String:
    return fields.String(validate=OneOf(INSTRUMENT_KEYS, error=msg("Must be one of: {choices}.")),
                         metadata={"enum": list(INSTRUMENT_KEYS)}, **kwargs)


def answer_field(**kwargs: Any) -> WholeNumber:
    return WholeNumber(validate=Range(0, 3, error=ANSWER_ERROR),
                       error_messages={"invalid": [ANSWER_ERROR], "null": [msg("Choose an answer.")]}, **kwargs)


class AssessmentIn(DatedSchema):
    """A completed questionnaire (POST); total and severity are scored by the server."""

    id = fields.UUID(metadata={"description": "Client-generated UUID; makes the create idempotent."})
    instrument = instrument_field(required=True)
    answers = fields.List(
        answer_field(), required=True,
        metadata={"description": "One answer per item, in order: 0 Not at all, 1 Several days, "
                                 "2 More than half the days, 3 Nearly every day."},
    )
    difficulty = answer_field(
        load_default=None, allow_none=True,
        metadata={"description": "The unscored last question: 0 Not difficult at all … 3 Extremely difficult."},
    )
    private = fields.Boolean(load_default=False, metadata={"description": "Hidden from providers."})

    @validates_schema(skip_on_field_errors=False)
    def _one_answer_per_item(self, data: dict[str, Any], **kwargs: Any) -> None:
        instrument = INSTRUMENTS.get(data.get("instrument", ""))
        answers = data.get("answers")
        if instrument and isinstance(answers, list) and len(answers) != len(instrument.items):
            raise refused(
                msg("%(instrument)s has %(questions)s questions: send %(questions)s answers (got %(answers)s).",
                    instrument=instrument.name, questions=len(instrument.items), answers=len(answers)),
                field="answers")


class AssessmentOut(Schema):
    id = fields.String(metadata={"format": "uuid"})
    instrument = fields.String(metadata={"enum": list(INSTRUMENT_KEYS)})
    date = fields.String(metadata={"format": "date"})
    answers = fields.List(fields.Integer())
    difficulty = fields.Integer(allow_none=True)
    total = fields.Integer()
    severity = fields.String(metadata={"enum": list(SEVERITIES)})
    private = fields.Boolean()
    created_at = fields.String(metadata={"format": "date-time"})
    updated_at = fields.String(metadata={"format": "date-time"})
    support = support_field()


class AssessmentListOut(Schema):
    assessments = fields.List(fields.Nested(AssessmentOut))


class AssessmentQuery(DateRangeQuery):
    instrument = instrument_field()


def plan_text(description: str) -> fields.String:
    return fields.String(
        load_default="", metadata={"description": description, "maxLength": MAX_TEXT_LENGTH},
        validate=Length(max=MAX_TEXT_LENGTH, error=msg("Must be at most {max:,} characters.")),
    )


# The Stanley-Brown Safety Planning Intervention (Stanley B, Brown GK. Safety planning
# intervention: a brief intervention to mitigate suicide risk. Cogn Behav Pract. 2012;19:256-264):
# six steps, then "the one thing most important to me and worth living for". The titles and
# descriptions are the app's own wording of the steps (not the form's text), in English and, through
# the catalog, in Spanish.
PLAN_STEPS = (
    ("warning_signs", msg("Warning signs"),
     msg("Thoughts, images, moods, situations or behaviours that tell me a crisis may be starting.")),
    ("coping_strategies", msg("My own coping strategies"),
     msg("Things I can do on my own to take my mind off my problems, without contacting anyone.")),
    ("distractions", msg("People and places that distract me"),
     msg("People and social settings that help me think about something else.")),
    ("people_to_ask", msg("People I can ask for help"),
     msg("Names and phone numbers of people I can tell that I'm not OK.")),
    ("professionals", msg("Professionals and services I can contact"),
     msg("My clinic, my therapist or doctor, a crisis line; with phone numbers.")),
    ("safer_environment", msg("Making my surroundings safer"),
     msg("What I can do to keep myself safe: things to put away or give to someone to keep.")),
    ("reasons_for_living", msg("My reasons for living"),
     msg("The one thing, or the things, most important to me and worth living for.")),
)


class SafetyPlanIn(Schema):
    warning_signs = plan_text(PLAN_STEPS[0][2].english())
    coping_strategies = plan_text(PLAN_STEPS[1][2].english())
    distractions = plan_text(PLAN_STEPS[2][2].english())
    people_to_ask = plan_text(PLAN_STEPS[3][2].english())
    professionals = plan_text(PLAN_STEPS[4][2].english())
    safer_environment = plan_text(PLAN_STEPS[5][2].english())
    reasons_for_living = plan_text(PLAN_STEPS[6][2].english())


class SafetyPlanOut(SafetyPlanIn):
    updated_at = fields.String(allow_none=True, metadata={"format": "date-time"})
