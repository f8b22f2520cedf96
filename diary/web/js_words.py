"""The words the page scripts show (static/js/*.js), in the reader's language.

Every page carries them as a JSON block (templates/_js_words.html, ``js_words()``), which app.js
reads once: ``diary.word("pendingMany", {num: 3})``. A text with values names them as the catalog
does (``%(num)s``) and the script fills them in. A count has two texts, one and many ("…One",
"…Many"): Spanish has the same two forms. The dates the scripts write ("Sat 5 Dec", "sáb 5 dic")
use the reader's weekday and month names, as the server's dates do (diary/timeutil.py short_date).
"""
from typing import Any

from flask_babel import LazyString, lazy_gettext

from . import i18n

WORDS: dict[str, LazyString] = {
    # app.js: a submit button while its request runs; a questionnaire's progress; a quick save.
    "saving": lazy_gettext("Saving…"),
    "allAnswered": lazy_gettext("All %(total)s answered."),
    "someAnswered": lazy_gettext("%(answered)s of %(total)s answered."),
    "checkinSaved": lazy_gettext("Check-in saved."),
    "checkinAlreadySaved": lazy_gettext("That check-in was already saved."),
    # outbox.js: check-ins kept on the phone.
    "pendingOne": lazy_gettext("1 check-in saved on this phone — will sync when you're back online."),
    "pendingMany": lazy_gettext("%(num)s check-ins saved on this phone — will sync when you're back online."),
    "logInToSend": lazy_gettext("Log in to send them."),
    "notAccepted": lazy_gettext("A check-in from %(when)s (anxiety %(anxiety)s) wasn't accepted — %(problems)s"),
    "putBack": lazy_gettext("Put it back in the form"),
    # The fields of a check-in the server refused, named before its messages ("anxiety: …").
    "field_date": lazy_gettext("date"),
    "field_time": lazy_gettext("time"),
    "field_anxiety": lazy_gettext("anxiety"),
    "field_triggers": lazy_gettext("triggers"),
    "field_note": lazy_gettext("note"),
    "unownedOne": lazy_gettext("1 check-in saved on this phone doesn't say whose it is, so it hasn't been sent "
                               "(dated %(dates)s). If you saved it, add it to your diary."),
    "unownedMany": lazy_gettext("%(num)s check-ins saved on this phone don't say whose they are, so they haven't "
                                "been sent (dated %(dates)s). If you saved them, add them to your diary."),
    "datesFromTo": lazy_gettext("%(first)s to %(last)s"),
    "claimOne": lazy_gettext("It's mine — add it to my diary"),
    "claimMany": lazy_gettext("They're mine — add them to my diary"),
    "chooseAnxiety": lazy_gettext("Choose a number from 0 to 10."),
    "savedOnPhone": lazy_gettext("Saved on this phone. It will be sent when you're back online."),
    "confirmLogout": lazy_gettext("%(num)s check-in(s) haven't been sent yet. Logging out deletes them from this "
                                  "phone. Log out anyway?"),
    # reminders.js: a patient's reminders on this device.
    "remindersUnsupported": lazy_gettext("Reminders need a browser that can show notifications, and this one "
                                         "can't. Most current browsers can: Chrome, Edge, Firefox or Safari."),
    "remindersApple": lazy_gettext("On an iPhone or iPad, reminders work once the diary is on your Home Screen: "
                                   "tap Share, then “Add to Home Screen”, open the diary from there and turn "
                                   "reminders on."),
    "remindersBlocked": lazy_gettext("Notifications are blocked for this site in your browser settings. To get "
                                     "reminders, allow notifications for this site there, then come back to this "
                                     "page."),
    "remindersDismissed": lazy_gettext("Reminders need your permission to show notifications. Tap “Turn on "
                                       "reminders” again and choose Allow."),
    "pushService": lazy_gettext("This browser couldn't set up notifications just now. Please try again later."),
    "remindersNoWorker": lazy_gettext("Reminders aren't ready on this device yet. Reload the page and try again."),
    "offline": lazy_gettext("Couldn't reach the diary. Check your connection and try again."),
    "remindersLoggedOut": lazy_gettext("You've been logged out. Log in again, then turn reminders on."),
    "throttled": lazy_gettext("That was a lot of tries. Please wait a minute and try again."),
    "remindersFailed": lazy_gettext("The diary couldn't save your reminder just now. Please try again."),
    "working": lazy_gettext("One moment…"),
    "remindersOff": lazy_gettext("Reminders are off on this device."),
    "remindersOn": lazy_gettext("Reminders are on for this device at %(schedule)s."),
    "remindersChangeOnAccount": lazy_gettext("You can change them any time on your Account page."),
    # "20:00, every day" or "20:00 on Mon, Wed, Fri", as templates/_reminders.html says it.
    "scheduleEveryDay": lazy_gettext("%(time)s, every day"),
    "scheduleOnDays": lazy_gettext("%(time)s on %(days)s"),
    "chooseTime": lazy_gettext("Choose a time for the reminder."),
    "chooseDays": lazy_gettext("Choose at least one day."),
    # reminders.js: a provider's safety alerts in this browser.
    "alertsUnsupported": lazy_gettext("Safety alerts need a browser that can show notifications, and this one "
                                      "can't. Most current browsers can: Chrome, Edge, Firefox or Safari."),
    "alertsApple": lazy_gettext("On an iPhone or iPad, alerts work once the diary is on your Home Screen: tap "
                                "Share, then “Add to Home Screen”, open the diary from there and turn alerts on."),
    "alertsBlocked": lazy_gettext("Notifications are blocked for this site in your browser settings. To get "
                                  "safety alerts, allow notifications for this site there, then come back to "
                                  "this page."),
    "alertsDismissed": lazy_gettext("Safety alerts need your permission to show notifications. Tap “Turn on "
                                    "safety alerts” again and choose Allow."),
    "alertsNoWorker": lazy_gettext("Safety alerts aren't ready in this browser yet. Reload the page and try again."),
    "alertsLoggedOut": lazy_gettext("You've been logged out. Log in again, then turn safety alerts on."),
    "alertsFailed": lazy_gettext("The diary couldn't turn safety alerts on just now. Please try again."),
    "alertsOn": lazy_gettext("Safety alerts are on in this browser. They don't replace checking your patient "
                             "list."),
    "alertsOff": lazy_gettext("Safety alerts are off in this browser."),
    # chart.js: the day picked on the Trends chart.
    "checkins": lazy_gettext("Check-ins"),
    "session": lazy_gettext("Session: %(session)s"),
    "openWeekInHistory": lazy_gettext("Open this week in History"),
    "openDayInHistory": lazy_gettext("Open this day in History"),
}


def words() -> dict[str, Any]:
    """The scripts' words in the request's language, and its abbreviated weekday (Monday first)
    and month names: what templates/_js_words.html puts in the page."""
    names = i18n.date_names(i18n.language())
    found: dict[str, Any] = {key: str(text) for key, text in WORDS.items()}
    found["weekdays"] = list(names.weekdays)
    found["months"] = list(names.months)
    return found
