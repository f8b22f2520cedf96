"""One error handler that answers HTML or JSON depending on who asks (as in microblog)."""
import logging
import sqlite3
from collections.abc import Mapping, Sequence

from flask import Flask, g, jsonify, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge, default_exceptions

from ..messages import N_, Msg
from ..security.fields import Unreadable
from ..services import IdConflict
from . import i18n
from .auth import login_manager, wants_json

log = logging.getLogger(__name__)

# Fixed English texts, worded in the reader's language where shown (i18n.word_any).
FRIENDLY: dict[int | None, str] = {  # keyed by HTTPException.code (None on werkzeug's base class)
    400: N_("That request didn't make sense to us."),
    403: N_("This page isn't available to your account."),
    404: N_("We couldn't find that page."),
    405: N_("That action isn't available here."),
    413: N_("That was too much data to send at once (the limit is 1 MiB)."),
    415: N_("We couldn't read that request."),
}
# The texts of werkzeug's and Flask-WTF's own errors that reach people (a page's title when
# FRIENDLY has none, abort()'s default description, CSRF refusals), marked for the catalog so
# they are worded in the reader's language too; a text the catalog doesn't hold is shown as it is.
LIBRARY_TEXTS = (
    N_("Conflict"), N_("Unprocessable Entity"), N_("Too Many Requests"), N_("Internal Server Error"),
    N_("Service Unavailable"),
    N_("The browser (or proxy) sent a request that this server could not understand."),
    N_("You don't have the permission to access the requested resource. It is either read-protected or not "
       "readable by the server."),
    N_("The requested URL was not found on the server. If you entered the URL manually please check your "
       "spelling and try again."),
    N_("The method is not allowed for the requested URL."),
    N_("The server does not support the media type transmitted in the request."),
    N_("The CSRF token is missing."), N_("The CSRF session token is missing."), N_("The CSRF token has expired."),
    N_("The CSRF token is invalid."), N_("The CSRF tokens do not match."), N_("The referrer header is missing."),
    N_("The referrer does not match the host."),
)
# What an error's messages may hold: words, or messages worded when the answer is written.
Errors = Mapping[str, Sequence[Msg | str]]


def http_error(status: int, errors: Errors, *, retry_after: int | None = None) -> HTTPException:
    """An HTTP error answered as ``{"errors": errors}`` (JSON) or an error page listing them.

    ``retry_after`` (seconds) goes out as the ``Retry-After`` header of a 429 or 503.
    """
    error = default_exceptions[status]()
    # Attributes of our own: werkzeug's HTTPException declares neither (only its 429 and 503 a retry_after).
    setattr(error, "errors", errors)
    if retry_after:
        setattr(error, "retry_after", retry_after)
    return error


def error_body(error: HTTPException) -> dict[str, list[str]]:
    """``{field: [messages]}`` for an HTTP error, in the reader's language: field-level when we
    know the field."""
    if isinstance(error, CSRFError):
        return {"csrf_token": [_("%(problem)s Reload the page and try again.",
                                 problem=i18n.word_any(error.description or ""))]}
    if isinstance(error, RequestEntityTooLarge):
        return {"body": [i18n.word_any(FRIENDLY[413])]}
    errors: Errors | None = getattr(error, "errors", None)
    if errors:
        return {field: [str(message) for message in messages] for field, messages in errors.items()}
    if error.description:
        return {"request": [i18n.word_any(error.description)]}
    return {"request": [i18n.word_any(FRIENDLY[error.code]) if error.code in FRIENDLY else _("Something went wrong.")]}


def handle_http_error(error: HTTPException) -> ResponseReturnValue:
    if isinstance(error, CSRFError):
        g.refusal = "csrf"  # for the security log
    if isinstance(error, CSRFError) and request.path.startswith("/api/") and not current_user.is_authenticated:
        # No session at all: "log in again" is the useful answer (an offline outbox keeps its
        # queue for 401), not a CSRF complaint about the token that came with the lost session.
        return login_manager.unauthorized()
    if wants_json():
        response = jsonify(errors=error_body(error))
    else:
        messages = error_body(error)
        response = make_response(render_template(
            "error.html", code=error.code, title=i18n.word_any(FRIENDLY.get(error.code, error.name)),
            messages=[m for field_messages in messages.values() for m in field_messages],
        ))
    assert error.code is not None  # every error this app answers (werkzeug's, CSRFError, http_error) has one
    response.status_code = error.code
    # Keep the headers the exception carries (Allow on 405, for one).
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def id_conflict(error: IdConflict) -> ResponseReturnValue:
    """A client id already used for a record with other content (services.IdConflict): the API's 409."""
    return handle_http_error(http_error(409, {"id": [_("This id is already used by a different record.")]}))


def database_busy(error: Exception) -> bool:
    """SQLite gave up waiting for another writer (busy_timeout): a busy moment, not a bug."""
    # The primary result code (the low byte): SQLITE_BUSY_SNAPSHOT and friends are busy too.
    code = getattr(error, "sqlite_errorcode", None)
    return isinstance(error, sqlite3.OperationalError) and code is not None and code & 0xFF == sqlite3.SQLITE_BUSY


def handle_unexpected(error: Exception) -> ResponseReturnValue:
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    if database_busy(error):
        # The transaction was rolled back (or never began): say so, and when to try again; an
        # offline outbox keeps the check-in and sends it later (it retries on any 5xx).
        log.warning("%s: %s %s answered 503", error, request.method, request.path)  # bench.clinic counts these
        return handle_http_error(http_error(
            503, {"request": [_("The diary is busy right now. Nothing was saved: try again in a moment.")]},
            retry_after=1))
    log.exception("Unhandled error")
    return handle_http_error(InternalServerError(_("Something went wrong on our side. Nothing was changed.")))


def unreadable(error: Unreadable) -> ResponseReturnValue:
    """Sealed words that didn't open (a master key or key store that isn't this database's: the
    operator's to fix, README "Keys"). Nothing is shown half-read and nothing is changed."""
    log.error("Sealed words didn't open: %s (%s %s)", error, request.method, request.path)
    return handle_http_error(http_error(
        503, {"request": [_("Your diary can't be opened right now: the server is missing a key. Nothing was "
                            "changed, and the server's log says what is missing.")]}))


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(CSRFError, handle_http_error)
    app.register_error_handler(IdConflict, id_conflict)
    app.register_error_handler(Unreadable, unreadable)
    app.register_error_handler(Exception, handle_unexpected)
