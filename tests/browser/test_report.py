"""The clinic report prints on one or two A4 pages, without the app's navigation."""
import datetime as dt
import re

import pytest

from .test_checkin_flow import register
from .test_trends import post_json

pytestmark = pytest.mark.browser


def test_ninety_day_report_fits_two_a4_pages(browser, live_server, tmp_path):
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    try:
        register(page, live_server)
        page.wait_for_url(live_server + "/")
        today = dt.date.today()
        for n in range(90):
            assert post_json(page, "/api/v1/entries", {"date": (today - dt.timedelta(days=n)).isoformat(),
                                                       "anxiety": 2 + n % 7, "triggers": ["work"] if n % 3 else []}) == 201
        for n in (10, 40, 70):
            assert post_json(page, "/api/v1/sessions", {"date": (today - dt.timedelta(days=n)).isoformat(),
                                                        "treatment": "iv_ketamine", "anxiety_before": 7,
                                                        "anxiety_after": 3}) == 201
        page.goto(live_server + "/report")
        page.emulate_media(media="print")
        assert page.locator(".app-header").is_hidden() and page.locator(".no-print").is_hidden()
        pdf = page.pdf(format="A4", path=str(tmp_path / "report.pdf"))
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert 1 <= pages <= 2, f"{pages} pages"
    finally:
        context.close()


def test_csv_download_through_gunicorn(browser, live_server):
    """The streamed export arrives whole through the real server (threaded workers)."""
    import csv
    import io
    context = browser.new_context()
    page = context.new_page()
    try:
        register(page, live_server)
        page.wait_for_url(live_server + "/")
        for n in range(30):
            assert post_json(page, "/api/v1/entries", {"date": f"2026-01-{n % 28 + 1:02d}", "anxiety": n % 11,
                                                       "note": f'=cmd, "{n}"\nline'}) == 201
        response = page.request.get(live_server + "/export/entries.csv")
        assert response.status == 200 and response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.body().decode("utf-8-sig"), newline="")))
        assert len(rows) == 30 and all(r["note"].startswith("'=cmd") for r in rows)
    finally:
        context.close()
