"""Outcomes across a clinician's practice (``/provider/outcomes``, ``GET /api/v1/outcomes``): every
patient sharing with them now (either scope: scores are shared under both), from shared records
only, whose course (first shared session) started in the period. Each patient counted is told so
in their access log, once per view (docs/INSIGHTS.md, "Outcomes across a practice")."""
import datetime as dt
import functools
from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from ..db import read_snapshot, write_transaction
from ..exports import csv_export
from ..insights import outcomes
from ..insights.outcomes import PatientOutcome
from ..store import assessments as assessments_store
from ..store import audit
from ..store import dashboard as dashboard_store
from ..store import sessions as sessions_store
from ..timeutil import today_in
from .memo import DiaryMemo
from .trends import relief_means

# Each patient's outcome, kept while their diary (its version) and their local day stay the same:
# the outcomes of 500 patients took 1.3 s computed afresh on every view (docs/PERFORMANCE.md).
MEMO = DiaryMemo(size=5000)

# The period a course must have started in: days back from the clinician's today (None: ever).
PERIODS = {"90d": 90, "1y": 365, "all": None}
DEFAULT_PERIOD = "1y"
ACTION = "provider.outcomes"


def patient_outcomes(db: Database, provider_id: int, period: str = DEFAULT_PERIOD,
                     today: dt.date | None = None) -> list[PatientOutcome]:
    """The outcome of each patient sharing with ``provider_id`` whose course started in ``period``,
    by name (no audit: ``report`` and the CSV log the view)."""
    days = PERIODS[period]
    found = []
    # Inside someone else's transaction (a write that may roll back) nothing is kept or reused.
    keep = not db.conn.in_transaction
    with read_snapshot(db):
        for patient in dashboard_store.shared_patients(db, provider_id):
            own_today = today or today_in(patient["timezone"])
            compute = functools.partial(_outcome, db, patient["id"], patient["display_name"], own_today)
            outcome = (MEMO.get_at(db, patient["id"], patient["version"], ("outcome", own_today,
                                                                          patient["display_name"]), compute)
                       if keep else compute())
            if outcome is None or outcome.first_session is None:
                continue
            if days is not None and outcome.first_session < own_today - dt.timedelta(days=days - 1):
                continue
            found.append(outcome)
    return found


def _outcome(db: Database, patient_id: int, display_name: str, today: dt.date) -> PatientOutcome | None:
    """One patient's outcome from their shared records (None: no shared session, no course)."""
    sessions = sessions_store.list_sessions(db, patient_id, include_private=False)  # newest first
    if not sessions:
        return None
    return outcomes.patient_outcome(
        patient_id, display_name, sessions, assessments_store.list_assessments(db, patient_id, include_private=False),
        relief_means(db, patient_id, sessions, today, include_private=False), today)


def report(db: Database, provider_id: int, period: str = DEFAULT_PERIOD,
           today: dt.date | None = None) -> tuple[dict[str, Any], list[PatientOutcome]]:
    """``(the practice's outcomes as the API gives them, each patient's outcome)``; each patient
    counted gets one line in their access log, written in one transaction."""
    patients = patient_outcomes(db, provider_id, period, today)
    with write_transaction(db):
        audit.record_many(db, ACTION, actor_id=provider_id, patient_ids=[p.patient_id for p in patients])
    return outcomes.practice(patients, period), patients


def csv(db: Database, provider_id: int, period: str = DEFAULT_PERIOD) -> Iterator[str]:
    """outcomes.csv: one row per patient counted (audited as a view of the outcomes)."""
    _, patients = report(db, provider_id, period)
    return csv_export.stream_outcomes(patients)


# The page lists this many patients (the CSV has them all): 500 cards are no use on a phone.
PAGE_ROWS = 50


def worse_first(patients: list[PatientOutcome]) -> list[PatientOutcome]:
    """The patients whose latest questionnaire is reliably worse than their baseline first, then
    the others, each by name."""
    def reliably_worse(patient: PatientOutcome) -> bool:
        return any(score.label is not None and score.label.reliable == "deterioration"
                   for score in patient.scores.values())
    return sorted(patients, key=lambda p: (not reliably_worse(p), p.display_name.casefold(), p.patient_id))
