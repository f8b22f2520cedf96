"""Static files for a slow phone (diary/web/assets.py): minified, named by content and kept for a
year, compressed; pages and API answers never compressed (BREACH)."""
import gzip
import re

import brotli
from helpers import static_url

from diary.web import assets

SOURCE = assets.SOURCE


def test_a_page_names_each_static_file_by_its_content_and_that_name_is_kept_a_year(app, patient):
    html = patient.get("/").get_data(as_text=True)
    css = static_url("css/app.css")
    assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", css)
    assert f'href="{css}"' in html and f'src="{static_url("js/app.js")}"' in html
    kept = patient.get(css)
    assert kept.status_code == 200 and kept.mimetype == "text/css"
    assert kept.cache_control.max_age == 31536000 and kept.cache_control.public and kept.cache_control.immutable
    plain = patient.get("/static/css/app.css")  # an old page or a bookmark: works, checked each time
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


def test_pages_and_api_answers_are_never_compressed(patient):
    """They hold a CSRF token and a patient's words next to text a request can put there: compressing
    them would let a size-watching attacker guess the secret a letter at a time (BREACH)."""
    patient.post("/api/v1/entries", json={"date": "2026-12-01", "anxiety": 4, "note": "secret words " * 100})
    for path in ("/", "/history?q=secret", "/api/v1/entries", "/trends", "/support"):
        response = patient.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert response.status_code == 200, path
        assert "Content-Encoding" not in response.headers, path


def test_unknown_and_outside_names_are_not_found(client):
    for path in ("/static/css/nope.css", "/static/../diary/db.py", "/static/%2e%2e/setup.cfg", "/static/"):
        assert client.get(path).status_code == 404, path


def test_an_unchanged_file_is_not_sent_again(client):
    url = static_url("js/app.js")
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
