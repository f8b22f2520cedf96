"""Jinja filters and globals used across templates."""
import datetime as dt

from . import support
from .crisis_contacts import EMERGENCY, dial
from .insights import crisis
from .insights.questionnaires import ANSWER_LABELS, DIFFICULTY_ANSWERS, INSTRUMENTS, SEVERITY_LABELS
from .schemas.assessments import PLAN_STEPS
from .vocabulary import SIDE_EFFECT_LABELS, TREATMENT_LABELS


def nice_date(value):
    """'2026-11-23' -> 'Mon 23 Nov 2026'."""
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return value
    return f"{day:%a} {day.day} {day:%b %Y}"


def number(value):
    """A float as typed: 35.0 -> '35', 36.71234 -> '36.71234' (never rounded to 6 digits)."""
    return f"{value:.15g}" if isinstance(value, (int, float)) else value


def anxiety_band(value):
    """CSS band for a score: calm (0-3), moderate (4-6), high (7-10)."""
    if value is None:
        return "none"
    return "calm" if value <= 3 else "moderate" if value <= 6 else "high"


def init_app(app):
    app.jinja_env.filters.update(nice_date=nice_date, anxiety_band=anxiety_band, number=number, dial=dial)
    app.jinja_env.globals.update(
        TREATMENT_LABELS=TREATMENT_LABELS, SIDE_EFFECT_LABELS=SIDE_EFFECT_LABELS, INSTRUMENTS=INSTRUMENTS,
        SEVERITY_LABELS=SEVERITY_LABELS, ANSWER_LABELS=ANSWER_LABELS, DIFFICULTY_ANSWERS=DIFFICULTY_ANSWERS, PLAN_STEPS=PLAN_STEPS,
        PLAN_LABELS={name: label for name, label, _ in PLAN_STEPS},
        EMERGENCY=EMERGENCY, take_support_card=support.take, crisis_patterns=crisis.JS_PATTERNS,
        crisis_contacts=lambda: app.config["CRISIS_CONTACTS"],
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
