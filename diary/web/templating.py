"""Jinja filters and globals used across templates."""
import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

from flask import Flask

from ..config.crisis_contacts import EMERGENCY, dial
from ..insights import triggers
from ..insights.questionnaires import ANSWER_LABELS, DIFFICULTY_ANSWERS, INSTRUMENTS, SEVERITY_LABELS
from ..insights.reliable_change import RELIABLE_LABELS
from ..messages import Msg, msg
from ..schemas.accounts import DELETE_CONFIRMATION
from ..schemas.assessments import PLAN_STEPS
from ..timeutil import local_date
from ..vocabulary import (
    LANGUAGE_NAMES,
    SCHEDULE_LABELS,
    SIDE_EFFECT_LABELS,
    SIDE_EFFECT_SEVERITIES,
    SUGGESTED_TRIGGERS,
    TREATMENT_LABELS,
    describe_side_effect,
)
from . import i18n, js_words, support

_V = TypeVar("_V")


def nice_date(value: _V) -> str | _V:
    """'2026-12-03' -> 'Thu 3 Dec' ('Wed 3 Dec 2025' when not the reader's this year), in the
    reader's language ('jue 3 dic')."""
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return value
    return i18n.nice_day(day)


def when(utc_stamp: str | None) -> str:
    """A stored UTC stamp in the reader's zone, named: 'Thu 3 Dec, 14:05 (Europe/London)'."""
    return i18n.nice_time(utc_stamp) if utc_stamp else ""


def day_of(utc_stamp: str | None) -> str | dt.date:
    """The reader's local calendar day of a stored UTC stamp, as nice_date."""
    return nice_date(local_date(utc_stamp, i18n.viewer_timezone())) if utc_stamp else ""


def number(value: _V) -> str | _V:
    """A float as typed: 35.0 -> '35', 36.71234 -> '36.71234' (never rounded to 6 digits)."""
    return f"{value:.15g}" if isinstance(value, (int, float)) else value


def anxiety_band(value: float | None) -> str:
    """CSS band for a score: calm (0-3), moderate (4-6), high (7-10)."""
    if value is None:
        return "none"
    return "calm" if value <= 3 else "moderate" if value <= 6 else "high"


def since_baseline(label: Mapping[str, Any] | None) -> Msg | str:
    """A result against its baseline in a table cell: "Reliably better: down 5 from 14 (before
    treatment) · response"; "—" for the baseline itself (docs/INSIGHTS.md)."""
    if not label:
        return "—"
    change = label["change"]
    values = {"verdict": RELIABLE_LABELS[label["reliable"]], "change": abs(change), "baseline": label["baseline_total"]}
    before = label["baseline_source"] == "before_treatment"
    if change < 0:
        text = (msg("%(verdict)s: down %(change)s from %(baseline)s (before treatment)", **values) if before else
                msg("%(verdict)s: down %(change)s from %(baseline)s (first result)", **values))
    elif change > 0:
        text = (msg("%(verdict)s: up %(change)s from %(baseline)s (before treatment)", **values) if before else
                msg("%(verdict)s: up %(change)s from %(baseline)s (first result)", **values))
    else:
        text = (msg("%(verdict)s: no change from %(baseline)s (before treatment)", **values) if before else
                msg("%(verdict)s: no change from %(baseline)s (first result)", **values))
    if label["response"]:
        text = msg("%(text)s · response", text=text)
    if label["remission"]:
        text = msg("%(text)s · remission", text=text)
    return text


def dose(session: Mapping[str, Any]) -> Msg | str:
    """A session's dose as given, the same everywhere: '35 mg', or '0.5 mg/kg (35 mg at 70 kg)';
    '' without a dose."""
    mg = session.get("dose_mg")
    if mg is None:
        return ""
    if session.get("dose_unit") == "mg/kg":
        return msg("%(per_kg)s mg/kg (%(mg)s mg at %(weight)s kg)", per_kg=number(session["dose_value"]),
                   mg=number(mg), weight=number(session["weight_kg"]))
    return f"{number(mg)} mg"


def blood_pressure(session: Mapping[str, Any]) -> Msg | str:
    """'BP 128/82 → 141/90', 'BP 128/82 before', 'BP 141/90 after', or '' without readings."""
    readings = {when: f"{session[f'bp_{when}_systolic']}/{session[f'bp_{when}_diastolic']}"
                for when in ("before", "after") if session.get(f"bp_{when}_systolic") is not None}
    if len(readings) == 2:
        return msg("BP %(before)s → %(after)s", **readings)
    if "before" in readings:
        return msg("BP %(reading)s before", reading=readings["before"])
    if "after" in readings:
        return msg("BP %(reading)s after", reading=readings["after"])
    return ""


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(nice_date=nice_date, anxiety_band=anxiety_band, number=number, dial=dial,
                                 dose=dose, blood_pressure=blood_pressure, side_effect=describe_side_effect,
                                 when=when, day_of=day_of,
                                 date_span=i18n.nice_span, since_baseline=since_baseline,
                                 for_clinician=triggers.for_clinician)
    app.jinja_env.globals.update(
        TREATMENT_LABELS=TREATMENT_LABELS, SIDE_EFFECT_LABELS=SIDE_EFFECT_LABELS, INSTRUMENTS=INSTRUMENTS,
        SIDE_EFFECT_SEVERITIES=SIDE_EFFECT_SEVERITIES,
        SEVERITY_LABELS=SEVERITY_LABELS, ANSWER_LABELS=ANSWER_LABELS, DIFFICULTY_ANSWERS=DIFFICULTY_ANSWERS,
        PLAN_STEPS=PLAN_STEPS, SCHEDULE_LABELS=SCHEDULE_LABELS,
        PLAN_LABELS={name: label for name, label, _ in PLAN_STEPS},
        EMERGENCY=EMERGENCY, take_support_card=support.take, js_words=js_words.words,
        current_language=i18n.language, LANGUAGE_NAMES=LANGUAGE_NAMES, SUGGESTED_TRIGGERS=SUGGESTED_TRIGGERS,
        DELETE_CONFIRMATION=DELETE_CONFIRMATION,
        crisis_contacts=support.contacts,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
