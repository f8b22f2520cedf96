"""A patient's questionnaire schedule, as a clinician they share with set it (migration m021)."""
from typing import TypedDict

from sqlite_utils import Database

from ..db import write_transaction
from ..timeutil import utc_now


class Schedule(TypedDict):
    """The schedule in force: its cadence, whether it restarts at each series, who set it and when."""
    cadence: str
    restart_each_series: bool
    set_by: int
    set_by_name: str
    set_at: str


def in_force(db: Database, patient_id: int) -> Schedule | None:
    """The patient's schedule while the clinician who set it still has a live share, else None."""
    row = db.execute(
        """
        SELECT q.cadence, q.restart_each_series, q.set_by, u.display_name, q.set_at
        FROM questionnaire_schedules q JOIN users u ON u.id = q.set_by
        WHERE q.patient_id = ? AND EXISTS (SELECT 1 FROM shares s WHERE s.patient_id = q.patient_id
                                           AND s.provider_id = q.set_by AND s.revoked_at IS NULL)
        """, [patient_id]).fetchone()
    if row is None:
        return None
    return {"cadence": row[0], "restart_each_series": bool(row[1]), "set_by": row[2], "set_by_name": row[3],
            "set_at": row[4]}


def set_schedule(db: Database, patient_id: int, provider_id: int, cadence: str | None, restart: bool) -> None:
    """Set the patient's schedule (``cadence`` None: back to the patient's default). Call inside
    the write transaction that also records it in the audit log."""
    with write_transaction(db):
        if cadence is None:
            db.execute("DELETE FROM questionnaire_schedules WHERE patient_id = ?", [patient_id])
            return
        db.execute(
            "INSERT INTO questionnaire_schedules (patient_id, set_by, cadence, restart_each_series, set_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (patient_id) DO UPDATE SET set_by = excluded.set_by,"
            " cadence = excluded.cadence, restart_each_series = excluded.restart_each_series, set_at = excluded.set_at",
            [patient_id, provider_id, cadence, int(restart), utc_now()])
