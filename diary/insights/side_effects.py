"""Side-effect summary over a course of sessions: which, how often, how severe, and whether fading.

``summarize(sessions)`` takes session dicts (``date``, optional ``time``, ``side_effects`` as
``[{name, severity, hours}]``; a plain name counts as unrated) and returns, per side effect that
occurred at least once::

    {name, sessions, share, by_severity: {mild, moderate, severe, unrated}, fading}

- ``sessions``: how many sessions had it; ``share``: that count / all sessions given (0-1, rounded
  to 2 decimals). Sessions without side effects count in the denominator.
- ``by_severity``: how many of those sessions rated it mild, moderate, severe, or didn't rate it.
- Sorted by ``sessions`` (most often first), then by the sum of its severity weights over the
  course (below; heaviest first), then by name.

**Fading** compares the first half of the course with the second half:

- the sessions are put in order by date (then time of day); with n sessions, the first half is
  the first ⌊n/2⌋ and the second half the last ⌊n/2⌋ (with an odd n the middle session is in
  neither);
- a side effect's *burden* in a half is the sum of its severity weights over the sessions of
  that half that had it (mild 1, moderate 2, severe 3, unrated 1), divided by the number of
  sessions in the half: 0 = never, 1 = mild every time, 3 = severe every time;
- ``fading`` is ``True`` when the second half's burden is at most half the first half's **and**
  at least 0.5 lower (for example: mild at every early session, then at no more than every
  other later one; or moderate throughout, then mild throughout). Otherwise ``False``
  (including a side effect that only began in the second half);
- ``None`` for every side effect when there are fewer than 4 sessions (two halves of one
  session each say too little), and for a side effect that happened in fewer than 3 sessions
  (once in ten sessions is neither fading nor not: "too few to tell").

Pure: no Flask, no SQL.
"""
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypedDict, cast

SEVERITY_WEIGHTS = {"mild": 1, "moderate": 2, "severe": 3, None: 1}
MIN_SESSIONS_FOR_FADING = 4
MIN_OCCURRENCES_FOR_FADING = 3
FADING_RATIO = 0.5  # the later burden is at most this fraction of the earlier one...
FADING_DROP = 0.5  # ...and lower by at least this much (weighted occurrences per session)


class SideEffectSummary(TypedDict):
    name: str
    sessions: int
    share: float
    by_severity: dict[str, int]  # mild, moderate, severe, unrated
    fading: bool | None


class _Ranked(SideEffectSummary, total=False):
    _burden: int  # the sort's second key, removed before the summary is returned


def _effects(session: Mapping[str, Any]) -> dict[str, str | None]:
    """``{name: severity}`` for one session (a plain name, as stored before severities, is unrated)."""
    found: dict[str, str | None] = {}
    for item in session.get("side_effects") or ():
        if isinstance(item, str):
            found[item] = None
        else:
            found[item["name"]] = item.get("severity")
    return found


def _burden(name: str, half: Sequence[Mapping[str, str | None]]) -> float:
    return sum(SEVERITY_WEIGHTS[effects[name]] for effects in half if name in effects) / len(half)


def is_fading(early: float, late: float) -> bool:
    """The rule above, for one side effect's burden in the first (``early``) and second half."""
    return late <= early * FADING_RATIO and early - late >= FADING_DROP


def summarize(sessions: Iterable[Mapping[str, Any]]) -> list[SideEffectSummary]:
    """The side-effect summary of ``sessions`` (any order); ``[]`` when there are none."""
    ordered = sorted(sessions, key=lambda s: (str(s["date"]), s.get("time") or ""))
    per_session = [_effects(session) for session in ordered]
    total = len(per_session)
    half = total // 2
    first, second = per_session[:half], per_session[total - half:]
    summary: list[_Ranked] = []
    for name in sorted({name for effects in per_session for name in effects}):
        severities = [effects[name] for effects in per_session if name in effects]
        by_severity = {"mild": 0, "moderate": 0, "severe": 0, "unrated": 0}
        for severity in severities:
            by_severity[severity or "unrated"] += 1
        fading = None
        if total >= MIN_SESSIONS_FOR_FADING and len(severities) >= MIN_OCCURRENCES_FOR_FADING:
            fading = is_fading(_burden(name, first), _burden(name, second))
        summary.append({
            "name": name, "sessions": len(severities), "share": round(len(severities) / total, 2),
            "by_severity": by_severity, "fading": fading,
            "_burden": sum(SEVERITY_WEIGHTS[s] for s in severities),
        })
    summary.sort(key=lambda item: (-item["sessions"], -item["_burden"], item["name"]))
    for item in summary:
        del item["_burden"]
    return cast(list[SideEffectSummary], summary)  # every _burden removed above
