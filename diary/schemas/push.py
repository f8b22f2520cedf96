"""Web push: a browser's subscription, with the patient's reminder time and days, or for a provider's
safety alerts."""
import base64
import binascii
import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from marshmallow import Schema, fields, validates
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from ..messages import Msg, msg
from .validators import Length, Range, Regexp, refused

EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
LOOPBACK_NAMES = {"localhost"}


# RFC 3986's characters: unreserved, reserved and "%". Anything else (a backslash, a space or tab,
# CR/LF, a non-ASCII look-alike such as U+2215) is read differently by different URL parsers.
_URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_HOST_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")
_DEFAULT_PORTS = {"https": 443, "http": 80}


def endpoint_problem(url: str, hosts: tuple[str, ...] | list[str], loopback: bool) -> Msg | None:
    """Why the server must not POST to ``url``, or None.

    ``https://`` on a push service in ``hosts`` (each matching itself and its subdomains), on the
    default port; with ``loopback``, also ``http://`` or ``https://`` on 127.0.0.1 / [::1] /
    localhost, any port (a local push service for testing). The URL must be plain RFC 3986, with
    no user name and no percent-encoding in its authority, and the host must be the same whether
    Python's ``urllib`` or ``urllib3`` (which sends it, through requests) reads it. Checked when a
    browser subscribes and again before each push.
    """
    if not _URL_CHARACTERS.fullmatch(url):
        return msg("Must be a valid URL (plain ASCII, no spaces, backslashes or control characters).")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
        sent_to = parse_url(url)
    except (ValueError, LocationParseError):
        return msg("Must be a valid URL.")
    if "@" in parts.netloc or "%" in parts.netloc:
        return msg("Must be a URL with a host name and no user name.")
    if not host or (sent_to.host or "").lower().strip("[]") != host or sent_to.port != port:
        return msg("Must be a valid URL.")
    try:
        is_loopback = host in LOOPBACK_NAMES or ipaddress.ip_address(host).is_loopback
    except ValueError:
        is_loopback = False
    if is_loopback:
        if loopback and parts.scheme in ("http", "https"):
            return None
        return msg("Local push services (127.0.0.1, localhost) are accepted only when DIARY_PUSH_LOOPBACK is on.")
    if parts.scheme != "https":
        return msg("Must start with https://.")
    if port not in (None, _DEFAULT_PORTS["https"]):
        return msg("Must be on the push service's default port (no :port).")
    if not _HOST_NAME.fullmatch(host):
        return msg("Must be the address of a browser's push service (this server sends notifications to those only).")
    if not any(host == allowed or host.endswith("." + allowed) for allowed in hosts):
        return msg("Must be the address of a browser's push service (this server sends notifications to those only).")
    return None


def base64url_bytes(value: str) -> bytes | None:
    """The bytes of an unpadded (or padded) base64url string, or None when it isn't one."""
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None


class PushKeysIn(Schema):
    p256dh = fields.String(required=True, validate=Length(max=200, error=msg("Must be at most {max} characters.")))
    auth = fields.String(required=True, validate=Length(max=100, error=msg("Must be at most {max} characters.")))

    @validates("p256dh")
    def _public_key(self, value: str, **_: Any) -> None:
        raw = base64url_bytes(value)
        if raw is None or len(raw) != 65 or raw[0] != 4:
            raise refused(msg("Must be the browser's P-256 public key: 65 bytes in base64url, starting 0x04."))

    @validates("auth")
    def _auth_secret(self, value: str, **_: Any) -> None:
        raw = base64url_bytes(value)
        if raw is None or len(raw) != 16:
            raise refused(msg("Must be the browser's 16-byte authentication secret in base64url."))


class BrowserSubscriptionIn(Schema):
    """A browser's push subscription, as ``PushSubscription.toJSON()`` gives it. The endpoint must be
    on one of ``hosts`` (or loopback with ``loopback``): the server POSTs to it."""
    endpoint = fields.String(required=True, validate=Length(max=2048, error=msg("Must be at most {max} characters.")))
    keys = fields.Nested(PushKeysIn, required=True)
    # An optional expiry time some browsers report; accepted and ignored.
    expirationTime = fields.Raw(load_default=None, allow_none=True, load_only=True)

    def __init__(self, *, hosts: tuple[str, ...] | list[str] = (), loopback: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.hosts, self.loopback = hosts, loopback

    @validates("endpoint")
    def _endpoint(self, value: str, **_: Any) -> None:
        problem = endpoint_problem(value, self.hosts, self.loopback)
        if problem:
            raise refused(problem)


class PushSubscriptionIn(BrowserSubscriptionIn):
    """A patient's browser with its reminder time and days."""
    remind_at = fields.String(required=True, validate=Regexp(
        r"^([01][0-9]|2[0-3]):[0-5][0-9]$", error=msg("Must be a time of day as HH:MM (00:00 to 23:59).")),
        metadata={"description": "Local time of day in the patient's time zone", "example": "20:00"})
    days = fields.List(
        fields.Integer(strict=True, validate=Range(0, 6, error=msg("Must be a day from 0 (Monday) to 6 (Sunday)."))),
        load_default=EVERY_DAY,
        validate=Length(min=1, max=7, error=msg("Choose at least one day.")),
        metadata={"description": "Days to remind on, ISO order: 0 Monday ... 6 Sunday (default: every day)"})

    @validates("days")
    def _distinct_days(self, value: list[int], **_: Any) -> None:
        if len(set(value)) != len(value):
            raise refused(msg("Name each day once."))


class SafetyAlertSubscriptionIn(BrowserSubscriptionIn):
    """A provider's browser for safety alerts: the subscription alone (alerts have no time or days)."""


class PushEndpointIn(Schema):
    endpoint = fields.String(required=True, validate=Length(max=2048, error=msg("Must be at most {max} characters.")))


class PushKeyOut(Schema):
    public_key = fields.String(metadata={"description": "The VAPID application server key: the P-256 public key,"
                                                        " uncompressed, base64url without padding"})


class PushSubscriptionOut(Schema):
    id = fields.Integer()
    endpoint = fields.String()
    remind_at = fields.String()
    days = fields.List(fields.Integer())
    device = fields.String()
    created_at = fields.String(metadata={"format": "date-time"})
    last_sent_at = fields.String(allow_none=True, metadata={"format": "date-time"})


class PushSubscriptionListOut(Schema):
    subscriptions = fields.List(fields.Nested(PushSubscriptionOut))


class SafetyAlertSubscriptionOut(Schema):
    id = fields.Integer()
    endpoint = fields.String()
    device = fields.String()
    created_at = fields.String(metadata={"format": "date-time"})
    last_sent_at = fields.String(allow_none=True, metadata={"format": "date-time", "description": "The last alert"})
