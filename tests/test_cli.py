"""flask --app diary init-db | create-user | seed-demo | backup"""
import datetime as dt
import os
import re
import sqlite3
import stat

from helpers import app_connection, current_code

from diary.commands import demo
from diary.db import connect, get_db
from diary.migrations import migrations
from diary.security import otp


def test_init_db_is_repeatable(runner):
    first = runner.invoke(args=["init-db"])
    assert first.exit_code == 0 and "up to date" in first.output  # the fixture already migrated
    assert runner.invoke(args=["init-db"]).exit_code == 0


def test_init_db_creates_a_fresh_database(app, tmp_path):
    app.config["DATABASE"] = str(tmp_path / "fresh.sqlite3")
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0 and f"Applied {len(migrations.pending(connect(':memory:')))} migration(s)" in result.output
    tables = {r[0] for r in sqlite3.connect(tmp_path / "fresh.sqlite3").execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"users", "entries", "treatment_sessions"} <= tables


def test_create_user_then_log_in(runner, auth):
    result = runner.invoke(args=["create-user", "--email", "Nina@Example.com", "--role", "provider",
                                 "--display-name", "Dr. Nina"], input="long enough pw\nlong enough pw\n")
    assert result.exit_code == 0, result.output
    assert "Created provider nina@example.com" in result.output
    response = auth.login("nina@example.com", "long enough pw")
    assert response.status_code == 302 and response.headers["Location"] == "/provider/"


def test_create_user_reports_bad_input(runner):
    result = runner.invoke(args=["create-user", "--email", "not-an-email", "--role", "patient",
                                 "--display-name", "X", "--timezone", "Mars/Base"], input="short\nshort\n")
    assert result.exit_code == 2
    assert "email: Not a valid email address." in result.output
    assert "password: Must be between 8 and 128 characters." in result.output
    assert "timezone: Not a known time zone" in result.output


def test_seed_demo_creates_a_plausible_diary_once(app, runner, auth):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert demo.PATIENT["email"] in result.output and demo.PROVIDER["password"] in result.output
    with app.app_context():
        db = get_db()
        [alex] = db.execute("SELECT id FROM users WHERE email = ?", [demo.PATIENT["email"]]).fetchone()
        days = db.execute("SELECT COUNT(DISTINCT date) FROM entries WHERE user_id = ?", [alex]).fetchone()[0]
        sessions = db.execute("SELECT COUNT(*), COUNT(NULLIF(reflection, '')) FROM treatment_sessions"
                              " WHERE user_id = ?", [alex]).fetchone()
        tagged = db.execute("SELECT COUNT(DISTINCT entry_id) FROM entry_triggers et JOIN entries e ON e.id = et.entry_id"
                            " WHERE e.user_id = ?", [alex]).fetchone()[0]
        entries = db.execute("SELECT COUNT(*) FROM entries WHERE user_id = ?", [alex]).fetchone()[0]
        # The rest of the demo provider's practice: five more patients sharing, each with a course.
        practice = db.execute(
            "SELECT u.display_name, (SELECT COUNT(*) FROM treatment_sessions t WHERE t.user_id = u.id)"
            " FROM shares s JOIN users u ON u.id = s.patient_id WHERE u.id != ? AND s.revoked_at IS NULL",
            [alex]).fetchall()
    assert 100 <= days <= 120
    assert sessions == (9, 9)
    assert tagged > entries / 2
    assert len(practice) == len(demo.PRACTICE) and all(count >= 3 for _, count in practice)
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "already exist" in again.output
    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM entries WHERE user_id = ?", [alex]).fetchone()[0] == entries
    assert auth.login(demo.PATIENT["email"], demo.PATIENT["password"]).headers["Location"] == "/"
    [member] = auth.client.get("/api/v1/care-team").get_json()["providers"]
    assert (member["email"], member["scope"]) == (demo.PROVIDER["email"], "full")
    # A GAD-7 / PHQ-9 history, with one item-9 answer that the demo provider acknowledged.
    history = auth.client.get("/api/v1/assessments").get_json()["assessments"]
    assert {a["instrument"] for a in history} == {"gad7", "phq9"} and len(history) >= 8
    assert [a["answers"][8] for a in history if a["instrument"] == "phq9"].count(1) == 1
    assert auth.client.get("/api/v1/safety-plan").get_json()["reasons_for_living"]
    log = auth.client.get("/api/v1/access-log").get_json()["events"]
    assert [e["actor"] for e in log if e["action"] == "safety.acknowledged"] == [demo.PROVIDER["display_name"]]
    # The course reads true: an induction series, then boosters whose relief lasts 8-12 days, the
    # last one six days ago and still holding, so the answer has a date window ahead.
    relief = auth.client.get("/api/v1/trends?days=all").get_json()["relief"]
    assert [s["status"] for s in relief["series"]] == ["returned"] * 3 + ["censored"]
    assert relief["series"][0]["baseline_source"] == "pretreatment" and len(relief["series"][0]["sessions"]) == 6
    assert all(8 <= s["relief_days"] <= 12 for s in relief["series"][:3])
    assert relief["status"] == "enough" and relief["forecast"]["status"] == "within"
    from zoneinfo import ZoneInfo
    today = dt.datetime.now(ZoneInfo(demo.PATIENT["timezone"])).date().isoformat()
    assert relief["forecast"]["fade_from"] > today  # a window ahead, to act on
    sessions = auth.client.get("/api/v1/sessions").get_json()["sessions"]
    assert any(s["anxiety_after"] > 0 for s in sessions)
    html = auth.client.get("/trends").get_data(as_text=True)
    assert "no clear relief" not in html and "ongoing" not in html and "it may start to fade between" in html
    assert relief["headline"] in html
    report = auth.client.get("/report").get_data(as_text=True)
    assert relief["clinician_headline"] in report and "it may start to fade between" in report
    auth.logout()
    # The demo provider has two-factor on: the output gives the key (as a URI too) and recovery codes.
    secret = re.search(r"otpauth://totp/\S+[?&]secret=([A-Z2-7]+)", result.output).group(1)
    assert otp.grouped(secret) in result.output and otp.grouped(secret) in again.output
    [first_code, _] = re.search(r"recovery codes.*: (\S+), (\S+)$", result.output, re.M).groups()
    assert "recovery codes" not in again.output  # shown once
    assert auth.login(demo.PROVIDER["email"], demo.PROVIDER["password"]).headers["Location"] == "/login/two-factor"
    assert auth.client.get("/api/v1/patients").status_code == 401  # the password alone opens nothing
    assert auth.client.post("/login/two-factor", data={"code": current_code(secret)}).status_code == 302
    rows = auth.client.get("/api/v1/patients").get_json()["patients"]
    assert len(rows) == 1 + len(demo.PRACTICE)
    [row] = [r for r in rows if r["display_name"] == demo.PATIENT["display_name"]]
    assert row["safety"] is None and "safety" not in row["flags"]
    # The clinic sees the same window, on the dashboard and on the patient's page.
    assert (row["forecast_status"], row["fade_from"], row["fade_to"]) == (
        "within", relief["forecast"]["fade_from"], relief["forecast"]["fade_to"])
    assert "usually fades" in auth.client.get("/provider/").get_data(as_text=True)
    page = auth.client.get(f"/provider/patients/{row['id']}").get_data(as_text=True)
    assert relief["clinician_headline"] in page and "it may start to fade between" in page
    auth.logout()
    assert auth.login(demo.PROVIDER["email"], demo.PROVIDER["password"], code=first_code).status_code == 302


def test_backup_writes_a_consistent_copy(patient, runner, tmp_path):
    patient.post("/api/v1/entries", json={"date": "2026-01-02", "anxiety": 3})
    target = tmp_path / "backup.sqlite3"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT date, anxiety FROM entries").fetchall() == [("2026-01-02", 3)]
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_backup_is_readable_by_its_owner_only_whatever_the_umask(patient, runner, tmp_path):
    """It holds notes, password hashes and two-factor secrets: never -rw-r--r-- under umask 022."""
    private, shared = tmp_path / "private", tmp_path / "shared"
    private.mkdir(mode=0o700)
    shared.mkdir()
    shared.chmod(0o755)
    previous = os.umask(0o022)
    try:
        quiet = runner.invoke(args=["backup", str(private / "backup.sqlite3")])
        (shared / "old.sqlite3").write_bytes(b"")  # an earlier file at the path is made private too
        (shared / "old.sqlite3").chmod(0o644)
        warned = runner.invoke(args=["backup", str(shared / "old.sqlite3")])
    finally:
        os.umask(previous)
    assert quiet.exit_code == 0 and warned.exit_code == 0, quiet.output + warned.output
    assert stat.S_IMODE((private / "backup.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE((shared / "old.sqlite3").stat().st_mode) == 0o600
    assert "readable by other users" not in quiet.output
    assert f"{shared} is readable by other users" in warned.output


def test_an_administrator_can_end_one_accounts_logins(app, runner, patient, other_patient):
    result = runner.invoke(args=["end-logins", "PAT@example.com"])
    assert result.exit_code == 0 and "Ended every session of pat@example.com" in result.output
    assert patient.get("/api/v1/me").status_code == 401
    assert other_patient.get("/api/v1/me").status_code == 200
    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM audit_log WHERE action = 'admin.sessions_ended'"
                                ).fetchone()[0] == 1


def test_an_administrator_can_end_everyones_sessions(runner, patient, other_patient):
    result = runner.invoke(args=["end-logins", "--all"])
    assert result.exit_code == 0 and "Ended every session of 2 accounts" in result.output
    assert patient.get("/api/v1/me").status_code == 401 and other_patient.get("/api/v1/me").status_code == 401


def test_ending_sessions_needs_one_known_account_or_all(runner, patient):
    assert runner.invoke(args=["end-logins", "nobody@example.com"]).exit_code == 1
    assert "No account with the email nobody@example.com" in runner.invoke(
        args=["end-logins", "nobody@example.com"]).output
    assert runner.invoke(args=["end-logins"]).exit_code == 2
    assert patient.get("/api/v1/me").status_code == 200


def test_an_administrator_can_reset_a_lost_second_factor(app, runner):
    from helpers import PASSWORD, AuthActions, enrol
    client = app.test_client()
    AuthActions(client).register(email="dr@example.com", role="provider", display_name="Dr. Lee")
    enrol(app, "dr@example.com")
    result = runner.invoke(args=["reset-two-factor", "dr@example.com"])
    assert result.exit_code == 0 and "Two-factor is off for dr@example.com" in result.output
    assert client.get("/api/v1/me").status_code == 401  # every session ended
    response = AuthActions(client).login("dr@example.com", PASSWORD)
    assert response.status_code == 302 and "/login/two-factor" not in response.headers["Location"]
    assert client.get("/api/v1/patients").status_code == 403  # and must enrol again before patient data
    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM audit_log WHERE action = 'admin.two_factor_reset'"
                                ).fetchone()[0] == 1
    assert runner.invoke(args=["reset-two-factor", "nobody@example.com"]).exit_code == 1


def test_backup_while_writing_then_restore(app, patient, runner, tmp_path, monkeypatch):
    """A backup taken while another connection keeps writing is a consistent snapshot; restored
    (the copy in place of the database, as README's "Restore" says), the app serves it."""
    import threading
    import uuid

    from helpers import FAST_HASHING, AuthActions, DiaryClient

    from diary import create_app
    from diary.db import close_db
    from diary.schemas.entries import EntryIn
    from diary.services import records

    user_id = patient.get("/api/v1/me").get_json()["id"]
    for n in range(50):
        patient.post("/api/v1/entries", json={"date": "2026-01-02", "anxiety": n % 11, "note": f"before {n}"})
    stop, started, written = threading.Event(), threading.Event(), []

    def keep_writing():
        db = app_connection(app)
        schema = EntryIn(today=dt.date(2026, 12, 31))
        while not stop.is_set():
            data = schema.load({"id": str(uuid.uuid4()), "date": "2026-01-03", "anxiety": 5, "note": "during"})
            records.create_entry(db, user_id, data)
            written.append(data["id"])
            started.set()
        db.close()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        assert started.wait(10)  # the writer is writing before the backup begins (and goes on during it)
        target = tmp_path / "backup.sqlite3"
        result = runner.invoke(args=["backup", str(target)])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert written  # the backup really ran alongside writes

    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copied = copy.execute("SELECT id, date, anxiety, note FROM entries ORDER BY id").fetchall()
    copy.close()
    source = sqlite3.connect(app.config["DATABASE"])
    assert set(copied) <= set(source.execute("SELECT id, date, anxiety, note FROM entries").fetchall())
    source.close()
    assert len(copied) >= 50

    # Restore: a fresh app over the copy, beside the instance folder the backup was taken with (its
    # master key and key store open the sealed notes).
    restored = create_app({"TESTING": True, "DATABASE": str(target), **FAST_HASHING})
    restored.test_client_class = DiaryClient
    result = restored.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0 and "up to date" in result.output
    client = restored.test_client()
    assert AuthActions(client).login().status_code == 302
    served, url = [], "/api/v1/entries?limit=500"
    while url:
        page = client.get(url).get_json()
        served += [(e["id"], e["date"], e["anxiety"], e["note"]) for e in page["entries"]]
        url = page["next"]
    assert [row[:3] for row in sorted(served)] == [row[:3] for row in copied]
    assert sum(1 for row in served if row[3].startswith("before")) == 50
    close_db(str(target))
