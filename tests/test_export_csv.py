"""entries.csv: exact columns, round trip of hostile text, formula neutralising, streaming, access."""
import csv
import io

import pytest
from helpers import errors_of, share

from diary.db import get_db
from diary.exports import csv_export
from diary.store import entries as entries_store

HOSTILE = [
    'She said "no", then left', "commas, everywhere, ok", "line one\nline two\r\nline three",
    "emoji 😟🌧️ and ünïcödé", "=HYPERLINK(\"http://evil.example\",\"click\")", "+1 555 0100",
    "-dash first", "@mention", "\ttab first", "\rcarriage first", "-5", "  spaces  ", "",
    "'quoted", "''twice", "'=1+1",
]


def parse(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    text = response.get_data().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def unneutralize(cell):
    """What a reader gets back after the export's formula guard: one leading apostrophe removed."""
    return cell[1:] if cell.startswith("'") else cell


def test_header_is_the_documented_columns_in_order(patient):
    response = patient.get("/export/entries.csv")
    assert response.is_streamed and "Content-Length" not in response.headers
    assert response.get_data().startswith(b"\xef\xbb\xbfid,kind,date,anxiety,triggers,note,treatment,dose_mg,"
                                          b"anxiety_before,anxiety_after,side_effects,reflection,created_at,"
                                          b"updated_at,private,time\r\n")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="symptom-diary-entries-')


def test_round_trip_of_hostile_notes(patient):
    stored = []
    for i, note in enumerate(HOSTILE):
        response = patient.post("/api/v1/entries", json={
            "date": f"2026-01-{i + 1:02d}", "anxiety": i % 11, "note": note,
            "triggers": ["work", "=cmd"] if i % 2 else [], "private": i == 3})
        stored.append(response.get_json())
    session = patient.post("/api/v1/sessions", json={
        "date": "2026-01-05", "treatment": "iv_ketamine", "dose_mg": 36.71234, "anxiety_before": 8,
        "anxiety_after": 3, "side_effects": ["nausea", "dissociation"], "reflection": HOSTILE[4]}).get_json()
    rows = parse(patient.get("/export/entries.csv"))
    assert len(rows) == len(HOSTILE) + 1
    by_id = {row["id"]: row for row in rows}
    for entry in stored:
        row = by_id[entry["id"]]
        assert row["kind"] == "checkin" and row["date"] == entry["date"]
        assert int(row["anxiety"]) == entry["anxiety"]
        assert unneutralize(row["note"]) == entry["note"]
        triggers = row["triggers"].split("; ") if row["triggers"] else []
        assert [unneutralize(t) for t in triggers] == entry["triggers"]
        assert row["private"] == ("true" if entry["private"] else "false")
        assert (row["created_at"], row["updated_at"]) == (entry["created_at"], entry["updated_at"])
        assert row["treatment"] == row["reflection"] == ""
    row = by_id[session["id"]]
    assert row["kind"] == "session" and row["anxiety"] == "" and row["treatment"] == "iv_ketamine"
    assert float(row["dose_mg"]) == 36.71234
    assert (row["anxiety_before"], row["anxiety_after"]) == ("8", "3")
    assert row["side_effects"] == "dissociation; nausea"
    assert unneutralize(row["reflection"]) == HOSTILE[4]
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)  # one timeline, by date


def test_time_column_and_side_effects_with_severity_and_hours(patient):
    """Exact output: a check-in with a time, one without, and a session (docs/CSV.md)."""
    entry = patient.post("/api/v1/entries", json={"date": "2026-01-02", "time": "08:05", "anxiety": 4}).get_json()
    untimed = patient.post("/api/v1/entries", json={"date": "2026-01-02", "anxiety": 5}).get_json()
    session = patient.post("/api/v1/sessions", json={
        "date": "2026-01-03", "time": "14:30", "treatment": "iv_ketamine", "dose_unit": "mg/kg", "dose_value": 0.5,
        "weight_kg": 70, "anxiety_before": 7, "anxiety_after": 2,
        "side_effects": ["headache", {"name": "nausea", "severity": "moderate", "hours": 2},
                         {"name": "dizziness", "hours": 1.5}, {"name": "dissociation", "severity": "mild"}],
    }).get_json()
    text = patient.get("/export/entries.csv").get_data().decode("utf-8-sig")
    assert text.split("\r\n")[1:-1] == [
        f"{entry['id']},checkin,2026-01-02,4,,,,,,,,,{entry['created_at']},{entry['updated_at']},false,08:05",
        f"{untimed['id']},checkin,2026-01-02,5,,,,,,,,,{untimed['created_at']},{untimed['updated_at']},false,",
        f"{session['id']},session,2026-01-03,,,,iv_ketamine,35,7,2,"
        f"\"dissociation (mild); dizziness (1.5 h); headache; nausea (moderate, 2 h)\",,"
        f"{session['created_at']},{session['updated_at']},false,14:30",
    ]
    assert list(csv.reader(io.StringIO(text, newline="")))[0][15] == "time"  # column 16


@pytest.mark.parametrize("text, cell", [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+SUM(A1)", "'+SUM(A1)"), ("-A1", "'-A1"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("-5", "-5"), ("+3.5", "+3.5"), ("ok =1", "ok =1"), ("", ""),
    ("=1+1", "'=1+1"), ("'quoted", "''quoted"), ("'", "''"), ("'=1+1", "''=1+1"), ("ok '", "ok '"),
])
def test_formula_cells_are_neutralised_but_numbers_are_not(text, cell):
    assert csv_export.neutralize(text) == cell


@pytest.mark.parametrize("text", ["'quoted", "=1+1", "'=1+1", "''", "-5", "plain", "-x", "'-5"])
def test_removing_one_leading_apostrophe_always_restores_the_text(text):
    """A note that really starts with an apostrophe is guarded too, so the rule has no exceptions."""
    cell = csv_export.neutralize(text)
    assert (cell[1:] if cell.startswith("'") else cell) == text


def test_date_filters(patient):
    for day in ("2026-01-01", "2026-01-15", "2026-02-01"):
        patient.post("/api/v1/entries", json={"date": day, "anxiety": 3})
    rows = parse(patient.get("/export/entries.csv?from=2026-01-10&to=2026-01-31"))
    assert [r["date"] for r in rows] == ["2026-01-15"]


@pytest.mark.parametrize("query, field", [("from=2026-13-01", "from"), ("to=soon", "to"),
                                          ("from=2026-02-01&to=2026-01-01", "to")])
def test_bad_date_filters_are_422_naming_the_parameter(patient, query, field):
    response = patient.get(f"/export/entries.csv?{query}", headers={"Accept": "application/json"})
    errors_of(response, 422, field)
    html = patient.get(f"/export/entries.csv?{query}")
    assert html.status_code == 422 and "text/html" in html.content_type


def test_keyset_pages_cover_everything_once(app, patient):
    for i in range(7):
        patient.post("/api/v1/entries", json={"date": "2026-01-01", "anxiety": i})  # same date: ties
    with app.app_context():
        user_id = get_db().execute("SELECT id FROM users").fetchone()[0]
        pages = list(entries_store.export_pages(get_db(), user_id, page_size=3))
    assert [len(p) for p in pages] == [3, 3, 1]
    assert sorted(e["anxiety"] for page in pages for e in page) == list(range(7))


def test_private_and_scope_in_the_provider_export(patient, provider):
    patient.post("/api/v1/entries", json={"date": "2026-01-01", "anxiety": 4, "note": "shared note"})
    patient.post("/api/v1/entries", json={"date": "2026-01-02", "anxiety": 9, "note": "secret", "private": True})
    patient.post("/api/v1/sessions", json={"date": "2026-01-03", "treatment": "other", "anxiety_before": 5,
                                            "anxiety_after": 4, "reflection": "my reflection"})
    code = patient.post("/api/v1/invites", json={"scope": "scores"}).get_json()["code"]
    patient_id = provider.post("/api/v1/invites/redeem", json={"code": code}).get_json()["patient"]["id"]
    rows = parse(provider.get(f"/provider/patients/{patient_id}/export/entries.csv"))
    assert [(r["date"], r["anxiety"], r["note"], r["reflection"]) for r in rows] == [
        ("2026-01-01", "4", "", ""), ("2026-01-03", "", "", "")]
    [member] = patient.get("/api/v1/care-team").get_json()["providers"]
    patient.post(f"/care-team/providers/{member['id']}/scope", data={"scope": "full"})
    rows = parse(provider.get(f"/provider/patients/{patient_id}/export/entries.csv"))
    assert [r["note"] or r["reflection"] for r in rows] == ["shared note", "my reflection"]
    actions = [e["action"] for e in patient.get("/api/v1/access-log").get_json()["events"]]
    assert actions.count("export.entries_csv") == 2
    patient.delete(f"/api/v1/care-team/{member['id']}")
    assert provider.get(f"/provider/patients/{patient_id}/export/entries.csv").status_code == 404


def test_only_patients_export_their_own(client, provider):
    assert client.get("/export/entries.csv").status_code == 302
    assert provider.get("/export/entries.csv").status_code == 403


def test_history_links_to_the_export_of_what_it_shows(patient):
    html = patient.get("/history?from=2026-01-01&to=2026-01-31&trigger_id=1").get_data(as_text=True)
    assert 'href="/export/entries.csv?from=2026-01-01&amp;to=2026-01-31"' in html
    assert 'href="/export/entries.csv"' in patient.get("/history").get_data(as_text=True)


def _uuid(n):
    """Client-supplied ids in creation order, so rows saved in the same millisecond sort predictably."""
    return f"00000000-0000-4000-8000-{n:012d}"


@pytest.fixture
def timeline(patient):
    """Check-ins with hostile notes and triggers, private ones, a timed one, and sessions between them."""
    def entry(n, **fields):
        return patient.post("/api/v1/entries", json={"id": _uuid(n), **fields}).get_json()

    def session(n, **fields):
        return patient.post("/api/v1/sessions", json={"id": _uuid(n), "treatment": "iv_ketamine", **fields}).get_json()

    return [
        entry(1, date="2026-01-01", anxiety=3, note='She said "no", then left', triggers=["work", "sleep"]),
        entry(2, date="2026-01-01", time="07:30", anxiety=0, note="line one\nline two\r\nthree", private=True),
        session(3, date="2026-01-01", time="09:00", dose_mg=35, anxiety_before=8, anxiety_after=3,
                side_effects=[{"name": "nausea", "severity": "moderate", "hours": 2}, "headache"],
                reflection="=HYPERLINK(\"x\"), felt lighter"),
        entry(4, date="2026-01-02", anxiety=10, note="=1+1", triggers=["=cmd", "caffeine"]),
        entry(5, date="2026-01-03", anxiety=5, note="-5"),
        entry(6, date="2026-01-03", anxiety=6, note="'quoted, and 😟 ünïcödé", private=True),
        session(7, date="2026-01-04", dose_mg=0.5, anxiety_before=6, anxiety_after=6, reflection="", private=True),
        entry(8, date="2026-01-05", anxiety=2, note="@mention\tand tab"),
        entry(9, date="2026-01-05", anxiety=1),
    ]


def _stamps(record):
    return f"{record['created_at']},{record['updated_at']}"


HEADER = ("\ufeffid,kind,date,anxiety,triggers,note,treatment,dose_mg,anxiety_before,anxiety_after,side_effects,"
          "reflection,created_at,updated_at,private,time\r\n")


def _rows(timeline):
    """The patient's own export of ``timeline``, a line per record, in the file's order."""
    e1, e2, s3, e4, e5, e6, s7, e8, e9 = timeline
    return [
        f"{_uuid(1)},checkin,2026-01-01,3,sleep; work,\"She said \"\"no\"\", then left\",,,,,,,{_stamps(e1)},false,\r\n",
        f"{_uuid(2)},checkin,2026-01-01,0,,\"line one\nline two\r\nthree\",,,,,,,{_stamps(e2)},true,07:30\r\n",
        f"{_uuid(3)},session,2026-01-01,,,,iv_ketamine,35,8,3,\"headache; nausea (moderate, 2 h)\","
        f"\"'=HYPERLINK(\"\"x\"\"), felt lighter\",{_stamps(s3)},false,09:00\r\n",
        f"{_uuid(4)},checkin,2026-01-02,10,'=cmd; caffeine,'=1+1,,,,,,,{_stamps(e4)},false,\r\n",
        f"{_uuid(5)},checkin,2026-01-03,5,,-5,,,,,,,{_stamps(e5)},false,\r\n",
        f"{_uuid(6)},checkin,2026-01-03,6,,\"''quoted, and 😟 ünïcödé\",,,,,,,{_stamps(e6)},true,\r\n",
        f"{_uuid(7)},session,2026-01-04,,,,iv_ketamine,0.5,6,6,,,{_stamps(s7)},true,\r\n",
        f"{_uuid(8)},checkin,2026-01-05,2,,'@mention\tand tab,,,,,,,{_stamps(e8)},false,\r\n",
        f"{_uuid(9)},checkin,2026-01-05,1,,,,,,,,,{_stamps(e9)},false,\r\n",
    ]


def test_whole_export_byte_for_byte(timeline, patient):
    """The exact bytes: BOM, header, RFC 4180 quoting, formula guard, triggers, private rows, sessions."""
    expected = HEADER + "".join(_rows(timeline))
    assert patient.get("/export/entries.csv").get_data() == expected.encode()


def test_a_date_range_export_byte_for_byte(timeline, patient):
    expected = HEADER + "".join(_rows(timeline)[3:7])  # 2 to 4 January
    assert patient.get("/export/entries.csv?from=2026-01-02&to=2026-01-04").get_data() == expected.encode()


@pytest.mark.parametrize("scope", ["full", "scores"])
def test_the_provider_export_byte_for_byte(timeline, patient, provider, scope):
    """No private rows; under "scores only" no notes or reflections either."""
    e1, _, s3, e4, e5, _, _, e8, e9 = timeline
    patient_id = share(patient, provider, scope)
    text = {
        1: "\"She said \"\"no\"\", then left\"", 3: "\"'=HYPERLINK(\"\"x\"\"), felt lighter\"", 4: "'=1+1", 5: "-5",
        8: "'@mention\tand tab",
    } if scope == "full" else dict.fromkeys((1, 3, 4, 5, 8), "")
    expected = HEADER + (
        f"{_uuid(1)},checkin,2026-01-01,3,sleep; work,{text[1]},,,,,,,{_stamps(e1)},false,\r\n"
        f"{_uuid(3)},session,2026-01-01,,,,iv_ketamine,35,8,3,\"headache; nausea (moderate, 2 h)\","
        f"{text[3]},{_stamps(s3)},false,09:00\r\n"
        f"{_uuid(4)},checkin,2026-01-02,10,'=cmd; caffeine,{text[4]},,,,,,,{_stamps(e4)},false,\r\n"
        f"{_uuid(5)},checkin,2026-01-03,5,,{text[5]},,,,,,,{_stamps(e5)},false,\r\n"
        f"{_uuid(8)},checkin,2026-01-05,2,,{text[8]},,,,,,,{_stamps(e8)},false,\r\n"
        f"{_uuid(9)},checkin,2026-01-05,1,,,,,,,,,{_stamps(e9)},false,\r\n"
    )
    response = provider.get(f"/provider/patients/{patient_id}/export/entries.csv")
    assert response.get_data() == expected.encode()


@pytest.mark.parametrize("page_size", [1, 2, 3, 4])
def test_page_boundaries_do_not_change_the_bytes(timeline, patient, monkeypatch, page_size):
    whole = patient.get("/export/entries.csv").get_data()
    monkeypatch.setattr(entries_store, "EXPORT_PAGE_SIZE", page_size)
    assert patient.get("/export/entries.csv").get_data() == whole


def _row(date, created_at, name):
    row = [""] * len(csv_export.COLUMNS)
    row[0], row[2], row[12] = name, date, created_at
    return row


@pytest.mark.parametrize("page_size", [1, 2, 3, 10])
def test_sessions_go_after_the_checkins_they_tie_with_even_across_pages(page_size):
    """The order heapq.merge gave on (date, created_at, check-in before session), kept by the
    page-wise merge when tied check-ins straddle a page boundary."""
    checkins = [_row("2026-01-01", "t1", "c1"), _row("2026-01-01", "t2", "c2"), _row("2026-01-01", "t2", "c3"),
                _row("2026-01-01", "t2", "c4"), _row("2026-01-02", "t0", "c5")]
    sessions = [_row("2026-01-01", "t0", "s0"), _row("2026-01-01", "t2", "s1"), _row("2026-01-01", "t2", "s2"),
                _row("2026-01-03", "t0", "s3")]
    pages = [checkins[i:i + page_size] for i in range(0, len(checkins), page_size)]
    batches = csv_export.timeline(pages, (((s[2], s[12]), s) for s in sessions))
    assert [row[0] for batch in batches for row in batch] == [
        "s0", "c1", "c2", "c3", "c4", "s1", "s2", "c5", "s3"]
