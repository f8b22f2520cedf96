"""The words the app shares between layers: treatments, side effects, sharing scopes, and their
labels. Imports only diary.messages, so schemas, the store and templates can all use it
(docs/ARCHITECTURE.md). Each label is a message, worded in the reader's language where it is shown.

Adding a treatment also needs a migration: the table's CHECK constraint freezes the list."""
from collections.abc import Mapping
from typing import Any

from .messages import Msg, context_msg, msg

# The languages the app speaks, each named in itself (never translated: the switch must be readable
# to someone who can't read the page's language).
LANGUAGES = ("en", "es")
LANGUAGE_NAMES = {"en": "English", "es": "Español"}

TREATMENTS = (
    "iv_ketamine", "im_ketamine", "esketamine_nasal", "oral_ketamine", "psychotherapy", "other",
)
TREATMENT_LABELS = {
    "iv_ketamine": msg("IV ketamine infusion"),
    "im_ketamine": msg("IM ketamine injection"),
    "esketamine_nasal": msg("Esketamine nasal spray"),
    "oral_ketamine": msg("Oral / sublingual ketamine"),
    "psychotherapy": msg("Psychotherapy"),
    "other": msg("Other"),
}
SIDE_EFFECT_LABELS = {
    "nausea": msg("Nausea"),
    "dizziness": msg("Dizziness"),
    "dissociation": msg("Dissociation"),
    "confusion": msg("Confusion"),
    "headache": msg("Headache"),
    "altered_time_perception": msg("Altered time perception"),
    "elevated_blood_pressure": msg("Elevated blood pressure"),
    "other": msg("Other"),
}

# The triggers offered before a patient has any of their own, in the reader's language (a chip
# ticked is stored as the word shown: from then on it is the patient's own trigger).
SUGGESTED_TRIGGERS = (msg("work"), msg("sleep"), msg("social"), msg("health"), msg("money"), msg("caffeine"),
                      msg("family"), msg("news"))

# scope "scores": scores and session numbers only; "full": also notes and reflections.
SCOPES = ("scores", "full")
# Exactly what each scope shares (tests/test_hardening.py holds the provider's page to it).
SCOPE_LABELS = {
    "scores": msg("Scores only: anxiety scores and triggers, sessions (treatment, dose, ratings, side effects, "
                  "blood pressure) and questionnaires; not your notes, reflections or safety plan, nor the words of a "
                  "trigger about ending your life or hurting yourself"),
    "full": msg("Everything: anxiety scores and triggers, sessions (treatment, dose, ratings, side effects, "
                "blood pressure), questionnaires, and your notes, reflections and safety plan"),
}
# What a "scores only" provider sees in place of a trigger name that carries crisis language (the
# patient's own words, which that scope doesn't share; the safety flag says that it happened).
WITHHELD_TRIGGER = msg("(words not shown)")
SIDE_EFFECT_SEVERITIES = ("mild", "moderate", "severe")


def with_side_effect_details(name: str, effect: Mapping[str, Any]) -> str:
    """``name`` followed by what is known of ``effect`` ({name, severity, hours}) in brackets, as
    the CSV export writes it, in codes: "nausea (moderate, 2 h)", "dizziness (1.5 h)", or the name alone."""
    details = [effect["severity"]] if effect.get("severity") else []
    if effect.get("hours") is not None:
        details.append(_hours(effect))
    return f"{name} ({', '.join(details)})" if details else name


def _hours(effect: Mapping[str, Any]) -> str:
    """How long a side effect lasted, as typed: "2 h", "1.5 h"."""
    return f"{effect['hours']:.15g} h"


SIDE_EFFECT_SEVERITY_LABELS = {"mild": context_msg("side effect", "mild"),
                               "moderate": context_msg("side effect", "moderate"),
                               "severe": context_msg("side effect", "severe")}


def describe_side_effect(effect: Mapping[str, Any]) -> Msg | str:
    """A side effect in words, for people: "Nausea (moderate, 2 h)", "Headache"."""
    name = SIDE_EFFECT_LABELS.get(effect["name"], effect["name"])
    details: list[Msg | str] = [SIDE_EFFECT_SEVERITY_LABELS[effect["severity"]]] if effect.get("severity") else []
    if effect.get("hours") is not None:
        details.append(_hours(effect))
    if not details:
        return name
    if len(details) == 1:
        return msg("%(side_effect)s (%(detail)s)", side_effect=name, detail=details[0])
    return msg("%(side_effect)s (%(severity)s, %(hours)s)", side_effect=name, severity=details[0], hours=details[1])


# When a clinician may ask for the GAD-7 and PHQ-9 (store/schedules.py), in their words and the patient's.
SCHEDULE_CADENCES = {"weekly": 7, "fortnightly": 14, "four_weekly": 28, "after_session": None}
SCHEDULE_LABELS = {"default": msg("The patient's own: every 2 weeks and on each session day"),
                   "weekly": msg("Every week"), "fortnightly": msg("Every 2 weeks"),
                   "four_weekly": msg("Every 4 weeks"), "after_session": msg("The day after each session")}

# How the access log reads to the patient, per audit action.
AUDIT_ACTION_LABELS = {
    "share.redeemed": msg("started seeing your diary (used your share code)"),
    "provider.dashboard": msg("saw your summary on their dashboard"),
    "provider.outcomes": msg("counted your scores in an outcomes report of their practice"),
    "provider.schedule_set": msg("set when your questionnaires are due"),
    "provider.patient_page": msg("viewed your diary"),
    "api.patients": msg("saw your summary in their patient list (API)"),
    "api.patient_trends": msg("read your trends (API)"),
    "api.patient_entries": msg("read your check-ins (API)"),
    "export.entries_csv": msg("exported your check-ins as CSV"),
    "safety.acknowledged": msg("acknowledged a safety alert (a self-harm answer or crisis words)"),
}
