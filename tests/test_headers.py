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
