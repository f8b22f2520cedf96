"""/export/fhir.json: a FHIR R4 Bundle validated with fhir.resources' models, and a round trip."""
import pytest
from fhir.resources.R4B.bundle import Bundle
from helpers import stored
from test_export_csv import HOSTILE

# Typed out here on purpose (not imported from diary.insights.questionnaires): the test pins the
# codes a receiving system relies on (loinc.org).
FREQUENCY_CODES = {"LA6568-5": 0, "LA6569-3": 1, "LA6570-1": 2, "LA6571-9": 3}


@pytest.fixture
def diary(patient):
    entries = [patient.post("/api/v1/entries", json={
        "date": f"2026-02-{i + 1:02d}", "anxiety": i % 11, "note": note, "triggers": ["work", "sleep"] if i % 2 else [],
        "private": i == 2}).get_json() for i, note in enumerate(HOSTILE)]
    session = patient.post("/api/v1/sessions", json={
        "date": "2026-02-03", "treatment": "iv_ketamine", "dose_mg": 35, "anxiety_before": 8, "anxiety_after": 3,
        "side_effects": ["nausea"], "reflection": "Felt \"lighter\" 😌"}).get_json()
    return entries, session


@pytest.fixture
def questionnaires(patient):
    """A GAD-7 with the difficulty question answered, and a private PHQ-9 without it."""
    gad7 = patient.post("/api/v1/assessments", json={
        "instrument": "gad7", "date": "2026-02-04", "answers": [0, 1, 2, 3, 0, 1, 2], "difficulty": 1})
    phq9 = patient.post("/api/v1/assessments", json={
        "instrument": "phq9", "date": "2026-02-05", "answers": [3, 2, 1, 0, 3, 2, 1, 0, 1], "private": True})
    assert gad7.status_code == phq9.status_code == 201
    return stored(gad7.get_json()), stored(phq9.get_json())


def export(client, query=""):
    response = client.get("/export/fhir.json" + query)
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    assert response.headers["Content-Type"] == "application/fhir+json; fhirVersion=4.0"
    return response.get_json()


def by_type(document, resource_type):
    return [e["resource"] for e in document["entry"] if e["resource"]["resourceType"] == resource_type]


def questionnaire_results(document):
    """{QuestionnaireResponse fullUrl: (the response, the total-score Observation derived from it)}."""
    responses = {f"urn:uuid:{r['id']}": r for r in by_type(document, "QuestionnaireResponse")}
    totals = {o["derivedFrom"][0]["reference"]: o for o in by_type(document, "Observation") if "derivedFrom" in o}
    assert set(totals) == set(responses)
    return {url: (response, totals[url]) for url, response in responses.items()}


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


def test_side_effects_are_complications_with_their_severity_and_hours(patient):
    patient.post("/api/v1/sessions", json={
        "date": "2026-02-03", "treatment": "iv_ketamine", "anxiety_before": 8, "anxiety_after": 3,
        "side_effects": [{"name": "nausea", "severity": "moderate", "hours": 2}, "headache",
                         {"name": "dissociation", "severity": "severe"}]})
    [procedure] = [e["resource"] for e in export(patient)["entry"] if e["resource"]["resourceType"] == "Procedure"]
    assert procedure["complication"] == [
        {"text": "Dissociation (severe)"}, {"text": "Headache"}, {"text": "Nausea (moderate, 2 h)"}]
    Bundle.model_validate(export(patient))


def test_ids_are_stable_across_exports(diary, patient):
    first = [e["fullUrl"] for e in export(patient)["entry"]]
    assert first == [e["fullUrl"] for e in export(patient)["entry"]]
    assert len(set(first)) == len(first)


def test_empty_diary_is_still_a_valid_bundle(patient):
    bundle = Bundle.model_validate(export(patient))
    assert [e.resource.get_resource_type() for e in bundle.entry] == ["Patient"]


def test_date_filters_and_errors(diary, questionnaires, patient):
    for day in ("2026-02-03", "2026-02-04"):
        document = export(patient, f"?from={day}&to={day}")
        dates = {r["resource"].get("effectiveDateTime") or r["resource"].get("performedDateTime")
                 or r["resource"].get("authored") for r in document["entry"][1:]}
        assert dates == {day}
    assert len(by_type(export(patient, "?from=2026-02-04"), "QuestionnaireResponse")) == 2
    assert patient.get("/export/fhir.json?from=nope").status_code == 422


def test_questionnaires_are_valid_fhir(diary, questionnaires, patient):
    bundle = Bundle.model_validate(export(patient))
    kinds = [e.resource.get_resource_type() for e in bundle.entry]
    assert kinds.count("QuestionnaireResponse") == 2
    assert kinds.count("Observation") == len(HOSTILE) + 2 + 2


def test_questionnaire_loinc_codes(questionnaires, patient):
    results = sorted(questionnaire_results(export(patient)).values(), key=lambda pair: pair[0]["authored"])
    (gad7, gad7_total), (phq9, phq9_total) = results
    assert gad7["questionnaire"] == "http://loinc.org/q/69737-5"
    assert phq9["questionnaire"] == "http://loinc.org/q/44249-1"
    assert gad7_total["code"]["coding"] == [{
        "system": "http://loinc.org", "code": "70274-6",
        "display": "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"}]
    assert phq9_total["code"]["coding"] == [{
        "system": "http://loinc.org", "code": "44261-6",
        "display": "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"}]
    assert [i["linkId"] for i in gad7["item"]] == [
        "69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7", "difficulty"]
    assert [i["linkId"] for i in phq9["item"]] == [
        "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"]
    item_9 = phq9["item"][8]
    assert item_9["text"] == "Thoughts that you would be better off dead or of hurting yourself in some way"
    assert item_9["answer"] == [{"valueCoding": {"system": "http://loinc.org", "code": "LA6569-3",
                                                 "display": "Several days"}}]
    assert [i["answer"][0]["valueCoding"]["code"] for i in gad7["item"][:4]] == [
        "LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]
    assert [i["answer"][0]["valueCoding"]["display"] for i in gad7["item"][:4]] == [
        "Not at all", "Several days", "More than half the days", "Nearly every day"]
    assert gad7["item"][7]["text"].startswith("If you checked off any problems, how difficult")
    assert gad7["item"][7]["answer"] == [{"valueCoding": {"system": "http://loinc.org", "code": "LA6573-5",
                                                          "display": "Somewhat difficult"}}]


def test_questionnaire_round_trip(questionnaires, patient):
    document = export(patient)
    patient_url = document["entry"][0]["fullUrl"]
    results = questionnaire_results(document)
    assert len(results) == len(questionnaires)
    for assessment in questionnaires:  # the private PHQ-9 too: it's the patient's own copy
        [(url, (response, total))] = [(url, pair) for url, pair in results.items()
                                      if pair[0]["authored"] == assessment["date"]]
        assert response["status"] == "completed"
        assert response["subject"] == response["author"] == {"reference": patient_url}
        answers = [FREQUENCY_CODES[i["answer"][0]["valueCoding"]["code"]] for i in response["item"]
                   if i["linkId"] not in ("difficulty", "69722-7")]
        assert answers == assessment["answers"]
        assert total["valueInteger"] == assessment["total"] == sum(answers)
        assert total["derivedFrom"] == [{"reference": url}]
        assert total["status"] == "final" and total["category"][0]["coding"][0]["code"] == "survey"
        assert (total["effectiveDateTime"], total["issued"]) == (assessment["date"], assessment["created_at"])
        assert total["subject"] == {"reference": patient_url}
    gad7, phq9 = questionnaires
    severities = {r["authored"]: t["interpretation"][0]["text"] for r, t in results.values()}
    assert (gad7["total"], gad7["severity"], phq9["total"], phq9["severity"]) == (9, "mild", 13, "moderate")
    assert severities == {gad7["date"]: "Mild", phq9["date"]: "Moderate"}
    assert not any(i["linkId"] == "69722-7" for r, _ in results.values() for i in r["item"])  # unanswered


def test_every_observation_has_performer_and_issued(diary, questionnaires, patient):
    entries, session = diary
    document = export(patient)
    patient_url = document["entry"][0]["fullUrl"]
    observations = by_type(document, "Observation")
    assert len(observations) == len(entries) + 2 + len(questionnaires)
    assert all(o["performer"] == [{"reference": patient_url}] for o in observations)
    issued = {(o["code"]["coding"][0]["code"], o["effectiveDateTime"]): o["issued"] for o in observations}
    assert all(issued["anxiety-0-10", e["date"]] == e["created_at"] for e in entries)
    for when in ("before", "after"):
        assert issued[f"anxiety-{when}-session", session["date"]] == session["created_at"]
    gad7, phq9 = questionnaires
    assert (issued["70274-6", gad7["date"]], issued["44261-6", phq9["date"]]) == (gad7["created_at"],
                                                                                  phq9["created_at"])


def test_patient_identifier_is_stable(app, questionnaires, patient):
    user_id = patient.get("/api/v1/me").get_json()["id"]
    first, second = export(patient), export(patient)
    identifier = [{"system": f"{app.config['FHIR_SYSTEM_BASE']}/patient-id", "value": str(user_id)}]
    assert first["entry"][0]["resource"]["identifier"] == identifier
    assert second["entry"][0]["resource"]["identifier"] == identifier
    assert first["entry"][0]["fullUrl"] == second["entry"][0]["fullUrl"]


def test_another_patients_questionnaires_stay_out(questionnaires, patient, other_patient):
    other_patient.post("/api/v1/assessments", json={"instrument": "gad7", "date": "2026-02-04",
                                                    "answers": [3] * 7})
    assert sorted(r["authored"] for r in by_type(export(patient), "QuestionnaireResponse")) == [
        "2026-02-04", "2026-02-05"]
    [(response, total)] = questionnaire_results(export(other_patient)).values()
    assert total["valueInteger"] == 21


def test_a_reliable_change_is_interpreted_better_or_worse(patient):
    """GAD-7 12 then 7 (down 5: reliable, 4 or more) is "B" Better in HL7's v3 ObservationInterpretation;
    12 then 16 is "W" Worse; the baseline itself and a change of 3 have only their severity; the
    Bundle stays valid FHIR."""
    def gad7(date, answers):
        response = patient.post("/api/v1/assessments", json={"instrument": "gad7", "date": date, "answers": answers})
        assert response.status_code == 201
    gad7("2026-01-01", [3, 3, 3, 3, 0, 0, 0])  # 12: the baseline (no session: the first result)
    gad7("2026-01-15", [3, 3, 1, 0, 0, 0, 0])  # 7
    gad7("2026-02-01", [3, 3, 3, 3, 2, 2, 0])  # 16
    gad7("2026-02-15", [3, 3, 3, 3, 3, 0, 0])  # 15: up 3
    document = export(patient)
    Bundle.model_validate(document)
    codes = {r["authored"]: [c["coding"][0]["code"] for c in t["interpretation"] if "coding" in c]
             for r, t in questionnaire_results(document).values()}
    assert codes == {"2026-01-01": [], "2026-01-15": ["B"], "2026-02-01": ["W"], "2026-02-15": []}
    worse = [t for r, t in questionnaire_results(document).values() if r["authored"] == "2026-02-01"][0]
    assert worse["interpretation"][1] == {
        "coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "code": "W",
                    "display": "Worse"}],
        "text": "Reliably worse than the baseline GAD-7 of 2026-01-01 (12, up 4)"}
