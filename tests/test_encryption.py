"""The words patients write are sealed at rest (diary/security/fields.py, store/keys.py): nothing
in the database file, its WAL or a backup reads them; deleting an account makes every old copy
unreadable; the migration seals what was written before; the master key rotates."""
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from helpers import FAST_HASHING, PASSWORD, TOTP_SECRET, AuthActions, DiaryClient, enrol, user_id, with_keys

from diary import create_app
from diary.db import close_db, connect, get_db, migrate
from diary.migrations import migrations
from diary.security.fields import DataKey, MasterKeys, Unreadable, new_key
from diary.store import entries as entries_store
from diary.store import keys as keys_store
from diary.store import safety as safety_store
from diary.store import sessions as sessions_store
from diary.store import triggers as triggers_store

# Words no test data elsewhere uses, one per kind of field that holds a patient's words.
NOTE = "Quillfeather dreams of the lighthouse"
TRIGGER = "Zanzibarcommute"
REFLECTION = "Marmalade reflection after the infusion"
PLAN = {"warning_signs": "Pomegranatewarning", "coping_strategies": "Xylophonecoping", "distractions": "",
        "people_to_ask": "Auntie Wobblesworth", "professionals": "", "safer_environment": "",
        "reasons_for_living": "Tangerine cat"}
WORDS = [NOTE, TRIGGER, REFLECTION, *(value for value in PLAN.values() if value)]


def write_everything(client):
    """A check-in with a note and a trigger, a session with a reflection, a safety plan."""
    assert client.post("/api/v1/entries", json={"date": "2026-11-02", "anxiety": 4, "note": NOTE,
                                                 "triggers": [TRIGGER]}).status_code == 201
    assert client.post("/api/v1/sessions", json={"date": "2026-11-01", "treatment": "iv_ketamine",
                                                  "anxiety_before": 7, "anxiety_after": 3,
                                                  "reflection": REFLECTION}).status_code == 201
    assert client.put("/api/v1/safety-plan", json=PLAN).status_code == 200


def found_in(data, words):
    """Which of ``words`` (or their lower case, or UTF-16) ``data`` holds."""
    return [word for word in words
            if any(form in data for form in (word.encode(), word.lower().encode(), word.encode("utf-16-le")))]


def files_of(database):
    return [Path(database + suffix) for suffix in ("", "-wal") if Path(database + suffix).exists()]


def test_the_database_its_wal_and_a_backup_hold_none_of_the_words(app, patient, runner, tmp_path):
    write_everything(patient)
    enrol(app, "pat@example.com")
    secret = TOTP_SECRET
    backup = tmp_path / "backup.sqlite3"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    files = [*files_of(app.config["DATABASE"]), backup]
    assert any(path.name.endswith("-wal") for path in files)  # the WAL, with the latest writes, is read too
    for path in files:
        assert found_in(path.read_bytes(), [*WORDS, secret]) == [], path
    # ...and every one of them reads back through the app.
    entry = patient.get("/api/v1/entries").get_json()["entries"][0]
    assert (entry["note"], entry["triggers"]) == (NOTE, [TRIGGER])
    assert patient.get("/api/v1/sessions").get_json()["sessions"][0]["reflection"] == REFLECTION
    assert patient.get("/api/v1/safety-plan").get_json() == {**PLAN, "updated_at": pytest.approx(
        patient.get("/api/v1/safety-plan").get_json()["updated_at"])}


def test_a_trigger_is_one_whatever_its_case_and_spacing_though_sealed(app, patient):
    for spelling in (TRIGGER, TRIGGER.upper(), f"  {TRIGGER.lower()} "):
        patient.post("/api/v1/entries", json={"date": "2026-11-02", "anxiety": 4, "triggers": [spelling]})
    with app.app_context():
        db = get_db()
        assert triggers_store.ids_by_name(db, user_id(patient)).keys() == {TRIGGER}
        [(stored, index)] = db.execute("SELECT name, name_key FROM triggers").fetchall()
    assert TRIGGER.lower() not in index and found_in(stored.encode(), [TRIGGER]) == []
    [listed] = patient.get("/api/v1/triggers").get_json()["triggers"]
    assert (listed["name"], listed["entry_count"]) == (TRIGGER, 3)
    tagged = patient.get(f"/api/v1/entries?trigger_id={listed['id']}").get_json()["entries"]
    assert [entry["triggers"] for entry in tagged] == [[TRIGGER]] * 3


def test_a_changed_or_moved_value_does_not_open(app, patient):
    """AES-GCM's tag: a flipped byte, or a sealed note copied into another row or account, fails
    loudly (503, nothing shown) instead of reading as something else."""
    write_everything(patient)
    other = app.test_client()
    AuthActions(other).register(email="other@example.com")
    other.post("/api/v1/entries", json={"date": "2026-11-03", "anxiety": 2, "note": "mine"})
    with app.app_context():
        db = get_db()
        sealed = db.execute("SELECT note FROM entries WHERE note != '' AND user_id = ?",
                            [user_id(patient)]).fetchone()[0]
        db.execute("UPDATE entries SET note = ? WHERE user_id != ?", [sealed, user_id(patient)])
    response = other.get("/api/v1/entries")
    assert response.status_code == 503 and "missing a key" in response.get_json()["errors"]["request"][0]
    key = DataKey(1, new_key())
    value = key.seal("entries.note", "hello")
    assert key.open("entries.note", value) == "hello"
    with pytest.raises(Unreadable):
        key.open("treatment_sessions.reflection", value)  # another column
    flipped = bytearray(value.encode())
    flipped[20] = ord("A") if flipped[20] != ord("A") else ord("B")
    with pytest.raises(Unreadable):
        key.open("entries.note", flipped.decode())


def test_deleting_the_account_makes_an_old_backup_unreadable(app, patient, runner, tmp_path):
    """The backup still holds the sealed words, but the key that opened them is gone everywhere."""
    write_everything(patient)
    patient_id = user_id(patient)
    with app.app_context():
        [wrapped] = get_db().execute("SELECT wrapped FROM keys.data_keys WHERE user_id = ?", [patient_id]).fetchone()
    backup = tmp_path / "before-deletion.sqlite3"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    assert patient.post("/account/delete", data={"password": PASSWORD, "confirmation": "delete"}).status_code == 302
    key_store = Path(app.config["KEY_STORE"])
    assert stat.S_IMODE(key_store.stat().st_mode) == 0o600
    close_db(app.config["DATABASE"])
    old = with_keys(connect(str(backup)), key_store, app.config["MASTER_KEYS"])  # today's keys, as a restore has
    try:
        assert old.execute("SELECT count(*) FROM entries WHERE user_id = ?", [patient_id]).fetchone()[0] == 1
        assert isinstance(keys_store.reader(old, patient_id), keys_store.MissingKey)
        with pytest.raises(Unreadable):
            entries_store.list_entries(old, patient_id)
        with pytest.raises(Unreadable):
            sessions_store.list_sessions(old, patient_id)
        with pytest.raises(Unreadable):
            safety_store.get_plan(old, patient_id)
    finally:
        old.close()
    # The key store's file (and its WAL, cut at the deletion) holds no trace of the key either.
    assert files_of(str(key_store))
    for path in files_of(str(key_store)):
        assert wrapped not in path.read_bytes(), path


def test_the_migration_seals_what_was_written_before(tmp_path):
    db = with_keys(connect(str(tmp_path / "old.sqlite3")), tmp_path / "keys.sqlite3")
    migrations.apply(db, stop_before="m020_seal_words")
    db.execute("INSERT INTO users (id, email, password_hash, role, display_name, timezone, created_at, mfa_secret)"
               " VALUES (1, 'a@b.c', 'x', 'patient', 'A', 'UTC', 'now', 'sealed:legacy')")
    db.execute("INSERT INTO entries (id, user_id, date, anxiety, note, created_at, updated_at)"
               " VALUES ('e1', 1, '2026-01-05', 4, ?, 'now', 'now'), ('e2', 1, '2026-01-06', 2, '', 'now', 'now')",
               [NOTE])
    db.execute("INSERT INTO triggers (id, user_id, name, name_key) VALUES (7, 1, ?, ?)", [TRIGGER, TRIGGER.casefold()])
    db.execute("INSERT INTO entry_triggers (entry_id, trigger_id) VALUES ('e1', 7)")
    db.execute("INSERT INTO treatment_sessions (id, user_id, date, treatment, anxiety_before, anxiety_after,"
               " side_effects, reflection, created_at, updated_at)"
               " VALUES ('s1', 1, '2026-01-05', 'iv_ketamine', 7, 3, '[]', ?, 'now', 'now')", [REFLECTION])
    db.execute(f"INSERT INTO safety_plans (user_id, {', '.join(PLAN)}, updated_at)"
               f" VALUES (1, {', '.join('?' for _ in PLAN)}, 'now')", list(PLAN.values()))
    migrate(db)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert found_in((tmp_path / "old.sqlite3").read_bytes(), WORDS) == []
    assert [(e["note"], e["triggers"]) for e in entries_store.list_entries(db, 1)] == [("", []), (NOTE, [TRIGGER])]
    assert sessions_store.get_session(db, 1, "s1")["reflection"] == REFLECTION
    assert {k: v for k, v in safety_store.get_plan(db, 1).items() if k != "updated_at"} == PLAN
    assert triggers_store.get_trigger_by_name(db, 1, TRIGGER.upper()) == {"id": 7, "name": TRIGGER}
    from diary.store import mfa as mfa_store
    assert mfa_store.get_secret(db, 1)["secret"] == "sealed:legacy"
    db.close()


@pytest.fixture
def rotating_app(tmp_path, monkeypatch, migrated_database):
    """An app whose master key lives in instance/master_key (no DIARY_MASTER_KEY)."""
    monkeypatch.delenv("DIARY_MASTER_KEY", raising=False)
    monkeypatch.setenv("DIARY_INSTANCE_PATH", str(tmp_path / "instance"))

    def make():
        app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "diary.sqlite3"), **FAST_HASHING})
        app.test_client_class = DiaryClient
        with app.app_context():
            migrate(get_db())
        return app
    yield make
    close_db(str(tmp_path / "diary.sqlite3"))


def test_rotating_the_master_key_rewraps_keys_and_leaves_the_rows_alone(rotating_app, tmp_path):
    """Step one writes a new key and keeps the old one; the app still running with the old key goes
    on reading and writing (and making keys). After a restart, --finish wraps every key with the new
    one; then the new key alone opens everything, and no sealed row has changed."""
    app = rotating_app()
    client = app.test_client()
    AuthActions(client).register()
    write_everything(client)
    instance = Path(app.instance_path)
    old_key = (instance / "master_key").read_text()
    with app.app_context():
        rows_before = get_db().execute("SELECT id, note FROM entries").fetchall()
    result = app.test_cli_runner().invoke(args=["rotate-master-key"])
    assert result.exit_code == 0, result.output
    new_key = (instance / "master_key").read_text()
    assert new_key != old_key and (instance / "master_key.previous").read_text() == old_key
    assert stat.S_IMODE((instance / "master_key").stat().st_mode) == 0o600
    # The running app, with the old key only, goes on: it reads, writes, and makes a new account's key.
    assert client.get("/api/v1/entries").get_json()["entries"][0]["note"] == NOTE
    assert client.post("/api/v1/entries", json={"date": "2026-11-05", "anxiety": 3, "note": "after step one"}
                       ).status_code == 201
    newcomer = app.test_client()
    AuthActions(newcomer).register(email="new@example.com")
    assert newcomer.post("/api/v1/entries", json={"date": "2026-11-05", "anxiety": 2, "note": "newcomer"}
                         ).status_code == 201
    with app.app_context():
        rows_before = get_db().execute("SELECT id, note FROM entries ORDER BY id").fetchall()
    # Running the first step again before finishing is refused.
    assert app.test_cli_runner().invoke(args=["rotate-master-key"]).exit_code != 0
    close_db(app.config["DATABASE"])
    app = rotating_app()  # the restart: both keys
    result = app.test_cli_runner().invoke(args=["rotate-master-key", "--finish"])
    assert result.exit_code == 0, result.output
    assert "Wrapped 2 data keys" in result.output and not (instance / "master_key.previous").exists()
    close_db(app.config["DATABASE"])
    app = rotating_app()  # the new key alone opens everything; the rows are byte for byte the same
    with app.app_context():
        assert get_db().execute("SELECT id, note FROM entries ORDER BY id").fetchall() == rows_before
        assert {row[0] for row in get_db().execute("SELECT master_id FROM keys.data_keys")} == {
            MasterKeys.from_text(new_key).current_id}
    for email, note in (("pat@example.com", "after step one"), ("new@example.com", "newcomer")):
        client = app.test_client()
        assert AuthActions(client).login(email=email).status_code == 302
        assert client.get("/api/v1/entries").get_json()["entries"][0]["note"] == note


def test_a_rotation_cut_short_after_keeping_the_old_key_goes_on(rotating_app):
    """A crash after master_key.previous was written but before the new key: running again goes on."""
    app = rotating_app()
    AuthActions(app.test_client()).register()
    instance = Path(app.instance_path)
    (instance / "master_key.previous").write_text((instance / "master_key").read_text())
    assert app.test_cli_runner().invoke(args=["rotate-master-key"]).exit_code == 0
    assert (instance / "master_key").read_text() != (instance / "master_key.previous").read_text()


def test_a_lost_master_key_is_said_plainly(rotating_app, tmp_path):
    """A new master key made where the old one went missing opens none of the existing keys:
    init-db refuses to go on, /healthz says so, and a patient's page answers 503, not a 500."""
    app = rotating_app()
    client = app.test_client()
    AuthActions(client).register()
    write_everything(client)
    close_db(app.config["DATABASE"])
    os.remove(Path(app.instance_path) / "master_key")
    app = rotating_app()  # with a master key made afresh
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code != 0 and "wrapped by a master key this server wasn't given" in result.output
    health = app.test_client().get("/healthz")
    assert health.status_code == 503 and health.get_json()["keys"] == "unreadable"
    client = app.test_client()
    assert AuthActions(client).login().status_code == 302
    response = client.get("/api/v1/entries")
    assert response.status_code == 503
    close_db(app.config["DATABASE"])


def test_the_key_store_is_its_own_file_beside_the_database(app, patient):
    write_everything(patient)
    with sqlite3.connect(app.config["KEY_STORE"]) as keys:
        assert keys.execute("SELECT count(*) FROM data_keys").fetchone()[0] == 1
    with sqlite3.connect(app.config["DATABASE"]) as main:
        tables = {row[0] for row in main.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "data_keys" not in tables


def test_a_trigger_made_while_an_export_streams_is_named(app, patient):
    """The names are read once per export; a check-in tagged with a trigger made after that still
    gets its name (the export reads the names again), not an error mid-stream."""
    patient.post("/api/v1/entries", json={"date": "2026-11-01", "anxiety": 3, "triggers": ["first"]})
    with app.app_context():
        db = get_db()
        names = triggers_store.Names(db, user_id(patient))
        [first] = triggers_store.ids_by_name(db, user_id(patient)).values()
        assert names.get(first) == "first"
        patient.post("/api/v1/entries", json={"date": "2026-11-02", "anxiety": 3, "triggers": ["second"]})
        second = triggers_store.ids_by_name(db, user_id(patient))["second"]
        assert names.sorted([second, first]) == ["first", "second"]


def test_a_lost_key_store_is_said_and_no_second_key_is_made(rotating_app):
    """The key store gone (or another one given): init-db refuses, /healthz says so, and a new note
    is refused rather than sealed under a new key while the old words wait for the right store."""
    app = rotating_app()
    client = app.test_client()
    AuthActions(client).register()
    write_everything(client)
    patient_id = user_id(client)
    close_db(app.config["DATABASE"])
    for path in files_of(app.config["KEY_STORE"]):
        path.unlink()
    app = rotating_app()
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code != 0 and "has no key for them" in result.output
    health = app.test_client().get("/healthz")
    assert health.status_code == 503 and health.get_json()["keys"] == "unreadable"
    client = app.test_client()
    assert AuthActions(client).login().status_code == 302
    assert client.post("/api/v1/entries", json={"date": "2026-11-06", "anxiety": 3, "note": "new"}).status_code == 503
    assert client.get("/api/v1/entries").status_code == 503
    with app.app_context():
        assert get_db().execute("SELECT count(*) FROM keys.data_keys WHERE user_id = ?", [patient_id]).fetchone()[0] == 0
        assert get_db().execute("SELECT count(*) FROM entries").fetchone()[0] == 1  # nothing saved
    close_db(app.config["DATABASE"])


def test_an_account_has_its_key_from_the_start_and_a_deleted_one_none(app, patient, runner):
    """The key is committed when the account is made, before any words (a key made with the first
    words could be lost between the two files' commits); init-db destroys a key a deleted account
    kept (its deletion's key store commit lost in a crash)."""
    patient_id = user_id(patient)
    with app.app_context():
        assert get_db().execute("SELECT count(*) FROM keys.data_keys WHERE user_id = ?", [patient_id]).fetchone()[0] == 1
    assert patient.post("/account/delete", data={"password": PASSWORD, "confirmation": "delete"}).status_code == 302
    with app.app_context():
        db = get_db()
        db.execute("INSERT INTO keys.data_keys (user_id, wrapped, master_id, created_at) VALUES (?, x'00', 'x', 'now')",
                   [patient_id])
    assert runner.invoke(args=["init-db"]).exit_code == 0
    with app.app_context():
        assert get_db().execute("SELECT count(*) FROM keys.data_keys WHERE user_id = ?", [patient_id]).fetchone()[0] == 0


def test_a_trigger_deleted_while_a_list_is_read_is_left_out(app, patient):
    patient.post("/api/v1/entries", json={"date": "2026-11-01", "anxiety": 3, "triggers": ["first", "second"]})
    with app.app_context():
        db = get_db()
        ids = triggers_store.ids_by_name(db, user_id(patient))
        names = triggers_store.Names(db, user_id(patient))  # as a read makes it, after reading its rows
        triggers_store.delete_trigger(db, user_id(patient), ids["second"])  # ...and before it reads the names
        assert names.sorted([ids["second"], ids["first"]]) == ["first"]


def test_backup_keys_copies_the_key_store_privately_while_the_app_runs(app, patient, runner, tmp_path):
    write_everything(patient)
    copy = tmp_path / "keys-copy.sqlite3"
    result = runner.invoke(args=["backup-keys", str(copy)])
    assert result.exit_code == 0, result.output
    assert "don't keep old ones" in result.output
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    with sqlite3.connect(copy) as copied, app.app_context():
        assert copied.execute("SELECT user_id, wrapped FROM data_keys").fetchall() == \
            get_db().execute("SELECT user_id, wrapped FROM keys.data_keys").fetchall()
    close_db(app.config["DATABASE"])
    # The copy, put in place of a lost key store, opens the words again.
    for path in files_of(app.config["KEY_STORE"]):
        path.unlink()
    copy.rename(app.config["KEY_STORE"])
    assert patient.get("/api/v1/entries").get_json()["entries"][0]["note"] == NOTE
