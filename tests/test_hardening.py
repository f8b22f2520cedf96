"""Findings of the outside security review (issue 11), each with the test that failed before its fix."""
import re

import pytest

from conftest import AuthActions, share


def test_a_download_named_after_a_non_latin_name_is_ascii_with_an_rfc_5987_name(app, provider):
    # gunicorn refuses a header that isn't Latin-1: the provider's export of "Zoë 张" answered 500.
    patient = app.test_client()
    AuthActions(patient).register(email="zoe@example.com", display_name="Zoë 张伟")
    patient_id = share(patient, provider)
    response = provider.get(f"/provider/patients/{patient_id}/export/entries.csv")
    assert response.status_code == 200
    header = response.headers["Content-Disposition"]
    header.encode("ascii")  # raises if not
    assert re.fullmatch(r'attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8\'\'[A-Za-z0-9._%-]+', header), header
    assert "zo%C3%AB-%E5%BC%A0%E4%BC%9F-entries-" in header


def test_every_download_names_itself_both_ways(patient):
    for path in ("/export/entries.csv", "/export/assessments.csv", "/export/fhir.json", "/export/everything.json"):
        header = patient.get(path).headers["Content-Disposition"]
        assert header.startswith('attachment; filename="symptom-diary-') and "; filename*=UTF-8''symptom-diary-" in header


@pytest.mark.parametrize("depth", [5000, 980])
def test_deeply_nested_json_is_a_400_not_a_500(patient, depth):
    body = '{"note": ' + "[" * depth + "]" * depth + "}"
    response = patient.post("/api/v1/entries", data=body, content_type="application/json")
    assert response.status_code == 400, response.status_code
    assert response.get_json() == {"errors": {"body": ["The body is nested too deeply."]}}
    assert patient.get("/api/v1/entries").get_json()["entries"] == []
