"""One error handler that answers HTML or JSON depending on who asks (as in microblog)."""
import logging
import sqlite3
from collections.abc import Mapping

from flask import Flask, g, jsonify, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge, default_exceptions

from ..security.fields import Unreadable
from ..services import IdConflict
from .auth import login_manager, wants_json

log = logging.getLogger(__name__)

FRIENDLY: dict[int | None, str] = {  # keyed by HTTPException.code (None on werkzeug's base class)
    400: "That request didn't make sense to us.",
    403: "This page isn't available to your account.",
    404: "We couldn't find that page.",
    405: "That action isn't available here.",
    413: "That was too much data to send at once (the limit is 1 MiB).",
    415: "We couldn't read that request.",
}


def http_error(status: int, errors: Mapping[str, list[str]], *, retry_after: int | None = None) -> HTTPException:
    """An HTTP error answered as ``{"errors": errors}`` (JSON) or an error page listing them.

    ``retry_after`` (seconds) goes out as the ``Retry-After`` header of a 429 or 503.
    """
    error = default_exceptions[status]()
    # Attributes of our own: werkzeug's HTTPException declares neither (only its 429 and 503 a retry_after).
    setattr(error, "errors", errors)
    if retry_after:
        setattr(error, "retry_after", retry_after)
    return error


def error_body(error: HTTPException) -> Mapping[str, list[str]]:
    """``{field: [messages]}`` for an HTTP error: field-level when we know the field."""
    if isinstance(error, CSRFError):
        return {"csrf_token": [f"{error.description} Reload the page and try again."]}
    if isinstance(error, RequestEntityTooLarge):
        return {"body": [FRIENDLY[413]]}
    errors = getattr(error, "errors", None)
    if errors:
        return errors
    return {"request": [error.description or FRIENDLY.get(error.code, "Something went wrong.")]}


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
            "error.html", code=error.code, title=FRIENDLY.get(error.code, error.name),
            messages=[m for field_messages in messages.values() for m in field_messages],
        ))
    assert error.code is not None  # every error this app answers (werkzeug's, CSRFError, http_error) has one
    response.status_code = error.code
    # Keep the headers the exception carries (Allow on 405, for one).
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


# A client id already used for a record with other content (services.IdConflict): the API's 409.
CONFLICT = {"id": ["This id is already used by a different record."]}


def id_conflict(error: IdConflict) -> ResponseReturnValue:
    return handle_http_error(http_error(409, CONFLICT))


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
            503, {"request": ["The diary is busy right now. Nothing was saved: try again in a moment."]},
            retry_after=1))
    log.exception("Unhandled error")
    return handle_http_error(InternalServerError("Something went wrong on our side. Nothing was changed."))


def unreadable(error: Unreadable) -> ResponseReturnValue:
    """Sealed words that didn't open (a master key or key store that isn't this database's: the
    operator's to fix, README "Keys"). Nothing is shown half-read and nothing is changed."""
    log.error("Sealed words didn't open: %s (%s %s)", error, request.method, request.path)
    return handle_http_error(http_error(
        503, {"request": ["Your diary can't be opened right now: the server is missing a key. Nothing was "
                          "changed, and the server's log says what is missing."]}))


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(CSRFError, handle_http_error)
    app.register_error_handler(IdConflict, id_conflict)
    app.register_error_handler(Unreadable, unreadable)
    app.register_error_handler(Exception, handle_unexpected)
