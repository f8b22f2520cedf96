"""The audit log is tamper-evident: a hash chain, checked by `flask --app diary verify-audit`."""
import json
import sqlite3
import stat
from pathlib import Path

import pytest
from helpers import PASSWORD, share

from diary.db import get_db
from diary.store import audit as audit_store
from diary.store.audit_chain import link


@pytest.fixture
def logged(app, patient, provider):
    """A log with account events and provider views of the patient."""
    share(patient, provider)
    provider.get("/provider/")
    provider.get("/api/v1/patients")
    with app.app_context():
        ids = [row[0] for row in get_db().execute("SELECT id FROM audit_log ORDER BY id")]
    assert len(ids) >= 5
    return ids


def behind_the_apps_back(app, *statements):
    """Change the SQLite file directly, as someone with the file (not the app) could."""
    conn = sqlite3.connect(app.config["DATABASE"])
    try:
        with conn:
            for sql, params in statements:
                conn.execute(sql, params)
    finally:
        conn.close()


def test_an_untouched_log_verifies(runner, logged):
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0 and f"Audit log intact: {len(logged)} rows" in result.output


def test_a_deleted_row_breaks_the_chain_at_the_next_one(app, runner, logged):
    victim = logged[2]
    behind_the_apps_back(app, ("DROP TRIGGER audit_log_no_delete", ()),
                         ("DELETE FROM audit_log WHERE id = ?", (victim,)))
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1
    assert f"Audit log broken at row {logged[3]}" in result.output


def test_a_changed_row_breaks_the_chain_at_itself(app, runner, logged):
    behind_the_apps_back(app, ("DROP TRIGGER audit_log_no_update", ()),
                         ("UPDATE audit_log SET actor_id = 999 WHERE id = ?", (logged[1],)))
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1 and f"broken at row {logged[1]}" in result.output


def test_the_app_still_refuses_to_change_or_delete_rows(app, logged):
    with app.app_context():
        db = get_db()
        for sql in ("UPDATE audit_log SET detail = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                db.execute(sql)


def test_each_row_chains_onto_the_one_before(app, logged):
    from diary.store.audit_chain import link
    key = bytes.fromhex(app.config["AUDIT_KEY"])
    with app.app_context():
        rows = get_db().execute(
            "SELECT at, actor_id, patient_id, action, detail, actor_name, keyed, hash FROM audit_log ORDER BY id"
        ).fetchall()
    previous = ""
    for at, actor_id, patient_id, action, detail, actor_name, keyed, stored in rows:
        assert keyed == 1  # every row the app writes is keyed with instance/audit_key
        assert stored == link(previous, at, actor_id, patient_id, action, detail, actor_name, key)
        assert stored != link(previous, at, actor_id, patient_id, action, detail, actor_name)
        previous = stored
    assert len({row[-1] for row in rows}) == len(rows)  # every hash differs


def test_the_migration_chains_rows_written_before_it(tmp_path, runner, app):
    from diary.db import connect
    from diary.migrations import migrations
    from diary.store.audit import verify
    db = connect(str(tmp_path / "old.sqlite3"))
    migrations.apply(db, stop_before="m007_audit_hash_chain")
    for n in range(3):
        db.execute("INSERT INTO audit_log (at, actor_id, patient_id, action, detail) VALUES (?, ?, ?, ?, ?)",
                   [f"2026-01-0{n + 1}T00:00:00.000Z", 1, 2, "provider.patient_page", ""])
    migrations.apply(db)
    assert verify(db) == (3, None)
    assert db.execute("SELECT count(*) FROM audit_log WHERE hash IS NULL").fetchone()[0] == 0
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE audit_log SET detail = 'x'")
    db.close()


# --- the provider's name as it was -------------------------------------------------------------

def test_the_access_log_shows_the_providers_name_as_it_was_then(app, patient, provider):
    share(patient, provider)
    provider.get("/provider/")
    assert provider.post("/account/profile", data={"display_name": "Dr. Morgan",
                                                   "timezone": "Europe/London"}).status_code == 302
    provider.get("/api/v1/patients")
    events = patient.get("/api/v1/access-log").get_json()["events"]
    assert [(e["action"], e["actor"]) for e in events][:2] == [
        ("api.patients", "Dr. Morgan"), ("provider.dashboard", "Dr. Lee")]
    page = patient.get("/care-team").get_data(as_text=True)
    assert "Dr. Lee" in page and "Dr. Morgan" in page


def test_a_changed_name_breaks_the_chain(app, runner, logged):
    with app.app_context():
        row_id = get_db().execute(
            "SELECT id FROM audit_log WHERE actor_name = 'Dr. Lee' ORDER BY id LIMIT 1").fetchone()[0]
    behind_the_apps_back(app, ("DROP TRIGGER audit_log_no_update", ()),
                         ("UPDATE audit_log SET actor_name = 'Someone else' WHERE id = ?", (row_id,)))
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1 and f"broken at row {row_id}" in result.output


def test_account_events_keep_no_name_so_a_deleted_account_leaves_none(app, patient, provider):
    share(patient, provider)
    provider.get("/provider/")
    patient.post("/account/delete", data={"password": PASSWORD, "confirmation": "delete"})
    with app.app_context():
        names = get_db().execute(
            "SELECT action, actor_name FROM audit_log WHERE actor_name IS NOT NULL").fetchall()
    assert names and all(name == "Dr. Lee" and action != "account.deleted" for action, name in names)
    assert "Pat" not in {name for _, name in names}


# --- anchors: the chain's head kept outside the database --------------------------------------------

def rechain(app, keyed=None):
    """Recompute every hash with the published recipe, as someone with the file (not the key)
    could; ``keyed=0`` also marks every row as written before the chain was keyed."""
    conn = sqlite3.connect(app.config["DATABASE"])
    previous = ""
    with conn:
        conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        rows = conn.execute("SELECT id, at, actor_id, patient_id, action, detail, actor_name FROM audit_log"
                            " ORDER BY id").fetchall()
        for row_id, at, actor_id, patient_id, action, detail, actor_name in rows:
            previous = link(previous, at, actor_id, patient_id, action, detail, actor_name)
            conn.execute("UPDATE audit_log SET hash = ? WHERE id = ?", [previous, row_id])
            if keyed is not None:
                conn.execute("UPDATE audit_log SET keyed = ? WHERE id = ?", [keyed, row_id])
    conn.close()


def test_without_the_key_a_removed_row_cant_be_hidden_by_recomputing_the_chain(app, runner, logged):
    """The review's attack, before any anchor: delete rows, recompute every hash. The hashes are
    keyed with instance/audit_key, which the database doesn't hold."""
    behind_the_apps_back(app, ("DROP TRIGGER audit_log_no_delete", ()),
                         ("DELETE FROM audit_log WHERE id = ?", (logged[2],)))
    rechain(app)
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1 and f"broken at row {logged[0]}" in result.output


def test_the_anchor_command_appends_the_head_to_a_file_outside_the_database(app, runner, logged):
    result = runner.invoke(args=["audit-anchor"])
    assert result.exit_code == 0, result.output
    anchors = Path(app.config["AUDIT_ANCHORS"])
    assert stat.S_IMODE(anchors.stat().st_mode) == 0o600
    [line] = anchors.read_text().splitlines()
    head = json.loads(line)
    assert head["id"] == logged[-1] and head["count"] == len(logged) and len(head["hash"]) == 64
    assert f"row {logged[-1]}" in result.output and head["hash"] in result.output
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0 and "1 anchored head still there" in result.output


def test_a_cut_tail_is_caught_by_its_anchor(app, runner, logged):
    assert runner.invoke(args=["audit-anchor"]).exit_code == 0
    behind_the_apps_back(app, ("DROP TRIGGER audit_log_no_delete", ()),
                         ("DELETE FROM audit_log WHERE id >= ?", (logged[-2],)))
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1
    assert f"Row {logged[-1]} (anchored" in result.output and "missing: the log's tail was cut" in result.output


def test_rows_removed_and_the_chain_recomputed_are_caught(app, runner, logged, provider, patient):
    """The review's case: all of one provider's views deleted and every hash recomputed."""
    patient.post("/logout")  # an account event after the views: the head stays when they go
    assert runner.invoke(args=["audit-anchor"]).exit_code == 0
    provider.get("/api/v1/patients")  # a later row, after the anchor
    behind_the_apps_back(app, ("DROP TRIGGER audit_log_no_delete", ()),
                         ("DELETE FROM audit_log WHERE action LIKE 'api.%' OR action LIKE 'provider.%'", ()))
    rechain(app, keyed=0)  # even passing the rows off as written before the chain was keyed
    with app.app_context():
        assert audit_store.verify(get_db())[1] is None  # the chain alone can't tell: it was recomputed
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1
    assert "(anchored" in result.output and "is not as anchored: rows removed or the chain rewritten" in result.output


def test_a_backup_anchors_the_head_too(app, runner, logged, tmp_path):
    assert runner.invoke(args=["backup", str(tmp_path / "copy.sqlite3")]).exit_code == 0
    [line] = Path(app.config["AUDIT_ANCHORS"]).read_text().splitlines()
    assert json.loads(line)["id"] == logged[-1]
