"""Sharing, seen from the patient's side: their share codes, who sees their diary, and who looked."""
from ..store import audit
from ..store import sharing as sharing_store
from ..vocabulary import AUDIT_ACTION_LABELS


def access_events(db, patient_id, limit=200):
    """The newest ``limit`` views and exports of the patient's diary, each with how it reads."""
    return [{**event, "label": AUDIT_ACTION_LABELS.get(event["action"], event["action"])}
            for event in audit.events_about(db, patient_id, limit=limit)]


def care_team_page(db, patient_id):
    """What the Care team page shows: pending share codes, the providers sharing now, the access log."""
    return {"invites": sharing_store.pending_invites(db, patient_id),
            "providers": sharing_store.care_team(db, patient_id),
            "events": access_events(db, patient_id)}
