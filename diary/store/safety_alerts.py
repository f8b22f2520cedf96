"""Safety alerts by web push: the signals each provider's alert browsers have not been told about,
and the log of what was sent (``safety_alerts_sent``). The browsers are push_subscriptions rows
with the purpose 'safety_alerts' (store/push.py)."""
from typing import TypedDict, cast

from sqlite_utils import Database

from ..db import write_transaction
from ..timeutil import utc_now

_CANDIDATES = """
    SELECT * FROM (
        SELECT p.id AS subscription_id, p.user_id AS provider_id, u.language, p.endpoint, p.p256dh, p.auth,
               e.id AS event_id, e.patient_id, e.raised_at, s.created_at AS share_since,
               (SELECT max(a.through) FROM safety_acknowledgements a
                WHERE a.patient_id = e.patient_id AND a.provider_id = p.user_id) AS seen_until
        FROM push_subscriptions p
        JOIN users u ON u.id = p.user_id AND u.role = 'provider'
        JOIN shares s ON s.provider_id = p.user_id AND s.revoked_at IS NULL
        JOIN safety_events e ON e.patient_id = s.patient_id AND e.private = 0
        WHERE p.purpose = 'safety_alerts' AND max(e.raised_at, s.created_at) >= p.created_at
    ) c
    WHERE c.raised_at > coalesce(c.seen_until, '')
      AND NOT EXISTS (SELECT 1 FROM safety_alerts_sent x
                      WHERE x.subscription_id = c.subscription_id AND x.event_id = c.event_id
                        AND x.raised_at > coalesce(c.seen_until, ''))
    ORDER BY c.raised_at, c.event_id, c.subscription_id
"""


class Candidate(TypedDict):
    """An (alert browser, signal) pair worth an alert (``candidates``)."""
    subscription_id: int
    provider_id: int
    language: str           # the provider's: the alert is worded in it
    endpoint: str
    p256dh: str
    auth: str
    event_id: int
    patient_id: int
    raised_at: str
    share_since: str
    seen_until: str | None


def candidates(db: Database) -> list[Candidate]:
    """Each (alert browser, signal) pair worth an alert, oldest signal first.

    A signal in a shared (not private) record of a patient sharing with the browser's provider now,
    raised after the newest signal that provider acknowledged for the patient, that became
    visible to the provider (raised, or the share begun) after alerts were turned on in the browser,
    and that this browser was not alerted about since that acknowledgement. ``share_since`` is for
    the caller's look-back rule (services.safety.SHARE_LOOKBACK), as the dashboard applies it.
    """
    return cast(list[Candidate], list(db.query(_CANDIDATES)))


def claim(db: Database, subscription_id: int, event_id: int, raised_at: str) -> bool:
    """Record that the alert for this signal (as raised at ``raised_at``) is going to this browser.
    False when it already has (a rerun, or another run at the same minute): then send nothing."""
    with write_transaction(db):
        cursor = db.execute(
            "INSERT OR IGNORE INTO safety_alerts_sent (subscription_id, event_id, raised_at, sent_at)"
            " VALUES (?, ?, ?, ?)", [subscription_id, event_id, raised_at, utc_now()])
        return cursor.rowcount > 0


def release(db: Database, subscription_id: int, event_id: int, raised_at: str) -> None:
    """Undo a claim whose push failed for a reason worth retrying (the next run sends it)."""
    with write_transaction(db):
        db.execute("DELETE FROM safety_alerts_sent WHERE subscription_id = ? AND event_id = ? AND raised_at = ?",
                   [subscription_id, event_id, raised_at])
