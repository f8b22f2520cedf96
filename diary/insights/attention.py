"""Who needs a call today: the numbers, flags and their reasons on a provider's dashboard.

Flags, most urgent first (definitions: docs/INSIGHTS.md, "Provider flags"):
safety, severe, worse, spike, high, rising, quiet. Within a flag, the most recent event first.
"""
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..messages import Msg, msg, plural_msg
from .daily import window_mean
from .questionnaires import INSTRUMENTS, SEVERE_WITHIN_DAYS, SEVERITY_WORDS, is_severe
from .reliable_change import DETERIORATION, SinceBaseline, describe
from .response import pretreatment_baseline

QUIET_DAYS = 7        # no check-in for 7 or more days
HIGH_MEAN = 7.0       # 7-day mean of 7 or more
RISING_BY = 2.0       # 7-day mean at least 2 points above the 7 days before
SPIKE_DAYS = 3        # spike: within the last 3 days (today and the 2 before),
SPIKE_SCORE = 9       # ... a check-in of 9 or 10,
SPIKE_ABOVE = 3.0     # ... or a day at least 3 points above the mean of the 7 days before it
SPARKLINE_DAYS = 30

FLAG_ORDER = ("safety", "severe", "worse", "spike", "high", "rising", "quiet")
FLAG_LABELS = {
    "safety": msg("Safety: needs acknowledging"),
    "severe": msg("Severe questionnaire score"),
    "worse": msg("Reliably worse since treatment began"),
    "spike": msg("Spike in the last 3 days"),
    "high": msg("7-day average 7 or more"),
    "rising": msg("Rising: up 2+ points on the week before"),
    "quiet": msg("No check-in for 7+ days"),
}


@dataclass(frozen=True)
class Reason:
    flag: str
    date: dt.date | None  # when it happened (for "most recent first"); None: never checked in
    text: Msg | str


@dataclass(frozen=True)
class Summary:
    last_entry_date: dt.date | None
    mean_7: float | None
    previous_mean_7: float | None
    change_from_baseline: float | None
    reasons: tuple  # Reason per flag, most urgent first
    sparkline: tuple  # daily means of the last 30 days, None for unlogged days

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(reason.flag for reason in self.reasons)


def spike(means: Mapping[dt.date, float], highest: Mapping[dt.date, int], today: dt.date) -> tuple[dt.date, Msg] | None:
    """The most recent spike in the last 3 days as ``(date, text)``, or None.

    :param highest: {date: the day's highest check-in}.
    """
    for back in range(SPIKE_DAYS):
        day = today - dt.timedelta(days=back)
        if highest.get(day, -1) >= SPIKE_SCORE:
            return day, msg("Checked in at %(score)s on %(date)s", score=highest[day], date=day)
        week = window_mean(means, day - dt.timedelta(days=7), day - dt.timedelta(days=1))
        if day in means and week is not None and means[day] - week >= SPIKE_ABOVE:
            return day, msg("%(date)s averaged %(mean).1f, %(above).1f above the week before (%(week).1f)",
                            date=day, mean=means[day], above=means[day] - week, week=week)
    return None


def severe(latest_assessments: Mapping[str, Mapping[str, Any]], today: dt.date) -> tuple[dt.date, Msg] | None:
    """The newest severe questionnaire result of the last 28 days as ``(date, text)``, or None.

    :param latest_assessments: {instrument: the latest shared result} (dicts with date, total).
    """
    recent = (today - dt.timedelta(days=SEVERE_WITHIN_DAYS - 1)).isoformat()
    found = [a for key, a in latest_assessments.items() if is_severe(key, a["total"]) and a["date"] >= recent]
    if not found:
        return None
    a = max(found, key=lambda a: a["date"])
    instrument = INSTRUMENTS[a["instrument"]]
    day = dt.date.fromisoformat(a["date"])
    return day, msg("%(instrument)s %(total)s (%(severity)s) on %(date)s", instrument=instrument.name,
                    total=a["total"], severity=SEVERITY_WORDS[a["severity"]], date=day)


def worse(latest_assessments: Mapping[str, Mapping[str, Any]], since_baseline: Mapping[str, SinceBaseline],
          first_session_day: dt.date | str | None) -> tuple[dt.date, Msg] | None:
    """The newest questionnaire whose latest result, taken once treatment began (on or after the
    first session's day), is reliably worse than its baseline, as ``(date, text)``; or None.

    :param latest_assessments: {instrument: the latest shared result}.
    :param since_baseline: {result id: its comparison with the baseline} (insights.reliable_change).
    """
    if first_session_day is None:
        return None
    began = first_session_day if isinstance(first_session_day, str) else first_session_day.isoformat()
    found = [a for a in latest_assessments.values() if a["date"] >= began and a["id"] in since_baseline
             and since_baseline[a["id"]].reliable == DETERIORATION]
    if not found:
        return None
    a = max(found, key=lambda a: a["date"])
    text = describe(INSTRUMENTS[a["instrument"]].name, a["total"], since_baseline[a["id"]])
    day = dt.date.fromisoformat(a["date"])
    return day, msg("%(change)s, on %(date)s", change=text, date=day)


def summarize(means: Mapping[dt.date, float], today: dt.date, last_entry_date: dt.date | None,
              first_session_day: dt.date | str | None = None, *, highest: Mapping[dt.date, int] | None = None,
              safety: Mapping[str, Any] | None = None,
              latest_assessments: Mapping[str, Mapping[str, Any]] | None = None,
              since_baseline: Mapping[str, SinceBaseline] | None = None) -> Summary:
    """The dashboard line for one patient.

    :param means: {date: daily mean} from shared check-ins, covering at least the last 30 days and
        the week before the first session.
    :param last_entry_date: the latest shared check-in's date (it may be older than ``means``).
    :param highest: {date: highest shared check-in}, at least for the last 3 days (spikes).
    :param safety: the open safety flag (``{date, text}``, from the safety service) or None.
    :param latest_assessments: {instrument: latest shared result}.
    :param since_baseline: {result id: its comparison with the baseline}, for the ``worse`` flag.
    """
    last = last_entry_date
    mean_7 = window_mean(means, today - dt.timedelta(days=6), today)
    previous = window_mean(means, today - dt.timedelta(days=13), today - dt.timedelta(days=7))
    change = None
    if first_session_day is not None and mean_7 is not None:
        baseline = pretreatment_baseline(means, first_session_day)
        change = None if baseline is None else mean_7 - baseline
    reasons = []
    if safety:
        reasons.append(Reason("safety", dt.date.fromisoformat(safety["date"]), safety["text"]))
    found = severe(latest_assessments or {}, today)
    if found:
        reasons.append(Reason("severe", *found))
    found = worse(latest_assessments or {}, since_baseline or {}, first_session_day)
    if found:
        reasons.append(Reason("worse", *found))
    found = spike(means, highest or {}, today)
    if found:
        reasons.append(Reason("spike", *found))
    if mean_7 is not None and mean_7 >= HIGH_MEAN:
        reasons.append(Reason("high", last, msg("7-day average %(mean).1f", mean=mean_7)))
    if mean_7 is not None and previous is not None and mean_7 - previous >= RISING_BY:
        reasons.append(Reason("rising", last, msg("7-day average %(mean).1f, up %(up).1f on the week before "
                                                  "(%(previous).1f)", mean=mean_7, up=mean_7 - previous,
                                                  previous=previous)))
    if last is None:
        reasons.append(Reason("quiet", None, msg("No check-ins yet")))
    elif (today - last).days >= QUIET_DAYS:
        reasons.append(Reason("quiet", last + dt.timedelta(days=QUIET_DAYS),
                              plural_msg("No check-in since %(date)s (%(num)d day)",
                                         "No check-in since %(date)s (%(num)d days)", (today - last).days, date=last)))
    sparkline = tuple(means.get(today - dt.timedelta(days=n)) for n in range(SPARKLINE_DAYS - 1, -1, -1))
    return Summary(last, mean_7, previous, change, tuple(reasons), sparkline)


def urgency(reasons: Sequence[Reason], name: str) -> tuple[int, int, str]:
    """Sort key for the dashboard: the most urgent flag first, then its most recent event, then name."""
    if not reasons:
        return (len(FLAG_ORDER), 0, name.casefold())
    top = reasons[0]
    return (FLAG_ORDER.index(top.flag), -(top.date.toordinal() if top.date else 0), name.casefold())
