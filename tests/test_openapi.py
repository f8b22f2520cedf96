"""The OpenAPI 3 document at /api/v1/openapi.json covers every /api/v1 route."""
import re

import pytest
from openapi_spec_validator import validate

from diary.schemas.entries import EntryIn
from diary.schemas.sessions import SessionIn

DOC = "/api/v1/openapi.json"


def openapi_path(rule):
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def api_operations(app):
    """{(path, method)} for every /api/v1 rule in the URL map, as OpenAPI spells them."""
    return {
        (openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def resolve(doc, schema):
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = doc["components"]["schemas"][name]
    return schema


def required_fields(schema_class):
    return {field.data_key or name for name, field in schema_class().fields.items() if field.required}


@pytest.fixture
def doc(client):
    response = client.get(DOC)
    assert response.status_code == 200
    assert response.is_json
    return response.get_json()


def test_document_is_public_and_a_valid_openapi_3_document(doc):
    validate(doc)  # raises on an invalid document
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"]


def test_document_is_the_same_when_logged_in(patient, doc):
    assert patient.get(DOC).get_json() == doc


def test_every_api_route_and_method_is_documented(app, doc):
    operations = api_operations(app)
    assert ("/api/v1/entries", "post") in operations and ("/api/v1/sessions/{session_id}", "patch") in operations
    documented = {(path, method) for path, item in doc["paths"].items() for method in item}

    assert operations - documented == set()


def test_nothing_documented_that_is_not_routed(app, doc):
    documented = {(path, method) for path, item in doc["paths"].items() for method in item}
    assert documented - api_operations(app) == set()


def test_path_parameters_are_documented(doc):
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == set(re.findall(r"{([^}]+)}", path)), (method, path)


@pytest.mark.parametrize("path, schema_class", [
    ("/api/v1/entries", EntryIn), ("/api/v1/sessions", SessionIn),
])
def test_post_request_body_lists_the_required_fields(doc, path, schema_class):
    required = required_fields(schema_class)
    assert {"date"} <= required
    body = doc["paths"][path]["post"]["requestBody"]
    schema = resolve(doc, body["content"]["application/json"]["schema"])

    assert body["required"] is True
    assert required <= set(schema["required"])
    assert required <= set(schema["properties"])


def test_entry_required_fields_are_date_and_anxiety(doc):
    schema = resolve(doc, doc["paths"]["/api/v1/entries"]["post"]["requestBody"]
                     ["content"]["application/json"]["schema"])
    assert set(schema["required"]) == required_fields(EntryIn) == {"date", "anxiety"}


def test_patch_bodies_require_nothing_and_forbid_id(doc):
    for path in ("/api/v1/entries/{entry_id}", "/api/v1/sessions/{session_id}"):
        body = doc["paths"][path]["patch"]["requestBody"]["content"]["application/json"]["schema"]
        schema = resolve(doc, body)
        assert not schema.get("required"), path
        assert "id" not in schema["properties"], path


def test_session_body_documents_time_dose_side_effects_and_blood_pressure(doc):
    schema = resolve(doc, doc["paths"]["/api/v1/sessions"]["post"]["requestBody"]
                     ["content"]["application/json"]["schema"])
    properties = schema["properties"]
    assert {"time", "dose_unit", "dose_value", "weight_kg", "dose_mg", "bp_before_systolic",
            "bp_before_diastolic", "bp_after_systolic", "bp_after_diastolic"} <= set(properties)
    assert properties["dose_unit"]["enum"] == ["mg", "mg/kg"]
    item = properties["side_effects"]["items"]["oneOf"]
    assert [variant["type"] for variant in item] == ["string", "object"]
    assert item[1]["properties"]["severity"]["enum"] == ["mild", "moderate", "severe"]
    out = resolve(doc, doc["components"]["schemas"]["SessionOut"]["properties"]["side_effects"]["items"])
    assert set(out["properties"]) == {"name", "severity", "hours"}
    entry = resolve(doc, doc["paths"]["/api/v1/entries"]["post"]["requestBody"]["content"]["application/json"]["schema"])
    assert entry["properties"]["time"]["pattern"] == "^([01][0-9]|2[0-3]):[0-5][0-9]$"


@pytest.mark.parametrize("path, status, targets", [
    ("/api/v1/patients", "200", {"patient_trends", "patient_entries", "acknowledge_safety", "get_schedule", "set_schedule"}),
    ("/api/v1/care-team", "200", {"revoke_share"}),
])
def test_links_lead_from_a_list_to_the_operations_its_ids_feed(doc, path, status, targets):
    links = doc["paths"][path]["get"]["responses"][status]["links"]
    by_id = {operation["operationId"]: (p, operation) for p, item in doc["paths"].items()
             for operation in item.values()}

    assert {link["operationId"] for link in links.values()} == targets
    for link in links.values():
        target_path, target = by_id[link["operationId"]]
        declared = {p["name"] for p in target["parameters"] if p["in"] == "path"}
        assert set(link["parameters"]) == declared == set(re.findall(r"{([^}]+)}", target_path))
        assert all(value.startswith("$response.body#/") for value in link["parameters"].values())


def test_the_providers_check_ins_document_the_time_of_day(doc):
    answer = doc["paths"]["/api/v1/patients/{patient_id}/entries"]["get"]["responses"]["200"]
    listing = resolve(doc, answer["content"]["application/json"]["schema"])
    entry = resolve(doc, listing["properties"]["entries"]["items"])
    assert {"id", "date", "time", "anxiety", "triggers", "note"} <= set(entry["properties"])
    assert entry["properties"]["time"]["nullable"] is True


def test_the_providers_trends_take_a_range_or_days(doc):
    parameters = {p["name"]: p for p in doc["paths"]["/api/v1/patients/{patient_id}/trends"]["get"]["parameters"]
                  if p["in"] == "query"}
    assert parameters["range"]["schema"]["enum"] == ["course", "30d", "90d", "1y", "all"]
    assert "days" in parameters
