"""fhir.json and everything.json, whole documents: the exact bytes, held against files recorded from
the in-memory implementation (tests/golden/), with what changes per run (timestamps, random ids,
share codes) replaced by placeholders."""
import re
from pathlib import Path

import pytest
import test_data_rights
import test_export_csv

from diary.exports import json_stream

GOLDEN = Path(__file__).parent / "golden"
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SHARE_CODE = re.compile(r'"code":"[A-HJ-NP-Z2-9]{16}"')  # store.sharing's alphabet and length


# Fixtures shared with those files: a diary with hostile text, ties and sessions; an account with everything.
timeline = test_export_csv.timeline
full_diary = test_data_rights.full_diary


def normalized(text):
    """``text`` with timestamps, UUIDs (numbered by first appearance) and share codes as placeholders."""
    numbers = {}
    text = TIMESTAMP.sub("<time>", text)
    text = UUID.sub(lambda m: f"<uuid {numbers.setdefault(m.group(), len(numbers) + 1)}>", text)
    return SHARE_CODE.sub('"code":"<code>"', text)


def golden(name):
    return (GOLDEN / name).read_text(encoding="utf-8")


@pytest.fixture
def questionnaires(patient):
    for n, body in ((20, {"instrument": "gad7", "date": "2026-01-02", "answers": [0, 1, 2, 3, 0, 1, 2], "difficulty": 1}),
                    (21, {"instrument": "phq9", "date": "2026-01-04", "answers": [3, 2, 1, 0, 3, 2, 1, 0, 1],
                          "private": True})):
        assert patient.post("/api/v1/assessments", json={"id": f"00000000-0000-4000-8000-{n:012d}", **body}).status_code == 201


def test_fhir_bundle_bytes(timeline, questionnaires, patient):
    response = patient.get("/export/fhir.json")
    assert response.headers["Content-Type"] == "application/fhir+json; fhirVersion=4.0"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="symptom-diary-fhir-')
    assert normalized(response.get_data(as_text=True)) == golden("fhir.json")


def test_fhir_bundle_of_a_date_range_bytes(timeline, questionnaires, patient):
    response = patient.get("/export/fhir.json?from=2026-01-02&to=2026-01-03")
    assert normalized(response.get_data(as_text=True)) == golden("fhir-range.json")


def test_empty_fhir_bundle_bytes(patient):
    assert normalized(patient.get("/export/fhir.json").get_data(as_text=True)) == golden("fhir-empty.json")


def test_everything_bytes(full_diary, timeline, patient):
    response = patient.get("/export/everything.json")
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="symptom-diary-everything-')
    assert normalized(response.get_data(as_text=True)) == golden("everything.json")


def test_everything_of_an_empty_account_bytes(patient):
    assert normalized(patient.get("/export/everything.json").get_data(as_text=True)) == golden("everything-empty.json")


@pytest.mark.parametrize("path, name, fixtures", [
    ("/export/fhir.json", "fhir.json", ("timeline", "questionnaires")),
    ("/export/everything.json", "everything.json", ("full_diary", "timeline")),
])
def test_documents_stream_in_chunks_with_the_same_bytes(request, patient, monkeypatch, path, name, fixtures):
    """Streamed record by record (here a chunk per record or less): never built whole in memory."""
    for fixture in fixtures:
        request.getfixturevalue(fixture)
    monkeypatch.setattr(json_stream, "CHUNK_CHARS", 1)
    response = patient.get(path, buffered=False)
    assert response.is_streamed and "Content-Length" not in response.headers
    chunks = list(response.response)
    response.close()
    assert len(chunks) > 15  # at least one per resource or record
    assert normalized(b"".join(chunks).decode()) == golden(name)
