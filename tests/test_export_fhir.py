"""/export/fhir.json: a FHIR R4 Bundle validated with fhir.resources' models, and a round trip."""
import pytest
from fhir.resources.R4B.bundle import Bundle

from test_export_csv import HOSTILE


@pytest.fixture
def diary(patient):
    entries = [patient.post("/api/v1/entries", json={
        "date": f"2026-02-{i + 1:02d}", "anxiety": i % 11, "note": note, "triggers": ["work", "sleep"] if i % 2 else [],
        "private": i == 2}).get_json() for i, note in enumerate(HOSTILE)]
    session = patient.post("/api/v1/sessions", json={
        "date": "2026-02-03", "treatment": "iv_ketamine", "dose_mg": 35, "anxiety_before": 8, "anxiety_after": 3,
        "side_effects": ["nausea"], "reflection": "Felt \"lighter\" 😌"}).get_json()
    return entries, session


def export(client, query=""):
    response = client.get("/export/fhir.json" + query)
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    return response.get_json()


def test_bundle_is_valid_fhir(diary, patient):
    document = export(patient)
    bundle = Bundle.model_validate(document)  # raises on anything FHIR R4(B) doesn't allow
    assert bundle.type == "collection"
    kinds = [e.resource.get_resource_type() for e in bundle.entry]
    assert kinds[0] == "Patient"
    assert kinds.count("Observation") == len(HOSTILE) + 2 and kinds.count("Procedure") == 1


def test_round_trip_of_checkins(diary, patient):
    entries, _ = diary
    resources = {e["fullUrl"]: e["resource"] for e in export(patient)["entry"]}
    patient_url = next(url for url, r in resources.items() if r["resourceType"] == "Patient")
    checkins = [r for r in resources.values()
                if r["resourceType"] == "Observation" and r["code"]["coding"][0]["code"] == "anxiety-0-10"]
    assert len(checkins) == len(entries)
    for entry, observation in zip(entries, sorted(checkins, key=lambda o: o["effectiveDateTime"])):
        assert observation["status"] == "final"
        assert observation["category"][0]["coding"][0]["code"] == "survey"
        assert observation["subject"]["reference"] == patient_url
        assert (observation["effectiveDateTime"], observation["valueInteger"]) == (entry["date"], entry["anxiety"])
        assert [n["text"] for n in observation.get("note", [])] == ([entry["note"]] if entry["note"] else [])
        assert [c["valueString"] for c in observation.get("component", [])] == entry["triggers"]


def test_sessions_are_procedures_with_before_and_after(diary, patient):
    _, session = diary
    resources = [e["resource"] for e in export(patient)["entry"]]
    [procedure] = [r for r in resources if r["resourceType"] == "Procedure"]
    assert procedure["status"] == "completed" and procedure["performedDateTime"] == "2026-02-03"
    assert procedure["code"]["coding"][0]["code"] == "iv_ketamine"
    assert procedure["extension"][0]["valueQuantity"] == {"value": 35.0, "unit": "mg",
                                                          "system": "http://unitsofmeasure.org", "code": "mg"}
    assert procedure["note"] == [{"text": session["reflection"]}]
    assert procedure["complication"] == [{"text": "Nausea"}]
    linked = [r for r in resources if r.get("partOf") == [{"reference": f"urn:uuid:{procedure['id']}"}]]
    assert sorted(r["valueInteger"] for r in linked) == [3, 8]


def test_ids_are_stable_across_exports(diary, patient):
    first = [e["fullUrl"] for e in export(patient)["entry"]]
    assert first == [e["fullUrl"] for e in export(patient)["entry"]]
    assert len(set(first)) == len(first)


def test_empty_diary_is_still_a_valid_bundle(patient):
    bundle = Bundle.model_validate(export(patient))
    assert [e.resource.get_resource_type() for e in bundle.entry] == ["Patient"]


def test_date_filters_and_errors(diary, patient):
    document = export(patient, "?from=2026-02-03&to=2026-02-03")
    dates = {r["resource"].get("effectiveDateTime") or r["resource"].get("performedDateTime")
             for r in document["entry"][1:]}
    assert dates == {"2026-02-03"}
    assert patient.get("/export/fhir.json?from=nope").status_code == 422
