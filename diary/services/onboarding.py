"""The first-run card on Today: what the diary will do for a new patient, until they dismiss it."""
import datetime as dt
from typing import Literal, cast

from sqlite_utils import Database

from ..store import entries as entries_store
from ..store import users as users_store
from ..store.users import User

WELCOME_CARD = "welcome"
NEW_FOR_DAYS = 14  # after this, a patient who keeps a diary knows the app


def welcome(db: Database, user_id: int, today: dt.date) -> Literal["above", "below"] | None:
    """Where Today shows the first-run card: None once dismissed, or to a patient who joined more
    than two weeks ago and keeps a diary; else "above" the check-in form while the diary is still
    empty (nothing to check in around yet), "below" it once there are check-ins, so the score,
    a trigger and Save stay on a phone's first screen."""
    if users_store.card_dismissed_at(db, user_id, WELCOME_CARD) is not None:
        return None
    # The patient's own live account: never None.
    joined = dt.date.fromisoformat(cast(User, users_store.get_user(db, user_id))["created_at"][:10])
    empty = entries_store.first_date(db, user_id) is None
    if empty:
        return "above"
    return "below" if (today - joined).days < NEW_FOR_DAYS else None


def dismiss_welcome(db: Database, user_id: int, today: dt.date) -> None:
    users_store.dismiss_card(db, user_id, WELCOME_CARD, today.isoformat())
