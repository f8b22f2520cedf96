"""A patient's diary as a FHIR R4 Bundle (type "collection"). Coding choices: docs/FHIR.md.

Built from parts (patient, check-in observations, session procedures) so that questionnaire
results (GAD-7, PHQ-9 as QuestionnaireResponse + Observation) can be added as one more part.
"""
import uuid

from .schemas.sessions import SIDE_EFFECT_LABELS, TREATMENT_LABELS

# Our own code systems under ``base`` (the FHIR_SYSTEM_BASE setting): no LOINC or SNOMED CT
# term means "self-rated anxiety, 0-10, free numeric rating scale", and inventing one would
# mislead a receiving system.
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
UCUM = "http://unitsofmeasure.org"
# Stable ids: the same record always gets the same fullUrl, across exports.
_NAMESPACE = uuid.UUID("6f1c7a52-3a5e-4b8e-9d0c-2f4b1f7c9a10")


def resource_uuid(kind, key):
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{key}"))


def _anxiety_code(base, code, display):
    return {"coding": [{"system": f"{base}/CodeSystem/diary-observation", "code": code, "display": display}],
            "text": display}


def patient_resource(user):
    return {
        "resourceType": "Patient",
        "id": resource_uuid("patient", user["id"]),
        "name": [{"text": user["display_name"]}],
        "telecom": [{"system": "email", "value": user["email"]}],
    }


def _survey_observation(base, patient_ref, obs_id, code, display, date, value, extra=None):
    return {
        "resourceType": "Observation",
        "id": obs_id,
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": _anxiety_code(base, code, display),
        "subject": {"reference": patient_ref},
        "effectiveDateTime": date,
        "valueInteger": value,
        **(extra or {}),
    }


def checkin_observation(base, patient_ref, entry):
    """One check-in: the 0-10 score, its triggers as components, the note as an annotation."""
    extra = {"issued": entry["created_at"]}
    if entry["triggers"]:
        extra["component"] = [{"code": {"text": "Trigger"}, "valueString": name} for name in entry["triggers"]]
    if entry["note"]:
        extra["note"] = [{"text": entry["note"]}]
    return _survey_observation(base, patient_ref, resource_uuid("entry", entry["id"]), "anxiety-0-10",
                               "Self-rated anxiety (0-10)", entry["date"], entry["anxiety"], extra)


def session_resources(base, patient_ref, session):
    """A session: a Procedure, and the anxiety before and after as Observations part of it."""
    procedure_id = resource_uuid("session", session["id"])
    label = TREATMENT_LABELS[session["treatment"]]
    procedure = {
        "resourceType": "Procedure",
        "id": procedure_id,
        "status": "completed",
        "code": {"coding": [{"system": f"{base}/CodeSystem/treatment", "code": session["treatment"],
                             "display": label}], "text": label},
        "subject": {"reference": patient_ref},
        "performedDateTime": session["date"],
    }
    if session["dose_mg"] is not None:
        procedure["extension"] = [{"url": f"{base}/StructureDefinition/dose",
                                   "valueQuantity": {"value": session["dose_mg"], "unit": "mg", "system": UCUM,
                                                     "code": "mg"}}]
    if session["side_effects"]:
        procedure["complication"] = [{"text": SIDE_EFFECT_LABELS[effect]} for effect in session["side_effects"]]
    if session["reflection"]:
        procedure["note"] = [{"text": session["reflection"]}]
    resources = [procedure]
    part_of = {"partOf": [{"reference": f"urn:uuid:{procedure_id}"}]}
    for when in ("before", "after"):
        value = session[f"anxiety_{when}"]
        if value is not None:
            resources.append(_survey_observation(
                base, patient_ref, resource_uuid(f"session-{when}", session["id"]), f"anxiety-{when}-session",
                f"Self-rated anxiety {when} the session (0-10)", session["date"], value, part_of))
    return resources


def bundle(user, entries, sessions, *, base, timestamp=None):
    """The Bundle: the Patient first, then check-ins and sessions in date order."""
    patient = patient_resource(user)
    patient_ref = f"urn:uuid:{patient['id']}"
    resources = [patient]
    resources += [checkin_observation(base, patient_ref, entry) for entry in entries]
    for session in sessions:
        resources += session_resources(base, patient_ref, session)
    result = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }
    if timestamp:
        result["timestamp"] = timestamp
    return result
