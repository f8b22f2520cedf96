"""Static files for a slow phone (diary/web/assets.py): minified, named by content and kept for a
year, compressed; pages and API answers never compressed (BREACH)."""
import base64
import gzip
import hashlib
import re

import brotli
from helpers import static_url

from diary.web import assets

SOURCE = assets.SOURCE


def test_a_page_carries_its_stylesheet_and_scripts_and_the_csp_allows_exactly_those(app, patient):
    """One request per page: the stylesheet and scripts inline, each allowed by its hash; nothing
    else inline runs (no 'unsafe-inline')."""
    response = patient.get("/trends")
    html = response.get_data(as_text=True)
    assert "<link rel=\"stylesheet\"" not in html and "<script src=" not in html
    blocks = re.findall(r"<(style|script)>(.*?)</\1>", html, flags=re.S)
    assert [kind for kind, _ in blocks] == ["style", "script", "script", "script", "script"]  # app, crisis, outbox, chart
    csp = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    for kind, text in blocks:
        digest = "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
        assert digest in csp[f"{kind}-src"].split(), kind
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert csp["script-src"].startswith("'self' 'sha256-") and csp["default-src"] == "'self'"
    with app.app_context():
        assert "</script" not in str(assets.inline_asset("js/outbox.js"))


def test_static_files_are_named_by_content_and_kept_a_year(client):
    icon = static_url("icons/icon-192.png")
    assert re.fullmatch(r"/static/icons/icon-192\.[0-9a-f]{12}\.png", icon)
    assert f'href="{icon}"' in client.get("/login").get_data(as_text=True)
    kept = client.get(static_url("css/app.css"))
    assert kept.status_code == 200 and kept.mimetype == "text/css"
    assert kept.cache_control.max_age == 31536000 and kept.cache_control.public and kept.cache_control.immutable
    plain = client.get("/static/css/app.css")  # an old page or a bookmark: works, checked each time
    assert plain.status_code == 200 and plain.cache_control.no_cache and plain.cache_control.max_age is None
    assert plain.get_data() == kept.get_data()


def test_css_and_javascript_are_served_minified_and_still_whole(client):
    for name, survivor in [("css/app.css", ".main-nav"), ("js/app.js", "window.diary"),
                           ("js/outbox.js", "diaryOutbox")]:
        source = (SOURCE / name).read_text()
        served = client.get(static_url(name)).get_data(as_text=True)
        assert len(served) < 0.8 * len(source), name
        assert survivor in served and "/* " not in served and "\n  " not in served, name
    icon = client.get(static_url("icons/icon-192.png")).get_data()
    assert icon == (SOURCE / "icons/icon-192.png").read_bytes()  # images as they are


def test_a_changed_file_gets_a_new_name(tmp_path):
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "a.js").write_text("var a = 1; // one\n")
    first = assets.build(tmp_path).names["js/a.js"]
    (tmp_path / "js" / "a.js").write_text("var a = 2; // two\n")
    assets.build.cache_clear()
    second = assets.build(tmp_path).names["js/a.js"]
    assert first != second and first.startswith("js/a.") and first.endswith(".js")
    assert assets.build(tmp_path).files[second].body == b"var a=2;"


def test_static_files_are_compressed_for_a_browser_that_takes_it(client):
    url = static_url("css/app.css")
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    br = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert br.headers["Content-Encoding"] == "br" and "Accept-Encoding" in br.headers["Vary"]
    assert brotli.decompress(br.get_data()) == plain.get_data()
    assert len(br.get_data()) < len(plain.get_data()) / 3
    gz = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.get_data()) == plain.get_data()
    rules = client.get("/crisis-rules.json", headers={"Accept-Encoding": "br"})
    assert rules.headers["Content-Encoding"] == "br"


def test_pages_and_api_answers_are_compressed_only_for_requests_no_other_site_started(patient):
    """They hold a CSRF token and a patient's words next to text a request can put there. BREACH
    needs the attacker's site to make the browser send those requests and watch their sizes: a
    request another site started (Sec-Fetch-Site cross-site or same-site), or one from a browser
    that doesn't say, gets the page uncompressed."""
    patient.post("/api/v1/entries", json={"date": "2026-12-01", "anxiety": 4, "note": "secret words " * 100})
    for path in ("/", "/history?q=secret", "/api/v1/entries", "/trends", "/support"):
        own = patient.get(path, headers={"Accept-Encoding": "br", "Sec-Fetch-Site": "same-origin"})
        assert own.status_code == 200 and own.headers["Content-Encoding"] == "br", path
        typed = patient.get(path, headers={"Accept-Encoding": "gzip", "Sec-Fetch-Site": "none"})
        assert typed.headers["Content-Encoding"] == "gzip", path
        text = gzip.decompress(typed.get_data()).decode()
        assert text.rstrip().endswith("</html>" if typed.mimetype == "text/html" else "}"), path
        for site in ("cross-site", "same-site", None):
            headers = {"Accept-Encoding": "gzip, deflate, br", **({"Sec-Fetch-Site": site} if site else {})}
            response = patient.get(path, headers=headers)
            assert response.status_code == 200 and "Content-Encoding" not in response.headers, (path, site)


def test_exports_stream_uncompressed(patient):
    response = patient.get("/export/entries.csv", headers={"Accept-Encoding": "br", "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 200 and response.is_streamed and "Content-Encoding" not in response.headers


def test_unknown_and_outside_names_are_not_found(client):
    for path in ("/static/css/nope.css", "/static/../diary/db.py", "/static/%2e%2e/setup.cfg", "/static/"):
        assert client.get(path).status_code == 404, path


def test_an_unchanged_file_is_not_sent_again(client):
    url = static_url("js/app.js")
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
