"""Every CSV export of one small, fixed diary, the whole file byte for byte (as datasette tests its
CSV): docs/CSV.md's columns in order, BOM, CRLF, RFC 4180 quoting, the formula guard, the
timeline's order, private rows, side effects with their details, an edited check-in and both
questionnaires. Nothing is normalised: ids are the client's, and the stores' clock is frozen, so
``created_at``/``updated_at`` are the moments each write below says. Swapping two columns, header
and cells or the cells alone, fails them (tried when they were written)."""
import pytest
from helpers import share

from diary.store import assessments as assessments_store
from diary.store import entries as entries_store
from diary.store import sessions as sessions_store


def uuid(n):
    return f"00000000-0000-4000-8000-{n:012d}"


class Clock:
    """The stores' ``utc_now``, standing still at ``now`` until a test moves it."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock("2026-01-31T00:00:00.000Z")
    # Where check-ins, sessions and questionnaires take their created_at / updated_at from.
    for store in (entries_store, sessions_store, assessments_store):
        monkeypatch.setattr(store, "utc_now", clock)
    return clock


@pytest.fixture
def diary(patient, clock):
    """Check-ins (triggers, commas, quotes, line breaks, unicode, a formula, private), sessions
    (a dose in mg/kg, side effects with severity and hours, a private one), one check-in edited
    later, a GAD-7 and a private PHQ-9, each written at a fixed moment."""
    def write(at, method, path, body, status=201):
        clock.now = at
        response = patient.open(path, method=method, json=body)
        assert response.status_code == status, response.get_data(as_text=True)

    write("2026-02-01T07:50:00.000Z", "POST", "/api/v1/entries", {
        "id": uuid(1), "date": "2026-02-01", "time": "07:45", "anxiety": 6, "triggers": ["work", "Café"],
        "note": 'Slept badly, "again"\nthen coffee 😟'})
    write("2026-02-01T08:00:00.000Z", "POST", "/api/v1/assessments", {
        "id": uuid(2), "instrument": "gad7", "date": "2026-02-01", "answers": [1, 2, 1, 0, 2, 1, 1],
        "difficulty": 2})
    write("2026-02-01T21:10:30.500Z", "POST", "/api/v1/entries", {
        "id": uuid(3), "date": "2026-02-01", "anxiety": 3, "triggers": ["sleep"], "note": "calmer — ünïcödé",
        "private": True})
    write("2026-02-02T11:15:00.000Z", "POST", "/api/v1/sessions", {
        "id": uuid(4), "date": "2026-02-02", "time": "10:00", "treatment": "iv_ketamine", "dose_unit": "mg/kg",
        "dose_value": 0.5, "weight_kg": 70, "anxiety_before": 7, "anxiety_after": 2,
        "side_effects": [{"name": "nausea", "severity": "moderate", "hours": 2}, "headache",
                         {"name": "dissociation", "severity": "mild"}],
        "reflection": 'Felt "lighter",\r\nthen tired'})
    write("2026-02-03T08:00:00.000Z", "POST", "/api/v1/entries", {
        "id": uuid(5), "date": "2026-02-03", "anxiety": 2, "note": "=SUM(1,2)"})
    write("2026-02-03T08:05:00.000Z", "POST", "/api/v1/assessments", {
        "id": uuid(6), "instrument": "phq9", "date": "2026-02-03", "answers": [2, 2, 1, 1, 0, 1, 2, 1, 0],
        "private": True})
    write("2026-02-04T17:00:00.000Z", "POST", "/api/v1/sessions", {
        "id": uuid(7), "date": "2026-02-04", "treatment": "psychotherapy", "anxiety_before": 5,
        "anxiety_after": 4, "reflection": "private thoughts", "private": True})
    write("2026-02-04T18:00:00.000Z", "POST", "/api/v1/entries", {
        "id": uuid(8), "date": "2026-02-04", "anxiety": 4, "triggers": ["work"]})
    # Edited two days later: its updated_at moves, its created_at (and its place in the file) doesn't.
    write("2026-02-05T09:30:00.250Z", "PATCH", f"/api/v1/entries/{uuid(5)}", {
        "anxiety": 1, "note": "=SUM(1,2) (edited)", "triggers": ["-tired"]}, status=200)
    return patient


ENTRIES_HEADER = ("\ufeffid,kind,date,anxiety,triggers,note,treatment,dose_mg,anxiety_before,anxiety_after,"
                  "side_effects,reflection,created_at,updated_at,private,time\r\n")

ENTRIES_CSV = ENTRIES_HEADER + (
    "00000000-0000-4000-8000-000000000001,checkin,2026-02-01,6,Café; work,"
    "\"Slept badly, \"\"again\"\"\nthen coffee 😟\",,,,,,,"
    "2026-02-01T07:50:00.000Z,2026-02-01T07:50:00.000Z,false,07:45\r\n"
    "00000000-0000-4000-8000-000000000003,checkin,2026-02-01,3,sleep,calmer — ünïcödé,,,,,,,"
    "2026-02-01T21:10:30.500Z,2026-02-01T21:10:30.500Z,true,\r\n"
    "00000000-0000-4000-8000-000000000004,session,2026-02-02,,,,iv_ketamine,35,7,2,"
    "\"dissociation (mild); headache; nausea (moderate, 2 h)\",\"Felt \"\"lighter\"\",\r\nthen tired\","
    "2026-02-02T11:15:00.000Z,2026-02-02T11:15:00.000Z,false,10:00\r\n"
    "00000000-0000-4000-8000-000000000005,checkin,2026-02-03,1,'-tired,\"'=SUM(1,2) (edited)\",,,,,,,"
    "2026-02-03T08:00:00.000Z,2026-02-05T09:30:00.250Z,false,\r\n"
    "00000000-0000-4000-8000-000000000007,session,2026-02-04,,,,psychotherapy,,5,4,,private thoughts,"
    "2026-02-04T17:00:00.000Z,2026-02-04T17:00:00.000Z,true,\r\n"
    "00000000-0000-4000-8000-000000000008,checkin,2026-02-04,4,work,,,,,,,,"
    "2026-02-04T18:00:00.000Z,2026-02-04T18:00:00.000Z,false,\r\n"
)

# A clinician with "full" access: the same rows and text, without the private ones.
PROVIDER_ENTRIES_CSV = ENTRIES_HEADER + (
    "00000000-0000-4000-8000-000000000001,checkin,2026-02-01,6,Café; work,"
    "\"Slept badly, \"\"again\"\"\nthen coffee 😟\",,,,,,,"
    "2026-02-01T07:50:00.000Z,2026-02-01T07:50:00.000Z,false,07:45\r\n"
    "00000000-0000-4000-8000-000000000004,session,2026-02-02,,,,iv_ketamine,35,7,2,"
    "\"dissociation (mild); headache; nausea (moderate, 2 h)\",\"Felt \"\"lighter\"\",\r\nthen tired\","
    "2026-02-02T11:15:00.000Z,2026-02-02T11:15:00.000Z,false,10:00\r\n"
    "00000000-0000-4000-8000-000000000005,checkin,2026-02-03,1,'-tired,\"'=SUM(1,2) (edited)\",,,,,,,"
    "2026-02-03T08:00:00.000Z,2026-02-05T09:30:00.250Z,false,\r\n"
    "00000000-0000-4000-8000-000000000008,checkin,2026-02-04,4,work,,,,,,,,"
    "2026-02-04T18:00:00.000Z,2026-02-04T18:00:00.000Z,false,\r\n"
)

ASSESSMENTS_CSV = (
    "\ufeffid,instrument,date,total,severity,item_1,item_2,item_3,item_4,item_5,item_6,item_7,item_8,item_9,"
    "difficulty,private,created_at,updated_at\r\n"
    "00000000-0000-4000-8000-000000000002,gad7,2026-02-01,8,mild,1,2,1,0,2,1,1,,,2,false,"
    "2026-02-01T08:00:00.000Z,2026-02-01T08:00:00.000Z\r\n"
    "00000000-0000-4000-8000-000000000006,phq9,2026-02-03,10,moderate,2,2,1,1,0,1,2,1,0,,true,"
    "2026-02-03T08:05:00.000Z,2026-02-03T08:05:00.000Z\r\n"
)


def download(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/csv" and response.is_streamed
    return response.get_data()


def test_entries_csv_whole_file(diary):
    assert download(diary, "/export/entries.csv") == ENTRIES_CSV.encode("utf-8")


def test_assessments_csv_whole_file(diary):
    assert download(diary, "/export/assessments.csv") == ASSESSMENTS_CSV.encode("utf-8")


def test_the_clinicians_entries_csv_whole_file(diary, provider):
    patient_id = share(diary, provider, "full")
    assert download(provider, f"/provider/patients/{patient_id}/export/entries.csv") == (
        PROVIDER_ENTRIES_CSV.encode("utf-8"))
