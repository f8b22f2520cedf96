"""Security and caching headers on every response."""
import pytest


@pytest.mark.parametrize("path", ["/login", "/", "/api/v1/me", "/does-not-exist"])
def test_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    # ASVS 5.0 3.4.3's minimum: no plugins, and no <base> that could redirect relative URLs.
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/", "/history", "/sessions/", "/account", "/api/v1/entries"])
def test_private_pages_are_never_cached(patient, path):
    assert patient.get(path).headers["Cache-Control"] == "no-store"


def test_static_files_stay_cacheable(patient):
    assert "no-store" not in patient.get("/static/css/app.css").headers.get("Cache-Control", "")


def test_a_header_the_response_sets_itself_is_kept_once(patient):
    response = patient.get("/export/entries.csv")
    assert response.status_code == 200
    assert response.headers.getlist("X-Content-Type-Options") == ["nosniff"]
    assert response.headers.getlist("X-Frame-Options") == ["DENY"]  # and the defaults it didn't set, once


# Every powerful browser feature the diary never uses is off for it and anything it embeds; the
# window opened by another site can't reach the diary's (and the reverse).
PERMISSIONS = {"camera", "microphone", "geolocation", "payment", "usb", "bluetooth", "serial", "hid",
               "display-capture", "browsing-topics"}


def assert_isolation_headers(headers):
    policy = dict(item.strip().split("=", 1) for item in headers["Permissions-Policy"].split(","))
    assert PERMISSIONS <= set(policy) and all(policy[name] == "()" for name in PERMISSIONS), policy
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/login", "/", "/api/v1/me", "/does-not-exist", "/static/css/app.css"])
def test_powerful_features_are_off_and_the_window_is_isolated(client, path):
    assert_isolation_headers(client.get(path).headers)


def test_the_real_server_sends_them():
    """Through gunicorn, as deployed (wsgi:app), not only through the test client."""
    import requests

    from bench.server import gunicorn

    with gunicorn(workers=1) as (host, port, _):
        for path in ("/login", "/api/v1/me"):
            response = requests.get(f"http://{host}:{port}{path}", timeout=10, allow_redirects=False)
            assert_isolation_headers(response.headers)
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
