"""Web push: a browser's subscription, with the patient's reminder time and days, or for a provider's
safety alerts."""
import base64
import binascii
import ipaddress
from typing import Any
from urllib.parse import urlsplit

from marshmallow import Schema, ValidationError, fields, validates
from marshmallow.validate import Length, Range, Regexp

EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
LOOPBACK_NAMES = {"localhost"}


def endpoint_problem(url: str, hosts: tuple[str, ...] | list[str], loopback: bool) -> str | None:
    """Why the server must not POST to ``url``, or None.

    ``https://`` on a push service in ``hosts`` (each matching itself and its subdomains); with
    ``loopback``, also ``http://`` or ``https://`` on 127.0.0.1 / [::1] / localhost (a local push
    service for testing).
    """
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "Must be a valid URL."
    if not host or parts.username or parts.password:
        return "Must be a URL with a host name and no user name."
    try:
        is_loopback = host in LOOPBACK_NAMES or ipaddress.ip_address(host).is_loopback
    except ValueError:
        is_loopback = False
    if is_loopback:
        if loopback and parts.scheme in ("http", "https"):
            return None
        return "Local push services (127.0.0.1, localhost) are accepted only when DIARY_PUSH_LOOPBACK is on."
    if parts.scheme != "https":
        return "Must start with https://."
    if not any(host == allowed or host.endswith("." + allowed) for allowed in hosts):
        return "Must be the address of a browser's push service (this server sends notifications to those only)."
    return None


def base64url_bytes(value: str) -> bytes | None:
    """The bytes of an unpadded (or padded) base64url string, or None when it isn't one."""
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None


class PushKeysIn(Schema):
    p256dh = fields.String(required=True, validate=Length(max=200, error="Must be at most 200 characters."))
    auth = fields.String(required=True, validate=Length(max=100, error="Must be at most 100 characters."))

    @validates("p256dh")
    def _public_key(self, value: str, **_: Any) -> None:
        raw = base64url_bytes(value)
        if raw is None or len(raw) != 65 or raw[0] != 4:
            raise ValidationError("Must be the browser's P-256 public key: 65 bytes in base64url, starting 0x04.")

    @validates("auth")
    def _auth_secret(self, value: str, **_: Any) -> None:
        raw = base64url_bytes(value)
        if raw is None or len(raw) != 16:
            raise ValidationError("Must be the browser's 16-byte authentication secret in base64url.")


class BrowserSubscriptionIn(Schema):
    """A browser's push subscription, as ``PushSubscription.toJSON()`` gives it. The endpoint must be
    on one of ``hosts`` (or loopback with ``loopback``): the server POSTs to it."""
    endpoint = fields.String(required=True, validate=Length(max=2048, error="Must be at most 2048 characters."))
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
            raise ValidationError(problem)


class PushSubscriptionIn(BrowserSubscriptionIn):
    """A patient's browser with its reminder time and days."""
    remind_at = fields.String(required=True, validate=Regexp(
        r"^([01][0-9]|2[0-3]):[0-5][0-9]$", error="Must be a time of day as HH:MM (00:00 to 23:59)."),
        metadata={"description": "Local time of day in the patient's time zone", "example": "20:00"})
    days = fields.List(
        fields.Integer(strict=True, validate=Range(0, 6, error="Must be a day from 0 (Monday) to 6 (Sunday).")),
        load_default=EVERY_DAY,
        validate=Length(min=1, max=7, error="Choose at least one day."),
        metadata={"description": "Days to remind on, ISO order: 0 Monday ... 6 Sunday (default: every day)"})

    @validates("days")
    def _distinct_days(self, value: list[int], **_: Any) -> None:
        if len(set(value)) != len(value):
            raise ValidationError("Name each day once.")


class SafetyAlertSubscriptionIn(BrowserSubscriptionIn):
    """A provider's browser for safety alerts: the subscription alone (alerts have no time or days)."""


class PushEndpointIn(Schema):
    endpoint = fields.String(required=True, validate=Length(max=2048, error="Must be at most 2048 characters."))


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
