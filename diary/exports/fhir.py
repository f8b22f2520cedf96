"""A patient's diary as a FHIR R4 Bundle (type "collection"). Coding choices: docs/FHIR.md.

Built from parts: the patient, check-in observations, session procedures, and questionnaire
results (GAD-7, PHQ-9) as a QuestionnaireResponse plus an Observation for the total.
"""
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..insights.questionnaires import (
    ANSWER_CODES,
    ANSWER_LABELS,
    DIFFICULTY_ANSWERS,
    INSTRUMENTS,
    SEVERITY_LABELS,
    Instrument,
)
from ..messages import Official
from ..vocabulary import TREATMENT_LABELS, describe_side_effect
from . import json_stream

# Our own code systems under ``base`` (the FHIR_SYSTEM_BASE setting): no LOINC or SNOMED CT
# term means "self-rated anxiety, 0-10, free numeric rating scale", and inventing one would
# mislead a receiving system.
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# HL7 v3 ObservationInterpretation: "B" Better, "W" Worse ("the current result has improved /
# worsened compared to the previous one, the change significant as the test procedure defines it"):
# a reliable change against the baseline (insights/reliable_change.py).
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
RELIABLE_CODES = {"improvement": ("B", "Better"), "deterioration": ("W", "Worse")}
UCUM = "http://unitsofmeasure.org"
LOINC = "http://loinc.org"
# QuestionnaireResponse.language, by the language a form was answered in.
FORM_LANGUAGES = {"en": "en-US", "es": "es-US"}
# The media type names the FHIR version (https://hl7.org/fhir/R4/http.html#version-parameter).
MEDIA_TYPE = "application/fhir+json; fhirVersion=4.0"
# LOINC's display names for the total-score codes (loinc.org/70274-6, loinc.org/44261-6).
TOTAL_DISPLAYS = {
    "gad7": "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
    "phq9": "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
}
# Stable ids: the same record always gets the same fullUrl, across exports.
_NAMESPACE = uuid.UUID("6f1c7a52-3a5e-4b8e-9d0c-2f4b1f7c9a10")


def resource_uuid(kind: str, key: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{key}"))


def _anxiety_code(base: str, code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": f"{base}/CodeSystem/diary-observation", "code": code, "display": display}],
            "text": display}


def patient_resource(base: str, user: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": resource_uuid("patient", user["id"]),
        "identifier": [{"system": f"{base}/patient-id", "value": str(user["id"])}],
        "name": [{"text": user["display_name"]}],
        "telecom": [{"system": "email", "value": user["email"]}],
    }


def _observation(patient_ref: str, obs_id: str, code: Mapping[str, Any], record: Mapping[str, Any], value: int,
                 extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A survey Observation the patient reported: effective on the record's date, issued when saved."""
    return {
        "resourceType": "Observation",
        "id": obs_id,
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": code,
        "subject": {"reference": patient_ref},
        "effectiveDateTime": record["date"],
        "issued": record["created_at"],
        "performer": [{"reference": patient_ref}],
        "valueInteger": value,
        **(extra or {}),
    }


def _survey_observation(base: str, patient_ref: str, obs_id: str, code: str, display: str, record: Mapping[str, Any],
                        value: int, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return _observation(patient_ref, obs_id, _anxiety_code(base, code, display), record, value, extra)


def checkin_observation(base: str, patient_ref: str, entry: Mapping[str, Any]) -> dict[str, Any]:
    """One check-in: the 0-10 score, its triggers as components, the note as an annotation."""
    extra = {}
    if entry["triggers"]:
        extra["component"] = [{"code": {"text": "Trigger"}, "valueString": name} for name in entry["triggers"]]
    if entry["note"]:
        extra["note"] = [{"text": entry["note"]}]
    return _survey_observation(base, patient_ref, resource_uuid("entry", entry["id"]), "anxiety-0-10",
                               "Self-rated anxiety (0-10)", entry, entry["anxiety"], extra)


def session_resources(base: str, patient_ref: str, session: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A session: a Procedure, and the anxiety before and after as Observations part of it."""
    procedure_id = resource_uuid("session", session["id"])
    label = TREATMENT_LABELS[session["treatment"]]
    procedure = {
        "resourceType": "Procedure",
        "id": procedure_id,
        "status": "completed",
        # The code's display is the code system's own (English); the text is the reader's.
        "code": {"coding": [{"system": f"{base}/CodeSystem/treatment", "code": session["treatment"],
                             "display": label.english()}], "text": str(label)},
        "subject": {"reference": patient_ref},
        "performedDateTime": session["date"],
    }
    if session["dose_mg"] is not None:
        procedure["extension"] = [{"url": f"{base}/StructureDefinition/dose",
                                   "valueQuantity": {"value": session["dose_mg"], "unit": "mg", "system": UCUM,
                                                     "code": "mg"}}]
    if session["side_effects"]:
        procedure["complication"] = [{"text": str(describe_side_effect(effect))} for effect in session["side_effects"]]
    if session["reflection"]:
        procedure["note"] = [{"text": session["reflection"]}]
    resources = [procedure]
    part_of = {"partOf": [{"reference": f"urn:uuid:{procedure_id}"}]}
    for when in ("before", "after"):
        value = session[f"anxiety_{when}"]
        if value is not None:
            resources.append(_survey_observation(
                base, patient_ref, resource_uuid(f"session-{when}", session["id"]), f"anxiety-{when}-session",
                f"Self-rated anxiety {when} the session (0-10)", session, value, part_of))
    return resources


def _loinc(code: str, display: str | Official) -> dict[str, str]:
    # LOINC's own display names are English, whatever language the form was answered in.
    return {"system": LOINC, "code": code, "display": display.english() if isinstance(display, Official) else display}


def _answered_item(link_id: str, text: str, coding: Mapping[str, str]) -> dict[str, Any]:
    return {"linkId": link_id, "text": text, "answer": [{"valueCoding": coding}]}


def questionnaire_items(instrument: Instrument, assessment: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One item per question, linkId = the item's LOINC code, its text as the form the patient
    answered worded it (the assessment's ``language``); the difficulty question when answered."""
    language = assessment.get("language") or "en"
    items = [
        _answered_item(instrument.item_loinc[number], wording.in_language(language),
                       _loinc(ANSWER_CODES[answer], ANSWER_LABELS[answer]))
        for number, (wording, answer) in enumerate(zip(instrument.items, assessment["answers"]), start=1)
    ]
    if assessment["difficulty"] is not None:
        label, code = DIFFICULTY_ANSWERS[assessment["difficulty"]]
        # GAD-7 has no LOINC code for this question in its panel: a stable local linkId instead.
        items.append(_answered_item(instrument.difficulty_loinc or "difficulty",
                                    instrument.difficulty.in_language(language), _loinc(code, label)))
    return items


def assessment_resources(patient_ref: str, assessment: Mapping[str, Any],
                         since_baseline: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """A GAD-7 or PHQ-9: the answers as a QuestionnaireResponse, the total as an Observation (its
    interpretation: the severity band, and Better or Worse for a reliable change since the baseline,
    ``since_baseline``: insights.reliable_change.SinceBaseline.as_dict())."""
    instrument = INSTRUMENTS[assessment["instrument"]]
    response_id = resource_uuid("assessment", assessment["id"])
    response = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id,
        # The language the form was answered in (BCP 47): the official English or Spanish for the USA.
        "language": FORM_LANGUAGES[assessment.get("language") or "en"],
        "questionnaire": f"{LOINC}/q/{instrument.panel_loinc}",
        "status": "completed",
        "subject": {"reference": patient_ref},
        "authored": assessment["date"],
        "author": {"reference": patient_ref},
        "item": questionnaire_items(instrument, assessment),
    }
    display = TOTAL_DISPLAYS[instrument.key]
    total = _observation(
        patient_ref, resource_uuid("assessment-total", assessment["id"]),
        {"coding": [_loinc(instrument.total_loinc, display)], "text": f"{instrument.name} total score"},
        assessment, assessment["total"],
        {"interpretation": [{"text": str(SEVERITY_LABELS[assessment["severity"]])},
                            *_reliable_change(instrument.name, since_baseline)],
         "derivedFrom": [{"reference": f"urn:uuid:{response_id}"}]})
    return [response, total]


def _reliable_change(name: str, since_baseline: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    if not since_baseline or since_baseline["reliable"] not in RELIABLE_CODES:
        return []
    code, display = RELIABLE_CODES[since_baseline["reliable"]]
    change = since_baseline["change"]
    return [{"coding": [{"system": INTERPRETATION, "code": code, "display": display}],
             "text": f"Reliably {'better' if code == 'B' else 'worse'} than the baseline {name} of "
                     f"{since_baseline['baseline_date']} ({since_baseline['baseline_total']}, "
                     f"{'down' if change < 0 else 'up'} {abs(change)})"}]


def resources(base: str, user: Mapping[str, Any], entries: Iterable[Mapping[str, Any]],
              sessions: Iterable[Mapping[str, Any]], assessments: Iterable[Mapping[str, Any]] = (),
              since_baseline: Mapping[str, Mapping[str, Any]] | None = None) -> Iterator[dict[str, Any]]:
    """The Bundle's resources in order: the Patient, then check-ins, sessions and questionnaires,
    each in date order. A generator: each record is read when its resources are needed.
    ``since_baseline``: {result id: its comparison with the baseline, as_dict()}."""
    patient = patient_resource(base, user)
    patient_ref = f"urn:uuid:{patient['id']}"
    yield patient
    for entry in entries:
        yield checkin_observation(base, patient_ref, entry)
    for session in sessions:
        yield from session_resources(base, patient_ref, session)
    for assessment in assessments:
        yield from assessment_resources(patient_ref, assessment, (since_baseline or {}).get(assessment["id"]))


def bundle(user: Mapping[str, Any], entries: Iterable[Mapping[str, Any]], sessions: Iterable[Mapping[str, Any]],
           assessments: Iterable[Mapping[str, Any]] = (), *, base: str, timestamp: str | None = None,
           since_baseline: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """The Bundle, for json_stream: its entries are written while the records are read, so
    ``entries``, ``sessions`` and ``assessments`` may be iterables read once."""
    result = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": json_stream.Array({"fullUrl": f"urn:uuid:{r['id']}", "resource": r}
                                   for r in resources(base, user, entries, sessions, assessments, since_baseline)),
    }
    if timestamp:
        result["timestamp"] = timestamp
    return result
