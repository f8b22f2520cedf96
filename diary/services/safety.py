"""Safety: when a saved record shows the patient the support card, what it tells the clinic, and
the provider's acknowledgement. Definitions: docs/INSIGHTS.md ("Safety").
"""
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NotRequired, TypedDict

from sqlite_utils import Database

from ..db import write_transaction
from ..insights import crisis
from ..insights.questionnaires import ANSWER_LABELS, PHQ9, SELF_HARM_ITEM, self_harm_answer
from ..messages import Msg, Official, msg
from ..store import audit
from ..store import safety as safety_store
from ..store.safety import SafetyEvent, SafetyPlan
from ..timeutil import local_date

PLAN_FIELDS = safety_store.PLAN_FIELDS  # the Stanley–Brown steps, in order

HIGHEST_SCORE = 10
# A provider who starts sharing also sees signals raised in the two weeks before (then older
# ones are history on the patient page, not an open flag).
SHARE_LOOKBACK = dt.timedelta(days=14)

# A provider's flag explanation of crisis language, by the kind of record it was in.
CRISIS_EXPLANATIONS = {"entry": msg("Crisis language in a check-in"),
                       "session": msg("Crisis language in a session reflection"),
                       "assessment": msg("Crisis language in PHQ-9")}


class Support(TypedDict):
    """Why a saved record shows the patient the support card."""
    reason: str


class Signal(TypedDict):
    """The provider-facing signal a record carries (never its words): what safety_store.set_signal stores."""
    reason: str
    date: str
    private: bool
    detail: NotRequired[str]


class Flag(TypedDict):
    """A patient's open safety flag as one provider sees it (``open_flag``): ``reason`` and ``text``
    are worded in the provider's language when shown."""
    since: str
    date: str
    reason: Msg
    text: Msg
    count: int
    raised_at: str


class ExplainedEvent(SafetyEvent):
    """A shared safety signal explained, and whether the provider has seen it (``history_for_provider``)."""
    text: Msg
    acknowledged: bool


def _words(source: str, record: Mapping[str, Any]) -> tuple[str, ...]:
    """The free text of a record that could hold crisis language (a check-in's triggers too:
    they are the patient's own words, and providers see them under every scope)."""
    if source == "entry":
        return (record["note"], *record["triggers"])
    if source == "session":
        return (record["reflection"],)
    return ()


def has_crisis_words(source: str, record: Mapping[str, Any]) -> bool:
    """Whether the record's free text holds crisis language: asked once per save, for both the
    patient's card and the clinic's signal (pass the answer to each)."""
    return crisis.mentions_crisis(*_words(source, record))


def entry_support(entry: Mapping[str, Any], crisis_words: bool) -> Support | None:
    """``{"reason": ...}`` when a check-in should show the support card, else None.
    ``crisis_words``: has_crisis_words("entry", entry), asked once per save."""
    if crisis_words:
        return {"reason": "crisis_language"}
    if entry["anxiety"] >= HIGHEST_SCORE:
        return {"reason": "score_10"}
    return None


def session_support(session: Mapping[str, Any], crisis_words: bool) -> Support | None:
    if crisis_words:
        return {"reason": "crisis_language"}
    return None


def assessment_support(assessment: Mapping[str, Any]) -> Support | None:
    if self_harm_answer(assessment["instrument"], assessment["answers"]) is not None:
        return {"reason": "phq9_item9"}
    return None


def _signal(source: str, record: Mapping[str, Any], crisis_words: bool) -> Signal | None:
    """The provider-facing signal a record carries (never its words), or None.

    A score of 10 alone shows the patient the card but is not a safety signal: the dashboard's
    ``spike`` flag covers it.
    """
    if source == "assessment":
        answer = self_harm_answer(record["instrument"], record["answers"])
        if answer is None:
            return None
        # Stored as the English answer (what it always was); worded for each reader by ``explain``.
        return {"reason": "phq9_item9", "date": record["date"], "private": record["private"],
                "detail": ANSWER_LABELS[answer].english().lower()}
    if not crisis_words:
        return None
    return {"reason": "crisis_language", "date": record["date"], "private": record["private"]}


def note_signal(db: Database, user_id: int, source: str, record: Mapping[str, Any],
                before: Mapping[str, Any] | None = None, *, crisis_words: bool, new: bool = False) -> None:
    """Bring the record's safety signal up to date (call inside the write's transaction).

    ``before``: the record as it was, for an edit: changed words raise the signal anew.
    ``new``: the record was created in this transaction (it can have no stored signal yet).
    ``crisis_words``: has_crisis_words(source, record), asked once per save for the card and the signal.
    """
    renewed = before is not None and _words(source, before) != _words(source, record)
    safety_store.set_signal(db, user_id, source, record["id"], _signal(source, record, crisis_words), renewed=renewed,
                            new=new)


# A PHQ-9 signal's stored detail (the English answer, lower case) -> the answer in every language,
# as it reads inside a sentence (lower case).
_ANSWERS_BY_DETAIL = {
    label.english().lower(): Official(**{language: text.lower() for language, text in label.texts.items()})
    for label in ANSWER_LABELS.values()
}


def explain(event: Mapping[str, Any]) -> Msg:
    """What happened, without the patient's own words."""
    if event["reason"] == "phq9_item9":
        answer = _ANSWERS_BY_DETAIL.get(event["detail"])
        return msg("%(instrument)s item %(item)s (thoughts of death or self-harm) answered “%(answer)s”",
                   instrument=PHQ9.name, item=SELF_HARM_ITEM + 1,
                   answer=answer if answer is not None else event["detail"])
    return CRISIS_EXPLANATIONS[event["source"]]


def _sentence(event: Mapping[str, Any], raised_on: dt.date) -> Msg:
    """'Crisis language in a check-in on Tue 24 Nov', naming the record's own date if it differs
    (the dates worded as the reader reads dates)."""
    if event["date"] != raised_on.isoformat():
        return msg("%(event)s on %(day)s (dated %(dated)s)", event=explain(event), day=raised_on,
                   dated=dt.date.fromisoformat(event["date"]))
    return msg("%(event)s on %(day)s", event=explain(event), day=raised_on)


def open_flag(db: Database, patient: Mapping[str, Any], provider_id: int, share_since: str) -> Flag | None:
    """The safety flag as this provider sees it, or None.

    Open while a shared record carries a signal raised after the newest one this provider
    acknowledged (and not more than two weeks before they started sharing). Dates are the days
    the signals were raised, in the patient's time zone. ``raised_at`` of the newest is what an
    acknowledgement of this flag covers.
    """
    seen = safety_store.last_acknowledged(db, patient["id"], provider_id)
    return _flag(safety_store.shared_events(db, patient["id"], since=seen), patient, share_since)


def open_flags(db: Database, provider_id: int, patients: Iterable[Mapping[str, Any]]) -> dict[int, Flag]:
    """{patient id: open flag} for ``patients`` (each sharing with the provider now: id, timezone,
    since), as ``open_flag`` sees each one, in one query for all of them."""
    events = safety_store.open_events_for_provider(db, provider_id)
    flags = {p["id"]: _flag(events.get(p["id"], []), p, p["since"]) for p in patients}
    return {patient_id: flag for patient_id, flag in flags.items() if flag}


def shown_from(share_since: str) -> str:
    """The UTC time (as stored) after which a signal opens a share's flag: SHARE_LOOKBACK before
    the share began."""
    floor = dt.datetime.fromisoformat(share_since.replace("Z", "+00:00")) - SHARE_LOOKBACK
    return floor.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _flag(events: Sequence[Mapping[str, Any]], patient: Mapping[str, Any], share_since: str) -> Flag | None:
    """The flag from the signals raised after the provider's last acknowledgement (newest first)."""
    if not events:
        return None
    floor = shown_from(share_since)
    events = [e for e in events if e["raised_at"] > floor]
    if not events:
        return None
    newest = events[0]
    raised_on = local_date(newest["raised_at"], patient["timezone"])
    return {
        "since": local_date(events[-1]["raised_at"], patient["timezone"]).isoformat(),
        "date": raised_on.isoformat(), "reason": explain(newest), "text": _sentence(newest, raised_on),
        "count": len(events), "raised_at": newest["raised_at"],
    }


def acknowledge(db: Database, provider_id: int, patient_id: int, through: str | None = None) -> bool:
    """The provider has seen the patient's safety signals raised up to ``through`` (the flag's
    ``raised_at`` they were shown; None: all so far). Recorded and audited for the patient's log;
    False, and nothing written, when there was nothing open to acknowledge.
    """
    with write_transaction(db):
        seen = safety_store.last_acknowledged(db, patient_id, provider_id)
        covered = [e["raised_at"] for e in safety_store.shared_events(db, patient_id, since=seen)
                   if through is None or e["raised_at"] <= through]
        if not covered:
            return False
        safety_store.acknowledge(db, patient_id, provider_id, max(covered))
        audit.record(db, "safety.acknowledged", actor_id=provider_id, patient_id=patient_id)
    return True


def history_for_provider(db: Database, patient: Mapping[str, Any], provider_id: int) -> list[ExplainedEvent]:
    """The patient's shared safety signals, newest first, each explained and marked seen or not."""
    seen_until = safety_store.last_acknowledged(db, patient["id"], provider_id)
    return [{**event, "text": _sentence(event, local_date(event["raised_at"], patient["timezone"])),
             "acknowledged": bool(seen_until and event["raised_at"] <= seen_until)}
            for event in safety_store.shared_events(db, patient["id"])]


def plan(db: Database, user_id: int) -> SafetyPlan:
    """The patient's safety plan (every step, empty where not written yet)."""
    return safety_store.get_plan(db, user_id)


def save_plan(db: Database, user_id: int, steps: Mapping[str, str]) -> SafetyPlan:
    """Replace the patient's safety plan; returns it as stored."""
    return safety_store.save_plan(db, user_id, steps)
