"""Each sharing patient's dashboard line, kept between requests (migration m013).

A stored line is valid for one version of the patient's diary (``diary_versions``, moved on by
SQLite triggers with every write to their check-ins, sessions and questionnaires) and one day.
"""
import json

# What the sorts read from a line, stored in columns next to it.
HEAD = ("top_flag", "top_date", "last_entry_date", "mean_7", "change_from_baseline")


def shared_patients(db, provider_id):
    """Patients sharing with ``provider_id`` now, by name, each with their diary's version and the
    stored line as ``{version, today, head: {HEAD...}, line: JSON text, sparkline: JSON text}``, or
    None. One statement, so the version and the line are read from the same snapshot."""
    rows = db.execute(
        f"""
        SELECT u.id, u.display_name, u.timezone, s.scope, s.created_at, coalesce(v.version, 0),
               l.version, l.today, l.line, l.sparkline, {', '.join(f'l.{name}' for name in HEAD)}
        FROM shares s JOIN users u ON u.id = s.patient_id
        LEFT JOIN diary_versions v ON v.user_id = s.patient_id
        LEFT JOIN dashboard_lines l ON l.patient_id = s.patient_id
        WHERE s.provider_id = ? AND s.revoked_at IS NULL
        ORDER BY u.display_name
        """,
        [provider_id],
    ).fetchall()
    return [
        {"id": row[0], "display_name": row[1], "timezone": row[2], "scope": row[3], "since": row[4],
         "version": row[5],
         "stored": None if row[8] is None else {"version": row[6], "today": row[7], "line": row[8],
                                                "sparkline": row[9], "head": dict(zip(HEAD, row[10:]))}}
        for row in rows
    ]


def save_lines(db, lines):
    """Store ``(patient_id, version, today, head, line)`` for each line computed (inside a write
    transaction): ``head`` holds HEAD, ``line`` is JSON-able, its ``sparkline`` stored apart.

    A line is stored only if the diary is still at ``version`` (a write since it was read leaves it
    to be computed again) and the patient still shares with someone.
    """
    db.conn.executemany(
        f"""
        INSERT INTO dashboard_lines (patient_id, version, today, line, sparkline, {', '.join(HEAD)})
        SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10
        WHERE coalesce((SELECT version FROM diary_versions WHERE user_id = ?1), 0) = ?2
          AND EXISTS (SELECT 1 FROM shares WHERE patient_id = ?1 AND revoked_at IS NULL)
        ON CONFLICT (patient_id) DO UPDATE SET
            version = excluded.version, today = excluded.today, line = excluded.line,
            sparkline = excluded.sparkline,
            {', '.join(f'{name} = excluded.{name}' for name in HEAD)}
        """,
        [(patient_id, version, today, json.dumps({k: v for k, v in line.items() if k != "sparkline"}),
          json.dumps(line["sparkline"]), *(head[name] for name in HEAD))
         for patient_id, version, today, head, line in lines],
    )
