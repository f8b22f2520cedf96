"""Security events, one line each, to the `diary.security` logger (stderr under gunicorn).

Refusals the audit log doesn't hold: a wrong role (403), a provider without a second factor
(403, or the page's redirect to enrolment), a provider asking for a patient who doesn't share
with them (404), a malformed or CSRF-less request (400), a throttled one (429).
Values are written with repr(), so a newline or quote in a path can't forge a line.
"""
import logging
import sys
import time
from typing import TextIO

from flask import Flask, g, request
from flask_login import current_user
from werkzeug.wrappers import Response

log = logging.getLogger("diary.security")

# Why a status is a refusal, when the code that refused didn't say (g.refusal).
REASONS = {400: "malformed request", 403: "forbidden", 429: "throttled"}
# A 404 here means "this provider may not see that patient" as often as "no such page".
PATIENT_DATA = ("/provider/patients/", "/api/v1/patients/")


def log_refusal(response: Response) -> Response:
    status = response.status_code
    reason = g.get("refusal") or REASONS.get(status)
    if reason is None and status == 404 and request.path.startswith(PATIENT_DATA):
        reason = "not shared with this provider, or missing"
    if reason is not None:
        user = current_user.get_id() if current_user.is_authenticated else None
        log.warning("status=%d method=%s path=%r user=%r address=%r reason=%r", status, request.method,
                    request.path, user and user.partition(":")[0], request.remote_addr, reason)
    return response


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time: gunicorn's error log (pytest's capture in tests)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


def configure(logger: logging.Logger) -> None:
    """The app's loggers write to stderr, each line led by its UTC time, level and logger name."""
    if any(isinstance(h, _Stderr) for h in logger.handlers):
        return
    handler = _Stderr()
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s", "%Y-%m-%dT%H:%M:%SZ")
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def init_app(app: Flask) -> None:
    configure(logging.getLogger("diary"))  # this log and diary.web.errors' unexpected errors
    app.after_request(log_refusal)
