"""The first-run card on Today: what the diary will do for a new patient, until they dismiss it."""
import datetime as dt

from ..store import entries as entries_store
from ..store import users as users_store

WELCOME_CARD = "welcome"
NEW_FOR_DAYS = 14  # after this, a patient who keeps a diary knows the app


def welcome(db, user_id, today):
    """Whether Today shows the first-run card: never once dismissed; otherwise to a patient who
    joined in the last two weeks, or whose diary is still empty (an old account never used)."""
    if users_store.card_dismissed_at(db, user_id, WELCOME_CARD) is not None:
        return False
    joined = dt.date.fromisoformat(users_store.get_user(db, user_id)["created_at"][:10])
    return (today - joined).days < NEW_FOR_DAYS or entries_store.first_date(db, user_id) is None


def dismiss_welcome(db, user_id, today):
    users_store.dismiss_card(db, user_id, WELCOME_CARD, today.isoformat())
