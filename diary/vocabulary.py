"""The words the app shares between layers: treatments, side effects, sharing scopes, and their
labels. Imports nothing, so schemas, the store and templates can all use it (DESIGN §1).

Adding a treatment also needs a migration: the table's CHECK constraint freezes the list."""

TREATMENTS = (
    "iv_ketamine", "im_ketamine", "esketamine_nasal", "oral_ketamine", "psychotherapy", "other",
)
TREATMENT_LABELS = {
    "iv_ketamine": "IV ketamine infusion",
    "im_ketamine": "IM ketamine injection",
    "esketamine_nasal": "Esketamine nasal spray",
    "oral_ketamine": "Oral / sublingual ketamine",
    "psychotherapy": "Psychotherapy",
    "other": "Other",
}
SIDE_EFFECT_LABELS = {
    "nausea": "Nausea",
    "dizziness": "Dizziness",
    "dissociation": "Dissociation",
    "confusion": "Confusion",
    "headache": "Headache",
    "altered_time_perception": "Altered time perception",
    "elevated_blood_pressure": "Elevated blood pressure",
    "other": "Other",
}

# scope "scores": scores and session numbers only; "full": also notes and reflections.
SCOPES = ("scores", "full")
# Exactly what each scope shares (tests/test_hardening.py holds the provider's page to it).
SCOPE_LABELS = {
    "scores": "Scores only: anxiety scores and triggers, sessions (treatment, dose, ratings, side effects, "
              "blood pressure) and questionnaires; not your notes, reflections or safety plan",
    "full": "Everything: anxiety scores and triggers, sessions (treatment, dose, ratings, side effects, "
            "blood pressure), questionnaires, and your notes, reflections and safety plan",
}
SIDE_EFFECT_SEVERITIES = ("mild", "moderate", "severe")


def with_side_effect_details(name, effect):
    """``name`` followed by what is known of ``effect`` ({name, severity, hours}) in brackets:
    "nausea (moderate, 2 h)", "dizziness (1.5 h)", or the name alone."""
    details = [effect["severity"]] if effect.get("severity") else []
    if effect.get("hours") is not None:
        details.append(f"{effect['hours']:.15g} h")
    return f"{name} ({', '.join(details)})" if details else name


def describe_side_effect(effect):
    """A side effect in words, for people: "Nausea (moderate, 2 h)", "Headache"."""
    return with_side_effect_details(SIDE_EFFECT_LABELS.get(effect["name"], effect["name"]), effect)
