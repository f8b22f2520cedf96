"""Each sharing patient's dashboard line, kept between requests (migration m013).

A stored line is valid for one version of the patient's diary (``diary_versions``, moved on by
SQLite triggers with every write to their check-ins, sessions and questionnaires) and one day.
"""
import json


def shared_patients(db, provider_id):
    """Patients sharing with ``provider_id`` now, by name, each with their diary's version and the
    stored line (``{version, today, line}``) or None. One statement, so the version and the line
    are read from the same snapshot."""
    rows = db.execute(
        """
        SELECT u.id, u.display_name, u.timezone, s.scope, s.created_at, coalesce(v.version, 0),
               l.version, l.today, l.line
        FROM shares s JOIN users u ON u.id = s.patient_id
        LEFT JOIN diary_versions v ON v.user_id = s.patient_id
        LEFT JOIN dashboard_lines l ON l.patient_id = s.patient_id
        WHERE s.provider_id = ? AND s.revoked_at IS NULL
        ORDER BY u.display_name
        """,
        [provider_id],
    ).fetchall()
    return [
        {"id": id_, "display_name": name, "timezone": timezone, "scope": scope, "since": since, "version": version,
         "stored": None if line is None else {"version": stored_version, "today": today, "line": json.loads(line)}}
        for id_, name, timezone, scope, since, version, stored_version, today, line in rows
    ]


def save_lines(db, lines):
    """Store ``(patient_id, version, today, line)`` for each line computed, inside a write transaction.

    A line is stored only if the diary is still at ``version`` (a write since it was read leaves it
    to be computed again) and the patient still shares with someone.
    """
    db.conn.executemany(
        """
        INSERT INTO dashboard_lines (patient_id, version, today, line)
        SELECT ?1, ?2, ?3, ?4
        WHERE coalesce((SELECT version FROM diary_versions WHERE user_id = ?1), 0) = ?2
          AND EXISTS (SELECT 1 FROM shares WHERE patient_id = ?1 AND revoked_at IS NULL)
        ON CONFLICT (patient_id) DO UPDATE SET version = excluded.version, today = excluded.today,
                                               line = excluded.line
        """,
        [(patient_id, version, today, json.dumps(line)) for patient_id, version, today, line in lines],
    )
