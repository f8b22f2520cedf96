"""assessments.csv: the documented columns byte for byte, date filters, 422s, and whose rows."""
import pytest
from helpers import errors_of, stored
from test_export_csv import parse

GAD7_ID = "00000000-0000-4000-8000-000000000001"
PHQ9_ID = "00000000-0000-4000-8000-000000000002"


def save(client, **body):
    response = client.post("/api/v1/assessments", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return stored(response.get_json())


def test_exact_output(patient):
    # Saved newest first: the file is oldest first all the same.
    phq9 = save(patient, id=PHQ9_ID, instrument="phq9", date="2026-03-02", answers=[3, 3, 3, 2, 2, 1, 1, 0, 0],
                private=True)
    gad7 = save(patient, id=GAD7_ID, instrument="gad7", date="2026-03-01", answers=[0, 1, 2, 3, 0, 1, 2],
                difficulty=1)
    response = patient.get("/export/assessments.csv")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="symptom-diary-assessments-')
    assert response.get_data().decode("utf-8") == (
        "\ufeffid,instrument,date,total,severity,item_1,item_2,item_3,item_4,item_5,item_6,item_7,item_8,item_9,"
        "difficulty,private,created_at,updated_at\r\n"
        f"{GAD7_ID},gad7,2026-03-01,9,mild,0,1,2,3,0,1,2,,,1,false,{gad7['created_at']},{gad7['updated_at']}\r\n"
        f"{PHQ9_ID},phq9,2026-03-02,15,moderately_severe,3,3,3,2,2,1,1,0,0,,true,"
        f"{phq9['created_at']},{phq9['updated_at']}\r\n"
    )


def test_an_empty_export_is_the_header_row(patient):
    assert patient.get("/export/assessments.csv").get_data() == (
        b"\xef\xbb\xbfid,instrument,date,total,severity,item_1,item_2,item_3,item_4,item_5,item_6,item_7,item_8,"
        b"item_9,difficulty,private,created_at,updated_at\r\n")


def test_date_filters(patient):
    for day in ("2026-01-01", "2026-01-15", "2026-01-31", "2026-02-01"):
        save(patient, instrument="gad7", date=day, answers=[1] * 7)
    rows = parse(patient.get("/export/assessments.csv?from=2026-01-10&to=2026-01-31"))
    assert [r["date"] for r in rows] == ["2026-01-15", "2026-01-31"]
    assert [r["date"] for r in parse(patient.get("/export/assessments.csv?to=2026-01-01"))] == ["2026-01-01"]


@pytest.mark.parametrize("query, field", [("from=2026-13-01", "from"), ("to=soon", "to"),
                                          ("from=2026-02-01&to=2026-01-01", "to")])
def test_bad_date_filters_are_422_naming_the_parameter(patient, query, field):
    errors_of(patient.get(f"/export/assessments.csv?{query}", headers={"Accept": "application/json"}), 422, field)


def test_a_patient_only_ever_gets_their_own_rows(patient, other_patient):
    mine = save(patient, instrument="gad7", date="2026-01-01", answers=[0] * 7)
    theirs = save(other_patient, instrument="phq9", date="2026-01-01", answers=[2] * 9, private=True)
    assert [r["id"] for r in parse(patient.get("/export/assessments.csv"))] == [mine["id"]]
    assert [r["id"] for r in parse(other_patient.get("/export/assessments.csv"))] == [theirs["id"]]


def test_only_patients_export(client, provider):
    assert client.get("/export/assessments.csv").status_code == 302
    assert provider.get("/export/assessments.csv").status_code == 403
