"""Languages: which one a request speaks, and wording in it (Flask-Babel, gettext catalogs under
diary/translations/; docs/ARCHITECTURE.md, "Languages").

The language is the logged-in account's (users.language); before logging in, the one chosen with
the switch on the login and register pages (a cookie), else the best match of the browser's
Accept-Language, else English. Dates are worded with the language's own names from Babel's locale
data; the Spanish is the United States' (es_US: "sáb 5 dic", a point before decimals).
"""
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import flask_babel
from babel.dates import format_date
from babel.support import NullTranslations
from flask import Flask, Response, after_this_request, current_app, g, has_app_context, has_request_context, request
from flask.json.provider import DefaultJSONProvider
from flask_login import current_user

from .. import messages
from ..messages import DayOnly, Msg, Official
from ..timeutil import ENGLISH_NAMES, DateNames, date_span, local_time, short_date, today_in, weekday_and_day
from ..vocabulary import LANGUAGES

DEFAULT = "en"
COOKIE = "lang"
COOKIE_DAYS = 365
# The Babel locale whose names a language's dates take (English keeps timeutil's own table).
FORMAT_LOCALES = {"es": "es_US"}

babel = flask_babel.Babel()


def browser_language() -> str:
    """The best of LANGUAGES for the request's Accept-Language, else English."""
    if not has_request_context():
        return DEFAULT
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT) or DEFAULT


def chosen_language() -> str:
    """The language chosen on this browser before logging in (the switch's cookie), else the browser's."""
    if has_request_context() and request.cookies.get(COOKIE) in LANGUAGES:
        return request.cookies[COOKIE]
    return browser_language()


def select_language() -> str:
    """Flask-Babel's locale selector: the account's language, or the visitor's choice."""
    if has_request_context():
        language = getattr(current_user, "language", None)
        if language in LANGUAGES:
            return str(language)
    return chosen_language()


def language() -> str:
    """The language this request (or ``speaking``) speaks: "en" or "es" (kept for the request,
    below: every date on a page asks)."""
    return _speaking()[0] if has_app_context() else DEFAULT


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Word everything inside in ``language`` (a reminder sent to a patient, whoever is sending)."""
    with flask_babel.force_locale(language if language in LANGUAGES else DEFAULT):
        kept = g.pop(_SPEAKING, None)
        try:
            yield
        finally:
            g.pop(_SPEAKING, None)
            if kept is not None:
                setattr(g, _SPEAKING, kept)


def refresh() -> None:
    """After the account's language changed mid-request (a login, Account): the rest of the
    request speaks the new one."""
    flask_babel.refresh()
    g.pop(_SPEAKING, None)


@lru_cache(maxsize=None)
def date_names(language: str) -> DateNames:
    """The weekday and month names ``language``'s short dates use, read from Babel's own short
    dates (so they match "EEE d MMM" exactly, periods and all)."""
    if language == "en":
        return ENGLISH_NAMES
    locale = FORMAT_LOCALES[language]
    monday = dt.date(2024, 1, 1)
    return DateNames(tuple(format_date(monday + dt.timedelta(days=i), "EEE", locale=locale) for i in range(7)),
                     tuple(format_date(dt.date(2024, m, 1), "MMM", locale=locale) for m in range(1, 13)))


def viewer_timezone() -> str:
    """The logged-in reader's IANA zone (users.timezone), or UTC for anonymous pages."""
    if not has_request_context():
        return "UTC"
    return getattr(current_user, "timezone", None) or "UTC"


def nice_day(day: dt.date | str | DayOnly) -> str:
    """A date (or ISO date) as the reader reads it: 'Thu 3 Dec', 'jue 3 dic' ('Wed 3 Dec 2025' when
    not this year); a DayOnly as 'Thu 3'."""
    if isinstance(day, DayOnly):
        return weekday_and_day(day.day, date_names(language()))
    return short_date(day, _reader_today() if has_app_context() else today_in("UTC"), date_names(language()))


def nice_span(first: dt.date | str, last: dt.date | str) -> str:
    """Two dates as '9–13 Dec', '9–13 dic', in the reader's year."""
    return date_span(first, last, _reader_today() if has_app_context() else today_in("UTC"), date_names(language()))


def nice_time(utc_stamp: str) -> str:
    """A stored UTC stamp in the reader's zone and language: 'Thu 3 Dec, 14:05 (Europe/London)'."""
    return local_time(utc_stamp, viewer_timezone(), date_names(language()))


# Flask-Babel finds the request's language and catalog afresh on every call (~30 µs through its
# context lookups); a five-year Trends page words 600 texts. So the request keeps its language and
# catalog on `g` (``speaking`` and ``refresh`` start anew), and a text without a count, once worded
# in a language, is kept for the process: the catalogs don't change while the app runs (Flask-Babel
# loads each once too). Measured in docs/PERFORMANCE.md ("Languages").
_SPEAKING = "diary_speaking"
_FIXED: dict[tuple[str, ...], str] = {}


def _speaking() -> tuple[str, NullTranslations]:
    """This request's (language, catalog)."""
    kept: tuple[str, NullTranslations] | None = g.get(_SPEAKING)
    if kept is None:
        locale = flask_babel.get_locale()
        chosen = locale.language if locale is not None and locale.language in LANGUAGES else DEFAULT
        kept = (chosen, flask_babel.get_translations())
        setattr(g, _SPEAKING, kept)
    return kept


def _fixed(key: tuple[str, ...], lookup: Callable[[NullTranslations], str]) -> str:
    if not has_app_context():
        return lookup(NullTranslations())
    chosen, catalog = _speaking()
    try:
        return _FIXED[(chosen, *key)]
    except KeyError:
        _FIXED[(chosen, *key)] = text = lookup(catalog)
        return text


def _gettext(text: str) -> str:
    return _fixed((text,), lambda catalog: catalog.ugettext(text))


def _pgettext(context: str, text: str) -> str:
    return _fixed(("\x04", context, text), lambda catalog: catalog.upgettext(context, text))


def _catalog() -> NullTranslations:
    return _speaking()[1] if has_app_context() else NullTranslations()


def _ngettext(one: str, many: str, count: int) -> str:
    return _catalog().ungettext(one, many, count)


def _npgettext(context: str, one: str, many: str, count: int) -> str:
    return _catalog().unpgettext(context, one, many, count)


def gettext(text: str, **values: Any) -> str:
    """Flask-Babel's gettext, through this module's keeping: ``text`` in the request's language,
    filled with ``values`` when there are any (the web plumbing's Python: charts, errors)."""
    worded = _gettext(text)
    return worded % values if values else worded


def ngettext(one: str, many: str, count: int, **values: Any) -> str:
    """Flask-Babel's ngettext, likewise: the form for ``count``, filled with ``values`` and ``num``."""
    return _ngettext(one, many, count) % {"num": count, **values}


def word(message: Msg) -> str:
    """``message`` in the request's language (``str(message)`` calls this once init_app has run).

    The message keeps its last wording with the language and the reader's today it was worded for
    (its dates read "Thu 3 Dec" or "Thu 3 Dec 2025" by the reader's year): a stored dashboard
    line's reasons, shared between requests, are worded once per language and day, not on every
    listing of 500 patients (docs/PERFORMANCE.md, "Languages")."""
    if not has_app_context():
        return message.english()
    key = (language(), _reader_today())
    kept = message.worded
    if kept is not None and kept[0] == key:
        return kept[1]
    text = messages.word(message, _gettext, _ngettext, nice_day, pgettext=_pgettext)
    message.worded = (key, text)
    return text


def _reader_today() -> dt.date:
    """The reader's today, once a request (every date in a message asks which year it is)."""
    kept: dt.date | None = g.get("diary_today")
    if kept is None:
        kept = today_in(viewer_timezone())
        setattr(g, "diary_today", kept)
    return kept


def word_any(text: Msg | str) -> str:
    """A message, or a fixed English text (marshmallow's own error messages, labels marked with
    ``N_``), in the request's language; a text the catalog doesn't hold stays as it is."""
    if isinstance(text, Msg):
        return str(text)
    return _gettext(text) if has_app_context() else text


class WordingJSONProvider(DefaultJSONProvider):
    """Flask's JSON, with messages worded in the request's language (a Trends body carries the
    relief sentence as a Msg until it is sent)."""

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, Msg | Official):
            return str(o)
        return DefaultJSONProvider.default(o)


def vary_by_language(response: Response) -> Response:
    """Tell caches that a page's words follow Accept-Language and the cookies (the login and the
    language switch's); the static files, named by their content, are the same for everyone."""
    if request.endpoint != "static":
        response.vary.update(("Accept-Language", "Cookie"))
    return response


def set_language_cookie(response: Response, chosen: str, secure: bool) -> None:
    """Remember ``chosen`` on this browser (read before logging in, and after logging out)."""
    response.set_cookie(COOKIE, chosen, max_age=COOKIE_DAYS * 24 * 3600, httponly=True, samesite="Lax",
                        secure=secure)


def remember_language(chosen: str) -> None:
    """Set the language cookie on this request's response: a logged-in account's language outlives
    its login on this browser (the login page after logging out speaks it)."""
    secure = bool(current_app.config["SESSION_COOKIE_SECURE"])

    def remember(response: Response) -> Response:
        set_language_cookie(response, chosen, secure)
        return response
    after_this_request(remember)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_language, default_domain="messages")
    # Jinja's `_`, `ngettext` and `pgettext` through the request's cache of worded texts (above).
    # (install_gettext_callables is added to the environment by Jinja's i18n extension, which
    # Flask-Babel enables: mypy can't see it.)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext)
    messages.use_translator(word, language)
    app.json = WordingJSONProvider(app)
    app.after_request(vary_by_language)
