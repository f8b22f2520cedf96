"""Flask's signed session cookie, with each cookie's signature verified once per process."""
import time

from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

# Cookies remembered per worker process; a few hundred live sessions fit, and when full the
# memory starts again (the next request of each pays the full check once more).
MAX_REMEMBERED = 1024


def fresh_copy(value):
    """A copy of decoded session data no request can change in place (dicts, lists and tuples
    copied all the way down; the other values a session holds are immutable)."""
    if isinstance(value, dict):
        return {key: fresh_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [fresh_copy(item) for item in value]
    if isinstance(value, tuple):
        return tuple(fresh_copy(item) for item in value)
    return value


class RememberingSessionInterface(SecureCookieSessionInterface):
    """The cookie format and checks of Flask's own sessions, without re-verifying a cookie the
    process has already verified.

    Checking the HMAC, then base64, zlib and tagged-JSON decoding cost ~60 µs a request, the same
    work for every request of a session (issue 14). Only cookies that passed the full check are
    remembered, by their exact text, signature included, so a forged or altered cookie still meets
    the full check and is refused; the age limit (the session lifetime) is checked on every request,
    as itsdangerous checks it; each request gets its own copy of the data.
    """

    def __init__(self):
        self._verified = {}  # (secret key, old keys, cookie text) -> (data, signed at, in seconds)

    def open_session(self, app, request):
        if not app.secret_key:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()), value)
        known = self._verified.get(key)
        if known is None:
            try:
                data, signed_at = self.get_signing_serializer(app).loads(value, max_age=max_age,
                                                                         return_timestamp=True)
            except BadSignature:
                return self.session_class()
            known = data, int(signed_at.timestamp())
            if len(self._verified) >= MAX_REMEMBERED:
                self._verified.clear()
            self._verified[key] = known
        data, signed_at = known
        if not 0 <= int(time.time()) - signed_at <= max_age:
            return self.session_class()  # expired: what itsdangerous' SignatureExpired gives
        return self.session_class(fresh_copy(data))
