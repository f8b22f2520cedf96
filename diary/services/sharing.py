"""Sharing, seen from the patient's side: their share codes, who sees their diary, and who looked."""
from typing import TypedDict

from sqlite_utils import Database

from ..messages import Msg
from ..store import audit
from ..store import sharing as sharing_store
from ..store.audit import AccessEvent
from ..store.sharing import CareTeamMember, NewInvite, PendingInvite
from ..vocabulary import AUDIT_ACTION_LABELS

# How a share code is written and read back (dashes, spaces and case ignored): pure text, for pages.
format_code = sharing_store.format_code
normalize_code = sharing_store.normalize_code


class LabelledEvent(AccessEvent):
    """An access log event with how it reads (``access_events``: worded where shown; an action
    without a label as its code)."""
    label: Msg | str


class CareTeamPage(TypedDict):
    """What the Care team page shows (``care_team_page``)."""
    invites: list[PendingInvite]
    providers: list[CareTeamMember]
    events: list[LabelledEvent]


def create_invite(db: Database, patient_id: int, scope: str) -> NewInvite:
    """A new single-use share code with ``scope``: ``{code, scope, expires_at}``."""
    return sharing_store.create_invite(db, patient_id, scope)


def cancel_invite(db: Database, patient_id: int, code: str) -> bool:
    """Cancel an unused code of the patient's: True, or False when there was none."""
    return sharing_store.cancel_invite(db, patient_id, code)


def care_team(db: Database, patient_id: int) -> list[CareTeamMember]:
    """The providers who can see the patient's diary now."""
    return sharing_store.care_team(db, patient_id)


def shares_with(db: Database, patient_id: int, provider_id: int) -> bool:
    """Whether the patient shares their diary with ``provider_id`` now."""
    return sharing_store.live_share(db, provider_id, patient_id) is not None


def set_scope(db: Database, patient_id: int, provider_id: int, scope: str) -> bool:
    """Change what a provider sees: True, or False when they don't share now."""
    return sharing_store.set_scope(db, patient_id, provider_id, scope)


def stop_sharing(db: Database, patient_id: int, provider_id: int) -> bool:
    """End the share now: True, or False when there was none."""
    return sharing_store.revoke(db, patient_id, provider_id)


def access_events(db: Database, patient_id: int, limit: int | None = 200) -> list[LabelledEvent]:
    """The newest ``limit`` views and exports of the patient's diary, each with how it reads."""
    return [{**event, "label": AUDIT_ACTION_LABELS.get(event["action"], event["action"])}
            for event in audit.events_about(db, patient_id, limit=limit)]


def care_team_page(db: Database, patient_id: int) -> CareTeamPage:
    """What the Care team page shows: pending share codes, the providers sharing now, the access log."""
    return {"invites": sharing_store.pending_invites(db, patient_id),
            "providers": sharing_store.care_team(db, patient_id),
            "events": access_events(db, patient_id)}
