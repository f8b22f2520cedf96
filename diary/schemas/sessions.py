"""Treatment sessions and their reflections.

A session's dose is stored as given: ``dose_value`` in ``dose_unit`` ("mg", or "mg/kg" with the
patient's ``weight_kg``). ``dose_mg`` stays in the contract: the dose in milligrams, worked out by
the server for mg/kg (value x weight, to 2 decimals). A client that only knows ``dose_mg`` keeps
working: its dose is in mg. Side effects are ``{name, severity, hours}`` objects; the old plain
list of names is still accepted (unrated, no duration). Blood pressure is optional, per reading.
"""
import math
from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validates_schema

from ..messages import Msg, msg
from ..vocabulary import SIDE_EFFECT_LABELS
from ..vocabulary import SIDE_EFFECT_SEVERITIES as SEVERITIES
from ..vocabulary import TREATMENTS
from .fields import DatedSchema, DateRangeQuery, WholeNumber, anxiety, free_text, support_field, time_of_day
from .validators import OneOf, Range, refused

MAX_DOSE_MG = 5000
MAX_DOSE_MG_PER_KG = 20
MIN_WEIGHT_KG, MAX_WEIGHT_KG = 20, 400
DOSE_UNITS = ("mg", "mg/kg")
DOSE_FIELDS = ("dose_unit", "dose_value", "weight_kg", "dose_mg")
MAX_SIDE_EFFECT_HOURS = 72
SYSTOLIC_RANGE, DIASTOLIC_RANGE = (60, 260), (30, 160)
BP_READINGS = ("before", "after")
BP_FIELDS = tuple(f"bp_{when}_{part}" for when in BP_READINGS for part in ("systolic", "diastolic"))

_SIDE_EFFECT_NAMES = ", ".join(SIDE_EFFECT_LABELS)
WEIGHT_ERROR = msg("Must be a weight from {min} to {max} kg.").format(min=MIN_WEIGHT_KG, max=MAX_WEIGHT_KG)
_HOURS = fields.Float(
    allow_none=True, allow_nan=False,
    validate=Range(0, MAX_SIDE_EFFECT_HOURS, min_inclusive=False),
)


class SideEffect(fields.Field):
    """One side effect: a name (the original form) or ``{name, severity?, hours?}``.

    Loads as ``{"name", "severity", "hours"}`` (severity and hours null when not given).
    """

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None,
                     **kwargs: Any) -> dict[str, Any]:
        if isinstance(value, str):
            if value not in SIDE_EFFECT_LABELS:
                raise refused(msg("Must be one of: {choices}.").format(choices=_SIDE_EFFECT_NAMES))
            return {"name": value, "severity": None, "hours": None}
        if not isinstance(value, dict):
            raise refused(msg("Must be a side effect's name, or an object {name, severity, hours}."))
        # Each problem as said after the side effect's name ("Nausea: hours must be ..."), and alone.
        problems: list[tuple[Msg, Msg]] = [
            (msg("%(key)s is not a known field.", key=key),
             msg("%(key)s is not a known field.", key=key[:1].upper() + key[1:]))
            for key in map(str, value) if key not in ("name", "severity", "hours")]
        name = value.get("name")
        if name is None:
            problems.append((msg("name is missing."), msg("Name is missing.")))
        elif not isinstance(name, str) or name not in SIDE_EFFECT_LABELS:
            problems.append((msg("name must be one of: %(choices)s.", choices=_SIDE_EFFECT_NAMES),
                             msg("Name must be one of: %(choices)s.", choices=_SIDE_EFFECT_NAMES)))
        severity = value.get("severity")
        if severity is not None and (not isinstance(severity, str) or severity not in SEVERITIES):
            problems.append((msg("severity must be mild, moderate, severe or null."),
                             msg("Severity must be mild, moderate, severe or null.")))
        hours = None
        try:
            hours = _HOURS.deserialize(value.get("hours"))
        except ValidationError:
            problems.append((msg("hours must be a number more than 0 and at most %(max)s, or null.",
                                 max=MAX_SIDE_EFFECT_HOURS),
                             msg("Hours must be a number more than 0 and at most %(max)s, or null.",
                                 max=MAX_SIDE_EFFECT_HOURS)))
        if problems:
            label = SIDE_EFFECT_LABELS.get(name) if isinstance(name, str) else None
            raise refused(*(msg("%(side_effect)s: %(problem)s", side_effect=label, problem=after) if label else alone
                            for after, alone in problems))
        return {"name": name, "severity": severity, "hours": hours}


def _each_name_once(effects: list[dict[str, Any]]) -> None:
    """The same side effect twice with different details is refused (an exact repeat is dropped)."""
    first: dict[str, dict[str, Any]] = {}
    errors: dict[int, list[Msg]] = {}
    for index, effect in enumerate(effects):
        earlier = first.setdefault(effect["name"], effect)
        if earlier is not effect and earlier != effect:
            errors[index] = [msg("%(side_effect)s is listed more than once: list it once, with its severity and hours.",
                                 side_effect=SIDE_EFFECT_LABELS[effect["name"]])]
    if errors:
        raise ValidationError(errors)


def side_effect_list(**kwargs: Any) -> fields.List[dict[str, Any]]:
    return fields.List(
        SideEffect(metadata={"oneOf": [
            {"type": "string", "enum": list(SIDE_EFFECT_LABELS)},
            {"type": "object", "required": ["name"], "additionalProperties": False, "properties": {
                "name": {"type": "string", "enum": list(SIDE_EFFECT_LABELS)},
                "severity": {"type": "string", "enum": list(SEVERITIES), "nullable": True},
                "hours": {"type": "number", "exclusiveMinimum": True, "minimum": 0,
                          "maximum": MAX_SIDE_EFFECT_HOURS, "nullable": True},
            }},
        ]}),
        validate=_each_name_once,
        metadata={"description": "Names (the original form), or {name, severity, hours} objects; "
                                 "each side effect at most once."},
        **kwargs,
    )


def blood_pressure(part: str) -> WholeNumber:
    low, high = SYSTOLIC_RANGE if part == "systolic" else DIASTOLIC_RANGE
    message = msg("Must be a whole number from {min} to {max} (mmHg), or null.").format(min=low, max=high)
    return WholeNumber(
        load_default=None, allow_none=True, validate=Range(low, high, error=message),
        error_messages={"invalid": [message]},
        metadata={"description": f"{part.capitalize()} blood pressure, mmHg", "minimum": low, "maximum": high},
    )


def _positive_number(message: Msg, maximum: float, description: str) -> fields.Float:
    return fields.Float(
        load_default=None, allow_none=True,
        validate=Range(0, maximum, min_inclusive=False, error=message),
        error_messages={"invalid": [message]}, metadata={"description": description},
    )


class SessionIn(DatedSchema):
    """A treatment session (POST); ``SessionPatch(current=...)`` for PATCH.

    :param current: for a PATCH, the stored session: the dose and blood pressure rules are
        checked on the session as it will be once the changes are applied.
    """

    id = fields.UUID(metadata={"description": "Client-generated UUID; makes the create idempotent."})
    time = time_of_day()
    treatment = fields.String(
        required=True,
        validate=OneOf(TREATMENTS, error=msg("Must be one of: {choices}.")),
        metadata={"enum": list(TREATMENTS)},
    )
    dose_unit = fields.String(
        load_default=None, allow_none=True,
        validate=OneOf(DOSE_UNITS, error=msg("Must be mg or mg/kg (or null for no dose).")),
        metadata={"enum": list(DOSE_UNITS), "description": "The unit dose_value is in"},
    )
    dose_value = _positive_number(
        msg("Must be a number more than 0 and at most {mg} (mg) or {mg_per_kg} (mg/kg).").format(
            mg=MAX_DOSE_MG, mg_per_kg=MAX_DOSE_MG_PER_KG),
        MAX_DOSE_MG, "The dose as given, in dose_unit")
    weight_kg = fields.Float(
        load_default=None, allow_none=True,
        validate=Range(MIN_WEIGHT_KG, MAX_WEIGHT_KG, error=WEIGHT_ERROR),
        error_messages={"invalid": [WEIGHT_ERROR]},
        metadata={"description": "The patient's weight in kg (needed with mg/kg)"},
    )
    dose_mg = fields.Float(
        load_default=None, allow_none=True,
        validate=Range(0, MAX_DOSE_MG, min_inclusive=False, error=msg("Must be more than 0 and at most {max} mg.")),
        error_messages={"invalid": [msg("Must be a number of milligrams.")]},
        metadata={"description": "The dose in mg. Sent alone (no dose_unit/dose_value), it is the dose in mg; "
                                 "with mg/kg the server works it out (a different value is refused)."},
    )
    anxiety_before = anxiety(required=True)
    anxiety_after = anxiety(required=True)
    side_effects = side_effect_list(load_default=list)
    bp_before_systolic = blood_pressure("systolic")
    bp_before_diastolic = blood_pressure("diastolic")
    bp_after_systolic = blood_pressure("systolic")
    bp_after_diastolic = blood_pressure("diastolic")
    reflection = free_text("What came up, what I want to remember.")
    private = fields.Boolean(load_default=False, metadata={"description": "Hidden from providers."})

    def __init__(self, *args: Any, current: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current or {}

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _rules_across_fields(self, data: dict[str, Any], original: Any, **kwargs: Any) -> None:
        """The dose and blood pressure rules, checked alongside the fields' own errors (so a form
        shows every problem at once), skipping a group whose own fields already failed."""
        failed = set(original) - set(data) if isinstance(original, dict) else set()
        problems: dict[str, Any] = {}
        if not failed & set(DOSE_FIELDS):
            try:
                resolve_dose(data, self.current)
            except ValidationError as error:
                problems.update(error.messages_dict)
        for field, messages in blood_pressure_problems(data, self.current).items():
            when = field.split("_")[1]
            if not failed & {f"bp_{when}_systolic", f"bp_{when}_diastolic"}:
                problems[field] = messages
        if problems:
            raise ValidationError(problems)

    @post_load
    def _resolve(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        data.update(resolve_dose(data, self.current))  # valid by now: fills in dose_mg and the unit
        if "side_effects" in data:
            unique = {effect["name"]: effect for effect in data["side_effects"]}
            data["side_effects"] = [unique[name] for name in sorted(unique)]
        return data


def resolve_dose(given: Mapping[str, Any], current: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The four stored dose fields once ``given`` (validated input) is applied to ``current``.

    Returns ``{}`` when ``given`` touches none of them. Raises ValidationError naming the field.
    """
    current = current or {}
    if not any(name in given for name in DOSE_FIELDS):
        return {}
    weight = given.get("weight_kg", current.get("weight_kg"))
    sent_mg = given.get("dose_mg")
    if given.get("dose_unit") is None and given.get("dose_value") is None and "dose_mg" in given:
        # dose_mg alone (clients from before dose units): the dose in mg, or null for no dose.
        return {"dose_unit": None if sent_mg is None else "mg", "dose_value": sent_mg,
                "weight_kg": weight, "dose_mg": sent_mg}
    unit = given.get("dose_unit", current.get("dose_unit"))
    value = given.get("dose_value", current.get("dose_value"))
    if unit is None and value is None:
        return {"dose_unit": None, "dose_value": None, "weight_kg": weight, "dose_mg": None}
    if unit is None:
        raise ValidationError({"dose_unit": [msg("Choose mg or mg/kg for the dose.")]})
    if value is None and unit == "mg" and sent_mg is not None:
        value = sent_mg
    if value is None:
        raise ValidationError({"dose_value": [msg("Give the dose in %(unit)s, or leave the unit out.", unit=unit)]})
    if unit == "mg":
        dose_mg = value  # at most MAX_DOSE_MG: the field's own range
    else:
        problems = {}
        if value > MAX_DOSE_MG_PER_KG:
            problems["dose_value"] = [msg("Must be more than 0 and at most %(max)s mg/kg.", max=MAX_DOSE_MG_PER_KG)]
        if weight is None:
            problems["weight_kg"] = [msg("Give the weight in kg: the dose is in mg/kg.")]
        if problems:
            raise ValidationError(problems)
        dose_mg = round(value * weight, 2)
        if dose_mg > MAX_DOSE_MG:
            raise ValidationError({"dose_value": [
                msg("%(dose)s mg/kg at %(weight)s kg is %(dose_mg)s mg, more than %(max)s mg.", dose=format(value, "g"),
                    weight=format(weight, "g"), dose_mg=format(dose_mg, "g"), max=MAX_DOSE_MG)]})
    if sent_mg is not None and not math.isclose(sent_mg, dose_mg, abs_tol=0.005):
        given = {"dose_mg": format(dose_mg, "g"), "dose": format(value, "g")}
        raise ValidationError({"dose_mg": [
            msg("Must be %(dose_mg)s (%(dose)s mg/kg at %(weight)s kg), or left out: the server works it out.",
                weight=format(weight, "g"), **given) if unit == "mg/kg" else
            msg("Must be %(dose_mg)s (%(dose)s mg), or left out: the server works it out.", **given)]})
    return {"dose_unit": unit, "dose_value": value, "weight_kg": weight, "dose_mg": dose_mg}


def blood_pressure_problems(given: Mapping[str, Any], current: Mapping[str, Any] | None = None) -> dict[str, list[Msg]]:
    """``{field: [message]}`` for readings with one number missing, or systolic not above diastolic."""
    current = current or {}
    problems = {}
    for when in BP_READINGS:
        high, low = f"bp_{when}_systolic", f"bp_{when}_diastolic"
        if high not in given and low not in given:
            continue
        systolic, diastolic = given.get(high, current.get(high)), given.get(low, current.get(low))
        both = (msg("Give both numbers of the reading before the session (systolic and diastolic).") if when == "before"
                else msg("Give both numbers of the reading after the session (systolic and diastolic)."))
        if systolic is None and diastolic is not None:
            problems[high] = [both]
        elif diastolic is None and systolic is not None:
            problems[low] = [both]
        elif systolic is not None and systolic <= diastolic:
            problems[high] = [msg("Must be higher than the diastolic reading (%(diastolic)s).", diastolic=diastolic)]
    return problems


class SessionPatch(SessionIn):
    """A PATCH: any of SessionIn's fields but the id, none required.

    :param current: the stored session (the rules across fields apply to it once changed).
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(partial=True, exclude=("id",), **kwargs)


class SideEffectOut(Schema):
    name = fields.String(metadata={"enum": list(SIDE_EFFECT_LABELS)})
    severity = fields.String(allow_none=True, metadata={"enum": list(SEVERITIES)})
    hours = fields.Float(allow_none=True)


class SessionOut(Schema):
    id = fields.String(metadata={"format": "uuid"})
    date = fields.String(metadata={"format": "date"})
    time = fields.String(allow_none=True, metadata={"description": "Local time of day, HH:MM, or null"})
    treatment = fields.String(metadata={"enum": list(TREATMENTS)})
    dose_mg = fields.Float(allow_none=True, metadata={"description": "The dose in mg (for mg/kg: value x weight)"})
    dose_unit = fields.String(allow_none=True, metadata={"enum": list(DOSE_UNITS)})
    dose_value = fields.Float(allow_none=True)
    weight_kg = fields.Float(allow_none=True)
    anxiety_before = fields.Integer(allow_none=True)
    anxiety_after = fields.Integer(allow_none=True)
    side_effects = fields.List(fields.Nested(SideEffectOut))
    bp_before_systolic = fields.Integer(allow_none=True)
    bp_before_diastolic = fields.Integer(allow_none=True)
    bp_after_systolic = fields.Integer(allow_none=True)
    bp_after_diastolic = fields.Integer(allow_none=True)
    reflection = fields.String()
    private = fields.Boolean()
    created_at = fields.String(metadata={"format": "date-time"})
    updated_at = fields.String(metadata={"format": "date-time"})
    support = support_field()


class SessionListOut(Schema):
    sessions = fields.List(fields.Nested(SessionOut))


class SessionQuery(DateRangeQuery):
    """Filters for a list of sessions (query string)."""
