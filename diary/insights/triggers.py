"""What triggers do: mean anxiety on days with a trigger vs days without it."""
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypedDict

from ..messages import Msg, msg

MIN_DAYS = 3  # at least this many days with AND without a trigger, or we say nothing about it


@dataclass(frozen=True)
class TriggerEffect:
    name: str
    days_with: int
    days_without: int
    mean_with: float
    mean_without: float

    @property
    def difference(self) -> float:
        """Positive: anxiety is higher on days with the trigger."""
        return self.mean_with - self.mean_without


class _TriggerDays(TypedDict):
    name: str  # as first written
    days: set[str]  # ISO dates


def trigger_effects(rows: Iterable[tuple[dt.date | str, int, Iterable[str]]], start: dt.date, end: dt.date,
                    min_days: int = MIN_DAYS) -> list[TriggerEffect]:
    """Effects of every trigger with enough data in ``start``..``end``, largest effect first.

    ``rows`` are (date, anxiety, triggers) per check-in. A day "has" a trigger when any of its
    check-ins names it; the day's anxiety is the mean of all its check-ins. Only logged days count.
    (The Trends page gets the same figures from the store's per-day totals: effects_from_sums.)
    """
    first, last = start.isoformat(), end.isoformat()
    scores: dict[str, list[int]]
    triggers_on: dict[str, _TriggerDays]
    scores, triggers_on = {}, {}
    for date, anxiety, names in rows:
        date = date.isoformat() if isinstance(date, dt.date) else date  # ISO strings sort as dates
        if not first <= date <= last:
            continue
        scores.setdefault(date, []).append(anxiety)
        for name in names:
            key = name.casefold()
            if key not in triggers_on:
                triggers_on[key] = {"name": name, "days": set()}
            triggers_on[key]["days"].add(date)
    means = {date: sum(values) / len(values) for date, values in scores.items()}
    sums = [(t["name"], len(t["days"]), sum(means[d] for d in t["days"])) for t in triggers_on.values()]
    return effects_from_sums(sums, len(means), sum(means.values()), min_days)


def effects_from_sums(sums: Iterable[tuple[str, int, float]], days: int, total: float,
                      min_days: int = MIN_DAYS) -> list[TriggerEffect]:
    """Effects from per-trigger sums, largest effect first.

    :param sums: ``(name, days with it, sum of those days' means)`` per trigger.
    :param days: logged days in the period; ``total``: the sum of their means.
    Ties in effect size are broken by name, so the order is stable.
    """
    effects = []
    for name, days_with, sum_with in sums:
        days_without = days - days_with
        if days_with < min_days or days_without < min_days:
            continue
        effects.append(TriggerEffect(name=name, days_with=days_with, days_without=days_without,
                                     mean_with=sum_with / days_with,
                                     mean_without=(total - sum_with) / days_without))
    return sorted(effects, key=lambda e: (-abs(e.difference), e.name.casefold()))


PATIENT_SENTENCE = "On days with %(trigger)s your anxiety averaged %(with).1f, vs %(without).1f without."


def describe(effect: TriggerEffect) -> Msg:
    """A plain sentence, e.g. 'On days with work your anxiety averaged 6.1, vs 4.2 without.'"""
    return msg("On days with %(trigger)s your anxiety averaged %(with).1f, vs %(without).1f without.",
               trigger=effect.name, **{"with": effect.mean_with, "without": effect.mean_without})


def for_clinician(sentence: Msg) -> Msg:
    """A trigger's sentence (``describe``) as the clinician reads it: "On days with work anxiety
    averaged 6.1, vs 4.2 without." (the same values; "your" is the patient's word)."""
    if sentence.id != PATIENT_SENTENCE:
        return sentence
    return msg("On days with %(trigger)s anxiety averaged %(with).1f, vs %(without).1f without.", **sentence.args)
