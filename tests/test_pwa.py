"""The installable shell, server side: manifest, service worker, offline page, icons."""
import json
import re
import struct

from helpers import static_url, without_inline_code

from diary.views import pwa
from diary.web import assets


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
        assert f'rel="apple-touch-icon" href="{static_url("icons/apple-touch-icon.png")}"' in html
    assert png_size(patient.get(static_url("icons/apple-touch-icon.png")).get_data()) == (180, 180)


def test_service_worker_is_served_from_the_root_and_versioned(client, app):
    response = client.get("/sw.js")
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    script = response.get_data(as_text=True)
    with app.app_context():
        version = pwa.current_shell_version()
    assert f'const CACHE = "diary-shell-{version}";' in script
    for path in ("/offline", "/support/offline", "/manifest.webmanifest", "/crisis-rules.json",
                 static_url("icons/badge-96.png")):
        assert f'"{path}"' in script


def test_every_script_and_icon_the_pages_load_is_precached(app, patient):
    """The offline page is base.html: its stylesheet and scripts are in it (nothing to fetch
    offline), and every file it or the worker loads (the notification badge) is in the shell."""
    script = patient.get("/sw.js").get_data(as_text=True)
    offline = patient.get("/offline").get_data(as_text=True)
    with app.app_context():
        for name in ("css/app.css", "js/app.js", "js/crisis.js", "js/outbox.js"):
            assert str(assets.inline_asset(name)) in offline, name
    loaded = set(re.findall(r'(?:src|href)="(/static/[^"]+)"', offline)) | {static_url("icons/badge-96.png")}
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", script).group(1))
    assert loaded - set(shell) == {static_url("icons/icon-192.png"), static_url("icons/apple-touch-icon.png")}


def test_service_worker_keeps_the_personal_support_copy(client):
    """/support is network first and kept in its own cache, which activation doesn't delete."""
    script = client.get("/sw.js").get_data(as_text=True)
    assert 'const PERSONAL = "diary-personal";' in script
    assert "key !== CACHE && key !== PERSONAL" in script
    assert 'const SUPPORT = "/support";' in script and 'const SAFETY_PLAN = "/safety-plan";' in script


def test_shell_version_changes_when_the_shell_does(tmp_path):
    (tmp_path / "static" / "css").mkdir(parents=True)
    for name in pwa.SHELL_STATIC:
        (tmp_path / "static" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "static" / name).write_text("v1")
    (tmp_path / "templates" / "pwa").mkdir(parents=True)
    for name in pwa.SHELL_TEMPLATES:
        (tmp_path / "templates" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "templates" / name).write_text("t")
    static = str(tmp_path / "static")
    before = pwa.shell_version(static)
    (tmp_path / "static" / "css" / "app.css").write_text("v2")
    pwa.shell_version.cache_clear()
    after_css = pwa.shell_version(static)
    assert after_css != before
    (tmp_path / "templates" / "safety" / "support.html").write_text("t2")  # the precached support page
    pwa.shell_version.cache_clear()
    assert pwa.shell_version(static) != after_css
    assert pwa.shell_version(static, "other contacts") != pwa.shell_version(static)
    pwa.shell_version.cache_clear()


def test_changed_crisis_contacts_change_the_worker(app):
    """The precached support page shows the contacts: new ones must reach devices that cached the old."""
    before = app.test_client().get("/sw.js").get_data(as_text=True)
    app.config["CRISIS_CONTACTS"] = [{"name": "Clinic line", "phone": "0800 123 456", "note": ""}]
    after = app.test_client().get("/sw.js").get_data(as_text=True)
    cache_name = re.compile(r'const CACHE = "(diary-shell-\w+)";')
    assert cache_name.search(before).group(1) != cache_name.search(after).group(1)


def test_offline_page_has_the_checkin_form_and_no_personal_data(app, patient):
    patient.post("/api/v1/entries", json={"date": "2026-01-01", "anxiety": 5, "note": "very personal"})
    for who in (app.test_client(), patient):
        html = without_inline_code(who.get("/offline").get_data(as_text=True))
        assert "You're offline" in html and "data-outbox" in html and 'name="anxiety"' in html
        assert "very personal" not in html and "Pat" not in html and "Log out" not in html


def test_logout_clears_site_data(patient):
    response = patient.post("/logout")
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_logout_spares_other_accounts_waiting_checkins(app, patient):
    """Another account's unsent check-ins on this phone (the page says so): "storage" would delete
    them too, so only "cache" goes; the page deletes this account's own (static/js/outbox.js)."""
    response = patient.post("/logout", data={"others_waiting": "1"})
    assert response.headers["Clear-Site-Data"] == '"cache"'
    assert patient.get("/api/v1/me").status_code == 401
    for value in ("", "0", "yes"):
        assert app.test_client().post("/logout", data={"others_waiting": value}).headers[
            "Clear-Site-Data"] == '"cache", "storage"'


def test_deleting_the_account_spares_other_accounts_waiting_checkins(patient):
    from helpers import PASSWORD
    response = patient.post("/account/delete", data={"password": PASSWORD, "confirmation": "delete",
                                                     "others_waiting": "1"})
    assert response.status_code == 302 and response.headers["Clear-Site-Data"] == '"cache"'


def test_pages_say_whose_they_are_and_the_shared_ones_dont(app, patient):
    """The outbox records each check-in's owner from this (the cached offline pages can't know)."""
    me = patient.get("/api/v1/me").get_json()["id"]
    assert f'<meta name="diary-user" content="{me}">' in patient.get("/").get_data(as_text=True)
    assert '<meta name="diary-user" content="">' in app.test_client().get("/login").get_data(as_text=True)
    for path in ("/offline", "/support/offline"):
        assert 'name="diary-user"' not in without_inline_code(patient.get(path).get_data(as_text=True))


def test_csrf_token_for_the_outbox(app, patient):
    token = patient.get("/api/v1/csrf-token").get_json()["csrf_token"]
    response = patient.post("/api/v1/entries", json={"date": "2026-01-01", "anxiety": 2}, csrf=False,
                            headers={"X-CSRFToken": token})
    assert response.status_code == 201
    assert app.test_client().get("/api/v1/csrf-token").status_code == 401


PLAN = {"warning_signs": "Pacing at night", "coping_strategies": "A walk round the block",
        "people_to_ask": "My sister Jo, 07700 900123", "reasons_for_living": "The dog"}


def test_support_offline_holds_nothing_personal(app, patient):
    assert patient.put("/api/v1/safety-plan", json=PLAN).status_code == 200
    personal = patient.get("/support").get_data(as_text=True)
    assert "Pacing at night" in personal and "My sister Jo" in personal  # the online page has the plan
    patient.post("/api/v1/entries", json={"date": "2026-01-01", "anxiety": 10, "note": "very personal"})
    for who in (app.test_client(), patient):
        html = without_inline_code(who.get("/support/offline").get_data(as_text=True))
        assert "Support, right now" in html and "988" in html and "116 123" in html
        for secret in (*PLAN.values(), "very personal", "Log out", "support-card-title"):
            assert secret not in html
        assert not re.search(r"\bPat\b", html)  # the patient's name


def test_every_page_has_the_support_link(app, patient, provider):
    logged_out = app.test_client()
    pages = [(logged_out, "/login"), (logged_out, "/register"), (logged_out, "/support"),
             (logged_out, "/offline"), (logged_out, "/support/offline"),
             (patient, "/"), (patient, "/history"), (patient, "/trends"), (patient, "/support"),
             (patient, "/safety-plan"), (patient, "/assessments/"), (patient, "/assessments/new?instrument=phq9"),
             (patient, "/offline"), (provider, "/provider/"), (provider, "/account"), (provider, "/support")]
    for who, path in pages:
        response = who.get(path)
        assert response.status_code == 200, path
        assert '<a class="support-link" href="/support"' in response.get_data(as_text=True), path
