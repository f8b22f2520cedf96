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
SCOPE_LABELS = {
    "scores": "Scores only: anxiety scores, triggers and session ratings",
    "full": "Everything shared: also my notes and reflections",
}
