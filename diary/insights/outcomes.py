"""Outcomes across a clinician's patients: response, remission and reliable change on the GAD-7,
the PHQ-9 and the daily anxiety course, and relief pooled over every patient's series. Pure: no
Flask, no SQL. Definitions: docs/INSIGHTS.md, "Outcomes across a practice".

Each patient is summarised first (``patient_outcome``, from their shared records only), then the
practice (``practice``). A rate is given only with at least MIN_FOR_RATE patients behind it: below
that, counts alone, so that two patients out of three never read as "67 %".
"""
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import relief
from .reliable_change import DETERIORATION, IMPROVEMENT, SinceBaseline, since_baseline
from .response import course
from .survival import kaplan_meier, median_confidence_interval, quantile

MIN_FOR_RATE = 5
INSTRUMENT_KEYS = ("gad7", "phq9")


@dataclass(frozen=True)
class ScoreOutcome:
    """One questionnaire of one patient: its baseline and latest result, and the latest against it."""
    baseline_total: int
    baseline_date: str
    latest_total: int | None    # None: no result after the baseline (no follow-up)
    latest_date: str | None
    label: SinceBaseline | None  # the latest against the baseline; None without a follow-up


@dataclass(frozen=True)
class DailyOutcome:
    baseline: float | None
    recent_mean: float | None
    change: float | None
    response: bool | None
    remission: bool | None


@dataclass(frozen=True)
class PatientOutcome:
    patient_id: int
    display_name: str
    first_session: dt.date | None
    scores: dict[str, ScoreOutcome]  # instrument key -> outcome; absent: no result at all
    daily: DailyOutcome
    series: tuple[relief.Series, ...] = field(default=())
    median_relief: float | None = None  # the patient's own typical relief (relief.typical), in days


def patient_outcome(patient_id: int, display_name: str, sessions: Sequence[Mapping[str, Any]],
                    assessments: Iterable[Mapping[str, Any]], means: Mapping[dt.date, float],
                    today: dt.date) -> PatientOutcome:
    """One patient's outcome from their shared ``sessions`` (any order), questionnaire results and
    daily means (``means``: enough to measure relief and the course, as Trends reads them)."""
    ordered = sorted(sessions, key=lambda s: (s["date"], s.get("created_at") or ""))
    first = dt.date.fromisoformat(ordered[0]["date"]) if ordered else None
    results = list(assessments)
    labels = since_baseline(results, first)
    scores = {}
    for key in INSTRUMENT_KEYS:
        own = sorted((r for r in results if r["instrument"] == key),
                     key=lambda r: (r["date"], r.get("created_at") or "", r["id"]))
        if not own:
            continue
        latest = own[-1]
        label = labels.get(latest["id"])
        base_id = label.baseline_id if label else latest["id"]
        base = next(r for r in own if r["id"] == base_id)
        scores[key] = ScoreOutcome(base["total"], base["date"], latest["total"] if label else None,
                                   latest["date"] if label else None, label)
    c = course(first, means, today)
    series = tuple(relief.measure(ordered, means, today)) if ordered else ()
    return PatientOutcome(patient_id, display_name, first, scores,
                          DailyOutcome(c.baseline, c.recent_mean, c.change, c.response, c.remission), series,
                          relief.typical(series).median_days if series else None)


def rate(count: int, of: int) -> dict[str, Any]:
    """``{count, of, rate}``; ``rate`` None below MIN_FOR_RATE patients (counts only)."""
    return {"count": count, "of": of, "rate": round(count / of, 3) if of >= MIN_FOR_RATE else None}


def _score_rates(patients: Sequence[PatientOutcome], key: str) -> dict[str, Any]:
    followed = [label for p in patients if key in p.scores and (label := p.scores[key].label) is not None]
    cases = [label for label in followed if label.response is not None]  # a baseline of 5 or more
    return {
        "with_baseline": sum(1 for p in patients if key in p.scores),
        "with_follow_up": len(followed),
        "response": rate(sum(1 for label in cases if label.response), len(cases)),
        "remission": rate(sum(1 for label in cases if label.remission), len(cases)),
        "reliable_improvement": rate(sum(1 for label in followed if label.reliable == IMPROVEMENT), len(followed)),
        "reliable_deterioration": rate(sum(1 for label in followed if label.reliable == DETERIORATION),
                                       len(followed)),
    }


def _daily_rates(patients: Sequence[PatientOutcome]) -> dict[str, Any]:
    measured = [p.daily for p in patients if p.daily.response is not None]
    return {"with_course": len(measured),
            "response": rate(sum(1 for d in measured if d.response), len(measured)),
            "remission": rate(sum(1 for d in measured if d.remission), len(measured))}


def pooled_relief(series: Sequence[relief.Series]) -> dict[str, Any]:
    """Kaplan–Meier over the relief of ``series`` (returned: an event; censored: cut short), with
    the median, its 95 % confidence interval and the curve with the number at risk at each step."""
    measured = [s for s in series if s.status in ("returned", "censored") and s.relief_days is not None]
    durations = [float(s.relief_days) for s in measured if s.relief_days is not None]
    observed = [s.status == "returned" for s in measured]
    steps = kaplan_meier(durations, observed)
    low, high = median_confidence_interval(durations, observed, steps=steps) if measured else (None, None)
    return {"series": len(measured), "returned": sum(observed), "censored": len(measured) - sum(observed),
            "median_days": quantile(steps, 0.5), "ci_low": low, "ci_high": high,
            "curve": [{"day": step.time, "survival": round(step.survival, 4), "at_risk": step.at_risk}
                      for step in steps]}


def practice(patients: Sequence[PatientOutcome], period: str) -> dict[str, Any]:
    """The outcomes of ``patients`` (those whose course started in ``period``), as the API gives them."""
    started = [p for p in patients if p.first_session is not None]
    relief_all = pooled_relief([s for p in started for s in p.series])
    first = pooled_relief([p.series[0] for p in started if p.series])
    later = pooled_relief([s for p in started for s in p.series[1:]])
    for part in (first, later):
        del part["curve"]
    return {
        "period": period,
        "patients": {
            "started": len(started),
            "with_baseline": sum(1 for p in started if p.scores),
            "with_follow_up": sum(1 for p in started if any(s.label is not None for s in p.scores.values())),
        },
        "gad7": _score_rates(started, "gad7"),
        "phq9": _score_rates(started, "phq9"),
        "daily": _daily_rates(started),
        "relief": {**relief_all, "first_series": first, "later_series": later},
    }
