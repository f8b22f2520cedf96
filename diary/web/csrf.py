"""CSRF protection: Flask-WTF's tokens and checks, each token's signature verified once per process."""
import hmac
import logging
import threading

from flask import current_app, g, request, session
from flask_wtf import csrf as wtf_csrf
from wtforms import ValidationError

log = logging.getLogger("flask_wtf.csrf")  # Flask-WTF's own logger, as its checks log there

# Only these bodies carry form fields; any other body (JSON) leaves request.form empty.
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
# Tokens remembered per worker process. Each rendered page signs its own (a timestamp is in the
# signature), so forms bring new ones all the time; when full, the oldest is forgotten first and
# the API clients' long-lived tokens are not all dropped at once.
MAX_REMEMBERED = 1024


class CSRFProtect(wtf_csrf.CSRFProtect):
    """Flask-WTF's ``CSRFProtect`` (same tokens, same refusals and messages) without re-verifying
    the signature of a token this process has already verified.

    A token is the session's raw token, signed. Verifying the signature (HMAC, base64, JSON) cost
    ~20 µs a request and gave the same answer for every request of a session (issue 14). With no
    time limit on tokens (WTF_CSRF_TIME_LIMIT None), what a signed token says never changes, so
    once it verified it is remembered with the raw token it carries; each request still compares
    that with its own session's token (hmac.compare_digest). A token never seen, or altered,
    gets Flask-WTF's full check; with a time limit set, every token does.
    """

    def __init__(self, app=None):
        self._verified = {}  # (secret key, signed token) -> the raw token it carries, oldest first
        self._remembering = threading.Lock()
        super().__init__(app)

    def protect(self, apply_exemptions=False):
        """Flask-WTF's ``protect``, checking the token with ``validate`` below."""
        if apply_exemptions and (not request.endpoint or self._is_exempt()):
            return
        if request.method not in current_app.config["WTF_CSRF_METHODS"]:
            return
        try:
            self.validate(self._get_csrf_token())
        except ValidationError as error:
            log.info(error.args[0])
            self._error_response(error.args[0])
        if request.is_secure and current_app.config["WTF_CSRF_SSL_STRICT"]:
            if not request.referrer:
                self._error_response("The referrer header is missing.")
            if not wtf_csrf.same_origin(request.referrer, f"https://{request.host}/"):
                self._error_response("The referrer does not match the host.")
        g.csrf_valid = True

    def validate(self, signed):
        """Flask-WTF's ``validate_csrf(signed)``: raises ValidationError with the same reasons."""
        config = current_app.config
        if config["WTF_CSRF_TIME_LIMIT"] is not None:
            return wtf_csrf.validate_csrf(signed)  # tokens expire: check every one in full
        key = (config.get("WTF_CSRF_SECRET_KEY", current_app.secret_key), signed)
        raw = self._verified.get(key) if signed else None
        if raw is None:
            wtf_csrf.validate_csrf(signed)  # the full check; it raises unless the token is good
            self._remember(key, session[config["WTF_CSRF_FIELD_NAME"]])  # == the token's raw value
            return
        field_name = config["WTF_CSRF_FIELD_NAME"]
        if field_name not in session:
            raise ValidationError("The CSRF session token is missing.")
        if not hmac.compare_digest(session[field_name], raw):
            raise ValidationError("The CSRF tokens do not match.")

    def _remember(self, key, raw):
        with self._remembering:  # look-ups stay lock-free; only forgetting walks the dict
            while len(self._verified) >= MAX_REMEMBERED:
                del self._verified[next(iter(self._verified))]
            self._verified[key] = raw

    def _get_csrf_token(self):
        # Reading request.form parses the body for nothing when it isn't a form (~10 µs).
        if request.mimetype in FORM_TYPES:
            return super()._get_csrf_token()
        for header_name in current_app.config["WTF_CSRF_HEADERS"]:
            token = request.headers.get(header_name)
            if token:
                return token
        return None
