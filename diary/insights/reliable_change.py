"""How a GAD-7 or PHQ-9 result compares with the patient's baseline: reliable improvement, no
reliable change or reliable deterioration; response; remission. Pure: no Flask, no SQL.

Definitions (docs/INSIGHTS.md, "Reliable change on every score"):
- **Baseline**: the patient's last result of that questionnaire in the 28 days before their first
  treatment session (or on its day, taken before it: the day's result counts as before);
  without one, or without a session, their first result of that questionnaire.
- **Reliable change**: a change from the baseline of at least 4 points on the GAD-7 or 6 points on
  the PHQ-9, down (improvement) or up (deterioration). These are the thresholds of NHS Talking
  Therapies for anxiety and depression ("reliable improvement" and "reliable deterioration", NHS
  England, The NHS Talking Therapies Manual); 4 points is also the GAD-7's minimal clinically
  important difference (Toussaint A, Hüsing P, Gumz A, et al. J Affect Disord. 2020;265:395-401).
- **Response**: a total at least 50 % below the baseline's; **remission**: a total below 5 (as in
  McInnes LA, Qian JJ, Gargeya RS, DeBattista C, Heifets BD. A retrospective analysis of ketamine
  intravenous therapy for depression in real-world care settings. J Affect Disord.
  2022;301:486-495, for the PHQ-9; the GAD-7's minimal band ends at 4 as well). Both are said only
  when the baseline was at least mild (5 or more): from a minimal baseline there is nothing to
  respond or remit from.
"""
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..messages import Msg, msg

BASELINE_WINDOW_DAYS = 28
RELIABLE_CHANGE = {"gad7": 4, "phq9": 6}
RESPONSE_REDUCTION = 0.5
REMISSION_BELOW = 5
CASE_FROM = 5  # response and remission need a baseline of at least this (mild or more)

IMPROVEMENT, NO_CHANGE, DETERIORATION = "improvement", "no_change", "deterioration"
RELIABLE_LABELS = {IMPROVEMENT: msg("Reliably better"), NO_CHANGE: msg("No reliable change"),
                   DETERIORATION: msg("Reliably worse")}


@dataclass(frozen=True)
class SinceBaseline:
    """One result against its questionnaire's baseline."""
    baseline_id: str
    baseline_date: str
    baseline_total: int
    baseline_source: str  # "before_treatment" or "first_result"
    change: int           # total - baseline total
    reliable: str         # IMPROVEMENT, NO_CHANGE or DETERIORATION
    response: bool | None   # None: the baseline was minimal (below CASE_FROM)
    remission: bool | None

    def as_dict(self) -> dict[str, Any]:
        return {"baseline_id": self.baseline_id, "baseline_date": self.baseline_date,
                "baseline_total": self.baseline_total, "baseline_source": self.baseline_source,
                "change": self.change, "reliable": self.reliable, "response": self.response,
                "remission": self.remission}


def _order(result: Mapping[str, Any]) -> tuple[str, str, str]:
    return (result["date"], result.get("created_at") or "", result["id"])


def baseline(results: Iterable[Mapping[str, Any]], first_session: dt.date | str | None
             ) -> tuple[Mapping[str, Any], str] | None:
    """``(baseline result, source)`` among one questionnaire's ``results`` (any order), or None
    when there are none. ``first_session``: the date of the patient's first treatment session."""
    ordered = sorted(results, key=_order)
    if not ordered:
        return None
    if first_session is not None:
        first = first_session if isinstance(first_session, str) else first_session.isoformat()
        opens = (dt.date.fromisoformat(first) - dt.timedelta(days=BASELINE_WINDOW_DAYS)).isoformat()
        before = [r for r in ordered if opens <= r["date"] <= first]
        if before:
            return before[-1], "before_treatment"
    return ordered[0], "first_result"


def compare(instrument: str, total: int, base: Mapping[str, Any], source: str) -> SinceBaseline:
    change = total - base["total"]
    threshold = RELIABLE_CHANGE[instrument]
    reliable = IMPROVEMENT if change <= -threshold else DETERIORATION if change >= threshold else NO_CHANGE
    case = base["total"] >= CASE_FROM
    return SinceBaseline(
        baseline_id=base["id"], baseline_date=base["date"], baseline_total=base["total"], baseline_source=source,
        change=change, reliable=reliable,
        response=(total <= base["total"] * (1 - RESPONSE_REDUCTION)) if case else None,
        remission=(total < REMISSION_BELOW) if case else None,
    )


def since_baseline(results: Iterable[Mapping[str, Any]], first_session: dt.date | str | None
                   ) -> dict[str, SinceBaseline]:
    """``{result id: SinceBaseline}`` for every result (of both questionnaires) after its
    questionnaire's baseline; the baseline itself and results before it have none."""
    by_instrument: dict[str, list[Mapping[str, Any]]] = {}
    for result in results:
        by_instrument.setdefault(result["instrument"], []).append(result)
    found: dict[str, SinceBaseline] = {}
    for instrument, own in by_instrument.items():
        chosen = baseline(own, first_session)
        if chosen is None:
            continue
        base, source = chosen
        for result in own:
            if _order(result) > _order(base):
                found[result["id"]] = compare(instrument, result["total"], base, source)
    return found


def describe(instrument_name: str, total: int, label: SinceBaseline) -> Msg:
    """A result against its baseline, in plain words: "Reliably worse than before treatment:
    PHQ-9 16, up 7 from 9 (6 points or more counts)"."""
    before = label.baseline_source == "before_treatment"
    if label.reliable == NO_CHANGE:
        verdict = msg("No reliable change since before treatment") if before else \
            msg("No reliable change since the first result")
    elif label.reliable == IMPROVEMENT:
        verdict = msg("Reliably better than before treatment") if before else \
            msg("Reliably better than the first result")
    else:
        verdict = msg("Reliably worse than before treatment") if before else \
            msg("Reliably worse than the first result")
    values = {"change": abs(label.change), "baseline": label.baseline_total}
    size = (msg("down %(change)s from %(baseline)s", **values) if label.change < 0 else
            msg("up %(change)s from %(baseline)s", **values) if label.change else
            msg("the same as %(baseline)s", **values))
    threshold = RELIABLE_CHANGE["gad7" if instrument_name == "GAD-7" else "phq9"]
    text = msg("%(verdict)s: %(instrument)s %(total)s, %(size)s (%(threshold)s points or more counts)",
               verdict=verdict, instrument=instrument_name, total=total, size=size, threshold=threshold)
    if label.response and label.remission:
        return msg("%(text)s; response and remission", text=text)
    if label.response:
        return msg("%(text)s; response", text=text)
    if label.remission:
        return msg("%(text)s; remission", text=text)
    return text
