"""Response headers every page gets: a strict CSP, no framing, no powerful browser features, an
isolated window, no caching of private pages."""
from functools import lru_cache

from flask import Flask, current_app, request
from flask_login import current_user
from werkzeug.wrappers import Response

from . import assets

# Everything is served by the app itself (no CDN). The stylesheet and scripts a page carries inline
# (diary/web/assets.py) are allowed by their SHA-256 hashes; no other inline script or style runs.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "style-src 'self' {styles}",
    "script-src 'self' {scripts}",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


@lru_cache(maxsize=4)
def content_security_policy(hashes: tuple[str, str]) -> str:
    styles, scripts = hashes
    return CONTENT_SECURITY_POLICY.format(styles=styles, scripts=scripts)


# The powerful browser features the diary never uses, off for it and for anything it embeds
# (Web Push and notifications are not governed by this header and keep working).
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "camera", "microphone", "geolocation", "payment", "usb", "bluetooth", "serial", "hid",
    "display-capture", "browsing-topics",
))


# (lower-cased name, name, value) of the headers every response gets unless it set its own (and
# the Content-Security-Policy, which names this deploy's inline blocks).
DEFAULT_HEADERS = (
    ("x-content-type-options", "X-Content-Type-Options", "nosniff"),
    ("x-frame-options", "X-Frame-Options", "DENY"),
    ("referrer-policy", "Referrer-Policy", "same-origin"),
    ("permissions-policy", "Permissions-Policy", PERMISSIONS_POLICY),
    # A page of another site that opened the diary (or that the diary opened) gets no handle on it.
    ("cross-origin-opener-policy", "Cross-Origin-Opener-Policy", "same-origin"),
)
# Served over HTTPS: keep it that way.
HSTS = ("strict-transport-security", "Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    # One pass over the response's headers, not one per default (setdefault): ~10 µs a request.
    present = {name.lower() for name in headers.keys()}
    defaults = DEFAULT_HEADERS + (HSTS,) if current_app.config.get("SESSION_COOKIE_SECURE") else DEFAULT_HEADERS
    if "content-security-policy" not in present:
        headers.add("Content-Security-Policy", content_security_policy(assets.inline_hashes()))
    for key, name, value in defaults:
        if key not in present:
            headers.add(name, value)
    # A diary page must not be served from cache to the next person on a shared device.
    if request.endpoint != "static" and (current_user.is_authenticated or request.path.startswith("/api/")):
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
