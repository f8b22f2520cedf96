"""Response headers every page gets: a strict CSP, no framing, no caching of private pages."""
from flask import current_app, request
from flask_login import current_user

# Everything is served by the app itself (no CDN, no inline script or style), so 'self' is enough.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config.get("SESSION_COOKIE_SECURE"):  # served over HTTPS: keep it that way
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # A diary page must not be served from cache to the next person on a shared device.
    if request.endpoint != "static" and (current_user.is_authenticated or request.path.startswith("/api/")):
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app):
    app.after_request(add_security_headers)
