"""The installable shell, server side: manifest, service worker, offline page, icons."""
import struct

from diary.views import pwa


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_manifest(client):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
    assert manifest["name"] and manifest["short_name"] and manifest["description"]
    assert manifest["theme_color"] and manifest["background_color"]
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.mimetype == "image/png"
        width, height = png_size(image.get_data())
        assert f"{width}x{height}" == icon["sizes"]


def test_every_page_links_the_manifest_and_icons(app, patient):
    for page in (app.test_client().get("/login"), patient.get("/")):
        html = page.get_data(as_text=True)
        assert '<link rel="manifest" href="/manifest.webmanifest">' in html
        assert 'rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png"' in html
    assert png_size(patient.get("/static/icons/apple-touch-icon.png").get_data()) == (180, 180)


def test_service_worker_is_served_from_the_root_and_versioned(client, app):
    response = client.get("/sw.js")
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    script = response.get_data(as_text=True)
    version = pwa.shell_version(app.static_folder)
    assert f'const CACHE = "diary-shell-{version}";' in script
    for path in ("/offline", "/manifest.webmanifest", "/static/css/app.css", "/static/js/outbox.js"):
        assert f'"{path}"' in script


def test_shell_version_changes_when_the_shell_does(tmp_path):
    (tmp_path / "static" / "css").mkdir(parents=True)
    for name in pwa.SHELL_STATIC:
        (tmp_path / "static" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "static" / name).write_text("v1")
    (tmp_path / "templates" / "pwa").mkdir(parents=True)
    for name in ("pwa/sw.js", "pwa/offline.html", "base.html", "_macros.html"):
        (tmp_path / "templates" / name).write_text("t")
    before = pwa.shell_version(str(tmp_path / "static"))
    (tmp_path / "static" / "css" / "app.css").write_text("v2")
    pwa.shell_version.cache_clear()
    assert pwa.shell_version(str(tmp_path / "static")) != before
    pwa.shell_version.cache_clear()


def test_offline_page_has_the_checkin_form_and_no_personal_data(app, patient):
    patient.post("/api/v1/entries", json={"date": "2026-01-01", "anxiety": 5, "note": "very personal"})
    for who in (app.test_client(), patient):
        html = who.get("/offline").get_data(as_text=True)
        assert "You're offline" in html and "data-outbox" in html and 'name="anxiety"' in html
        assert "very personal" not in html and "Pat" not in html and "Log out" not in html


def test_logout_clears_site_data(patient):
    response = patient.post("/logout")
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_csrf_token_for_the_outbox(app, patient):
    token = patient.get("/api/v1/csrf-token").get_json()["csrf_token"]
    response = patient.post("/api/v1/entries", json={"date": "2026-01-01", "anxiety": 2}, csrf=False,
                            headers={"X-CSRFToken": token})
    assert response.status_code == 201
    assert app.test_client().get("/api/v1/csrf-token").status_code == 401
