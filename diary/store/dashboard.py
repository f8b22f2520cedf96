"""Each sharing patient's dashboard line, kept between requests (migration m013).

A stored line is valid for one version of the patient's diary (``diary_versions``, moved on by
SQLite triggers with every write to their check-ins, sessions and questionnaires), one day and
one format of the line.
"""
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypedDict

from sqlite_utils import Database

# What the sorts read of every line, what is read for the patients listed (all of them in the API,
# a page's worth on the page), and what only the page shows.
LINE = ("last_entry_date", "mean_7", "change_from_baseline", "top_flag", "top_date", "days_since_session",
        "forecast_status", "fade_from", "fade_to")
LISTED = ("reasons",)
PAGE = ("last_session", "sparkline")
_JSON = ("reasons", "last_session", "sparkline")
# Read back as its JSON text: the service parses it once per distinct text and keeps what it read
# (the reasons' messages, worded for each reader; services/care.py, line_reasons).
_KEPT_AS_TEXT = ("reasons",)


class StoredLine(TypedDict):
    """A patient's stored dashboard line and what it is valid for."""
    version: int
    today: str
    format: int
    line: dict[str, Any]


class SharedPatient(TypedDict):
    """A patient sharing with the provider now (``shared_patients``)."""
    id: int
    display_name: str
    timezone: str
    scope: str
    since: str
    version: int
    stored: StoredLine | None


def shared_patients(db: Database, provider_id: int, *, listed: bool = False) -> list[SharedPatient]:
    """Patients sharing with ``provider_id`` now, by name, each with their diary's version and the
    stored line as ``{version, today, format, line: {LINE..., and LISTED if ``listed``}}``, or None
    (``listed_parts`` reads the rest). Read both in one snapshot (``db.read_snapshot``)."""
    names = (*LINE, *LISTED) if listed else LINE
    rows = db.execute(
        f"""
        SELECT u.id, u.display_name, u.timezone, s.scope, s.created_at, coalesce(v.version, 0),
               l.version, l.today, l.format, {', '.join(f'l.{name}' for name in names)}
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
                                                "line": _decoded(dict(zip(names, row[9:])))}}
        for row in rows
    ]


def listed_parts(db: Database, patient_ids: Sequence[int], *, page: bool) -> dict[int, dict[str, Any]]:
    """{patient id: {LISTED...}, with PAGE too if ``page``} of the stored lines of ``patient_ids``."""
    names = (*LISTED, *PAGE) if page else LISTED
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(patient_ids), 500):  # well under SQLite's limit on bound parameters
        ids = patient_ids[start:start + 500]
        rows = db.execute(f"SELECT patient_id, {', '.join(names)} FROM dashboard_lines"
                          f" WHERE patient_id IN ({', '.join('?' for _ in ids)})", ids)
        found.update((row[0], _decoded(dict(zip(names, row[1:])))) for row in rows)
    return found


def _decoded(parts: dict[str, Any]) -> dict[str, Any]:
    for name in _JSON:
        if name in parts and parts[name] is not None and name not in _KEPT_AS_TEXT:
            parts[name] = json.loads(parts[name])
    return parts


def save_lines(db: Database, lines: Iterable[tuple[int, int, str, int, Mapping[str, Any]]]) -> None:
    """Store ``(patient_id, version, today, format, line)`` for each line computed (inside a write
    transaction); ``line`` holds LINE, LISTED and PAGE.

    A line is stored only if the diary is still at ``version`` (a write since it was read leaves it
    to be computed again) and the patient still shares with someone.
    """
    columns = (*LINE, *LISTED, *PAGE)
    db.conn.executemany(
        f"""
        INSERT INTO dashboard_lines (patient_id, version, today, format, {', '.join(columns)})
        SELECT ?, ?, ?, ?, {', '.join('?' for _ in columns)}
        WHERE coalesce((SELECT version FROM diary_versions WHERE user_id = ?1), 0) = ?2
          AND EXISTS (SELECT 1 FROM shares WHERE patient_id = ?1 AND revoked_at IS NULL)
        ON CONFLICT (patient_id) DO UPDATE SET
            version = excluded.version, today = excluded.today, format = excluded.format,
            {', '.join(f'{name} = excluded.{name}' for name in columns)}
        """,
        [(patient_id, version, today, format_,
          *(json.dumps(line[name]) if name in _JSON and line[name] is not None else line[name] for name in columns))
         for patient_id, version, today, format_, line in lines],
    )
