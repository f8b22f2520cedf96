"""The words the page scripts show (static/js/*.js), in the reader's language.

Every page carries them as a JSON block (templates/_js_words.html, ``js_words()``), which app.js
reads once: ``diary.word("pendingMany", {num: 3})``. A text with values names them as the catalog
does (``%(num)s``) and the script fills them in. A count has two texts, one and many ("…One",
"…Many"): Spanish has the same two forms. The dates the scripts write ("Sat 5 Dec", "sáb 5 dic")
use the reader's weekday and month names, as the server's dates do (diary/timeutil.py short_date).
"""
from functools import lru_cache
from typing import Any

from ..messages import N_
from ..vocabulary import LANGUAGES
from . import i18n

WORDS: dict[str, str] = {
    # app.js: a submit button while its request runs; a questionnaire's progress; a quick save.
    "saving": N_("Saving…"),
    "allAnswered": N_("All %(total)s answered."),
    "someAnswered": N_("%(answered)s of %(total)s answered."),
    "checkinSaved": N_("Check-in saved."),
    "checkinAlreadySaved": N_("That check-in was already saved."),
    # outbox.js: check-ins kept on the phone.
    "pendingOne": N_("1 check-in saved on this phone — will sync when you're back online."),
    "pendingMany": N_("%(num)s check-ins saved on this phone — will sync when you're back online."),
    "logInToSend": N_("Log in to send them."),
    "notAccepted": N_("A check-in from %(when)s (anxiety %(anxiety)s) wasn't accepted — %(problems)s"),
    "putBack": N_("Put it back in the form"),
    # The fields of a check-in the server refused, named before its messages ("anxiety: …").
    "field_date": N_("date"),
    "field_time": N_("time"),
    "field_anxiety": N_("anxiety"),
    "field_triggers": N_("triggers"),
    "field_note": N_("note"),
    "unownedOne": N_("1 check-in saved on this phone doesn't say whose it is, so it hasn't been sent "
                               "(dated %(dates)s). If you saved it, add it to your diary."),
    "unownedMany": N_("%(num)s check-ins saved on this phone don't say whose they are, so they haven't "
                                "been sent (dated %(dates)s). If you saved them, add them to your diary."),
    "datesFromTo": N_("%(first)s to %(last)s"),
    "claimOne": N_("It's mine — add it to my diary"),
    "claimMany": N_("They're mine — add them to my diary"),
    "chooseAnxiety": N_("Choose a number from 0 to 10."),
    "savedOnPhone": N_("Saved on this phone. It will be sent when you're back online."),
    "confirmLogout": N_("%(num)s check-in(s) haven't been sent yet. Logging out deletes them from this "
                                  "phone. Log out anyway?"),
    # reminders.js: a patient's reminders on this device.
    "remindersUnsupported": N_("Reminders need a browser that can show notifications, and this one "
                                         "can't. Most current browsers can: Chrome, Edge, Firefox or Safari."),
    "remindersApple": N_("On an iPhone or iPad, reminders work once the diary is on your Home Screen: "
                                   "tap Share, then “Add to Home Screen”, open the diary from there and turn "
                                   "reminders on."),
    "remindersBlocked": N_("Notifications are blocked for this site in your browser settings. To get "
                                     "reminders, allow notifications for this site there, then come back to this "
                                     "page."),
    "remindersDismissed": N_("Reminders need your permission to show notifications. Tap “Turn on "
                                       "reminders” again and choose Allow."),
    "pushService": N_("This browser couldn't set up notifications just now. Please try again later."),
    "remindersNoWorker": N_("Reminders aren't ready on this device yet. Reload the page and try again."),
    "offline": N_("Couldn't reach the diary. Check your connection and try again."),
    "remindersLoggedOut": N_("You've been logged out. Log in again, then turn reminders on."),
    "throttled": N_("That was a lot of tries. Please wait a minute and try again."),
    "remindersFailed": N_("The diary couldn't save your reminder just now. Please try again."),
    "working": N_("One moment…"),
    "remindersOff": N_("Reminders are off on this device."),
    "remindersOn": N_("Reminders are on for this device at %(schedule)s."),
    "remindersChangeOnAccount": N_("You can change them any time on your Account page."),
    # "20:00, every day" or "20:00 on Mon, Wed, Fri", as templates/_reminders.html says it.
    "scheduleEveryDay": N_("%(time)s, every day"),
    "scheduleOnDays": N_("%(time)s on %(days)s"),
    "chooseTime": N_("Choose a time for the reminder."),
    "chooseDays": N_("Choose at least one day."),
    # reminders.js: a provider's safety alerts in this browser.
    "alertsUnsupported": N_("Safety alerts need a browser that can show notifications, and this one "
                                      "can't. Most current browsers can: Chrome, Edge, Firefox or Safari."),
    "alertsApple": N_("On an iPhone or iPad, alerts work once the diary is on your Home Screen: tap "
                                "Share, then “Add to Home Screen”, open the diary from there and turn alerts on."),
    "alertsBlocked": N_("Notifications are blocked for this site in your browser settings. To get "
                                  "safety alerts, allow notifications for this site there, then come back to "
                                  "this page."),
    "alertsDismissed": N_("Safety alerts need your permission to show notifications. Tap “Turn on "
                                    "safety alerts” again and choose Allow."),
    "alertsNoWorker": N_("Safety alerts aren't ready in this browser yet. Reload the page and try again."),
    "alertsLoggedOut": N_("You've been logged out. Log in again, then turn safety alerts on."),
    "alertsFailed": N_("The diary couldn't turn safety alerts on just now. Please try again."),
    "alertsOn": N_("Safety alerts are on in this browser. They don't replace checking your patient "
                             "list."),
    "alertsOff": N_("Safety alerts are off in this browser."),
    # chart.js: the day picked on the Trends chart.
    "checkins": N_("Check-ins"),
    "session": N_("Session: %(session)s"),
    "openWeekInHistory": N_("Open this week in History"),
    "openDayInHistory": N_("Open this day in History"),
}


def words() -> dict[str, Any]:
    """The scripts' words in the request's language, and its abbreviated weekday (Monday first)
    and month names: what templates/_js_words.html puts in the page."""
    return _words_in(i18n.language())


@lru_cache(maxsize=len(LANGUAGES))
def _words_in(language: str) -> dict[str, Any]:
    # Worded once a language for the process (the catalogs don't change while it runs), in a
    # request of that language: every page carries them. Read-only.
    names = i18n.date_names(language)
    found: dict[str, Any] = {key: i18n.gettext(text) for key, text in WORDS.items()}
    found["weekdays"] = list(names.weekdays)
    found["months"] = list(names.months)
    return found
