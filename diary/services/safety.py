"""Safety: when a saved record shows the patient the support card, what it tells the clinic, and
the provider's acknowledgement. Definitions: docs/INSIGHTS.md ("Safety").
"""
from ..db import write_transaction
from ..insights import crisis
from ..insights.questionnaires import ANSWER_LABELS, PHQ9, SELF_HARM_ITEM, self_harm_answer
from ..store import audit
from ..store import safety as safety_store

HIGHEST_SCORE = 10

# What each kind of record is called in a provider's flag explanation.
SOURCE_LABELS = {"entry": "a check-in", "session": "a session reflection", "assessment": "PHQ-9"}


def entry_support(entry):
    """``{"reason": ...}`` when a check-in should show the support card, else None."""
    if crisis.mentions_crisis(entry["note"]):
        return {"reason": "crisis_language"}
    if entry["anxiety"] >= HIGHEST_SCORE:
        return {"reason": "score_10"}
    return None


def session_support(session):
    return {"reason": "crisis_language"} if crisis.mentions_crisis(session["reflection"]) else None


def assessment_support(assessment):
    if self_harm_answer(assessment["instrument"], assessment["answers"]) is not None:
        return {"reason": "phq9_item9"}
    return None


def _signal(source, record):
    """The provider-facing signal a record carries (never its words), or None.

    A score of 10 alone shows the patient the card but is not a safety signal: the dashboard's
    ``spike`` flag covers it.
    """
    if source == "assessment":
        answer = self_harm_answer(record["instrument"], record["answers"])
        if answer is None:
            return None
        return {"reason": "phq9_item9", "date": record["date"], "private": record["private"],
                "detail": ANSWER_LABELS[answer].lower()}
    text = record["note"] if source == "entry" else record["reflection"]
    if not crisis.mentions_crisis(text):
        return None
    return {"reason": "crisis_language", "date": record["date"], "private": record["private"]}


def note_signal(db, user_id, source, record):
    """Bring the record's safety signal up to date (call inside the write's transaction)."""
    safety_store.set_signal(db, user_id, source, record["id"], _signal(source, record))


def explain(event):
    """The flag's explanation in words, without the patient's own words: a date and what happened."""
    if event["reason"] == "phq9_item9":
        return f"{PHQ9.name} item {SELF_HARM_ITEM + 1} (thoughts of death or self-harm) answered “{event['detail']}”"
    return f"Crisis language in {SOURCE_LABELS[event['source']]}"


def open_flag(db, patient_id, provider_id):
    """The safety flag as this provider sees it: ``{since, reason, date, count, raised_at}``, or None.

    Open while a shared record carries a signal raised after the provider's last acknowledgement.
    ``since`` is the date of the oldest such record, ``reason`` explains the newest.
    """
    events = safety_store.shared_events(
        db, patient_id, since=safety_store.last_acknowledged(db, patient_id, provider_id))
    if not events:
        return None
    newest = events[0]
    return {
        "since": min(e["date"] for e in events), "date": newest["date"], "reason": explain(newest),
        "count": len(events), "raised_at": newest["raised_at"],
    }


def acknowledge(db, provider_id, patient_id):
    """The provider has seen the patient's safety flag: recorded, and audited for the patient's log."""
    with write_transaction(db):
        at = safety_store.acknowledge(db, patient_id, provider_id)
        audit.record(db, "safety.acknowledged", actor_id=provider_id, patient_id=patient_id)
    return at


def history_for_provider(db, patient_id, provider_id):
    """The patient's shared safety signals, newest first, each explained and marked seen or not."""
    seen_until = safety_store.last_acknowledged(db, patient_id, provider_id)
    return [{**event, "explanation": explain(event), "acknowledged": bool(seen_until and event["raised_at"] <= seen_until)}
            for event in safety_store.shared_events(db, patient_id)]
