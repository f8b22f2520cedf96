"""The clinic report prints on one or two A4 pages, without the app's navigation."""
import datetime as dt
import re
import shutil
import subprocess

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


def pdf_pages(pdf_path):
    """The text of each page of the PDF, as pdftotext (poppler-utils) reads it."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: run `make browser-deps` (scripts/ensure-poppler installs poppler-utils)")
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def test_printed_report_with_notes_reads_well_on_every_page(browser, live_server, tmp_path):
    """Name and page number on every page, dates never split, one date-ordered list of notes and
    reflections, long notes allowed to break, and wording for a clinician (no "your anxiety")."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    try:
        register(page, live_server)  # "Robin"
        page.wait_for_url(live_server + "/")
        today = dt.date.today()
        day = lambda n: (today - dt.timedelta(days=n)).isoformat()  # noqa: E731
        for n in range(40):
            note = f"Note of day {n}." if n % 4 == 0 else ""
            if n == 12:
                note = "A long note. " + "It went on and on, and I wrote it all down. " * 120
            assert post_json(page, "/api/v1/entries", {"date": day(n), "anxiety": 2 + n % 7, "note": note,
                                                       "triggers": ["work"] if n % 3 else []}) == 201
        for n in (6, 18, 30):
            assert post_json(page, "/api/v1/sessions", {
                "date": day(n), "treatment": "iv_ketamine", "dose_mg": 35, "anxiety_before": 7,
                "anxiety_after": 3, "side_effects": ["nausea", "dissociation", "headache"],
                "reflection": f"Reflection of day {n}."}) == 201
        page.goto(live_server + f"/report?from={day(39)}&to={day(0)}&notes=true")
        page.emulate_media(media="print")
        pdf_path = tmp_path / "report.pdf"
        page.pdf(format="A4", path=str(pdf_path))
        pages = pdf_pages(pdf_path)
        assert len(pages) >= 2
        for number, text in enumerate(pages, start=1):
            assert "Robin" in text, f"no patient name on page {number}"
            assert f"Page {number} of {len(pages)}" in text, f"no page number on page {number}"
        everything = "\n".join(pages)
        split = re.findall(r"\b\d{4}-(?:\d{2}-?)?\s*$", everything, flags=re.M)
        assert not split, f"dates split across lines: {split}"
        assert "your anxiety" not in everything.lower()
        assert "after iv" not in everything and "IV ketamine" in everything
        # One list, newest last as the rest of the report: notes and reflections by date.
        said = re.findall(r"(Note|Reflection)\s+of\s+day\s+(\d+)\.", everything)
        assert {kind for kind, _ in said} == {"Note", "Reflection"}
        assert [int(n) for _, n in said] == sorted((int(n) for _, n in said), reverse=True)
        # The long note starts on the page the note before it is on (it may break; no blank page).
        start = next(i for i, text in enumerate(pages) if "A long note." in text)
        assert "Note of day 8." in pages[start] or "Note of day 16." in pages[start]
    finally:
        context.close()
