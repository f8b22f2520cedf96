"""Each sharing patient's dashboard line, kept between requests (migration m013).

A stored line is valid for one version of the patient's diary (``diary_versions``, moved on by
SQLite triggers with every write to their check-ins, sessions and questionnaires) and one day.
"""
import json

# What the sorts read from a line, stored in columns next to it.
HEAD = ("top_flag", "top_date", "last_entry_date", "mean_7", "change_from_baseline")


def shared_patients(db, provider_id):
    """Patients sharing with ``provider_id`` now, by name, each with their diary's version and what
    is stored of their line as ``{version, today, format, head: {HEAD...}}``, or None (``lines`` reads the
    lines themselves). Read both in one snapshot (``db.read_snapshot``)."""
    rows = db.execute(
        f"""
        SELECT u.id, u.display_name, u.timezone, s.scope, s.created_at, coalesce(v.version, 0),
               l.version, l.today, l.format, {', '.join(f'l.{name}' for name in HEAD)}
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
         "stored": None if row[6] is None else {"version": row[6], "today": row[7], "format": row[8],
                                                "head": dict(zip(HEAD, row[9:]))}}
        for row in rows
    ]


def lines(db, patient_ids, *, sparklines=True):
    """{patient id: stored line} (decoded; ``sparkline`` None unless ``sparklines``)."""
    found = {}
    for chunk in range(0, len(patient_ids), 500):  # under SQLite's limit on bound parameters
        ids = patient_ids[chunk:chunk + 500]
        rows = db.execute(
            f"SELECT patient_id, line, {'sparkline' if sparklines else 'NULL'} FROM dashboard_lines"
            f" WHERE patient_id IN ({', '.join('?' for _ in ids)})", ids)
        for patient_id, line, sparkline in rows:
            found[patient_id] = {**json.loads(line), "sparkline": sparkline and json.loads(sparkline)}
    return found


def save_lines(db, lines):
    """Store ``(patient_id, version, today, format, head, line)`` for each line computed (inside a
    write transaction): ``head`` holds HEAD, ``line`` is JSON-able, its ``sparkline`` stored apart.

    A line is stored only if the diary is still at ``version`` (a write since it was read leaves it
    to be computed again) and the patient still shares with someone.
    """
    db.conn.executemany(
        f"""
        INSERT INTO dashboard_lines (patient_id, version, today, format, line, sparkline, {', '.join(HEAD)})
        SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11
        WHERE coalesce((SELECT version FROM diary_versions WHERE user_id = ?1), 0) = ?2
          AND EXISTS (SELECT 1 FROM shares WHERE patient_id = ?1 AND revoked_at IS NULL)
        ON CONFLICT (patient_id) DO UPDATE SET
            version = excluded.version, today = excluded.today, format = excluded.format,
            line = excluded.line, sparkline = excluded.sparkline,
            {', '.join(f'{name} = excluded.{name}' for name in HEAD)}
        """,
        [(patient_id, version, today, format_, json.dumps({k: v for k, v in line.items() if k != "sparkline"}),
          json.dumps(line["sparkline"]), *(head[name] for name in HEAD))
         for patient_id, version, today, format_, head, line in lines],
    )
