"""A real gunicorn serving a temp SQLite file, and Debian's Chromium driven by Playwright.
The plain helpers behind these fixtures are in helpers.py."""
import os

import pytest

from .helpers import CHROMIUM, CHROMIUM_ARGS, gunicorn_server


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """A live server over an empty database; yields its base URL."""
    with gunicorn_server(tmp_path_factory.mktemp("live")) as (url, _):
        yield url


@pytest.fixture(scope="session")
def playwright():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def phone(browser):
    """A 375 px wide phone in Chicago (for the browser's time zone)."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, timezone_id="America/Chicago",
                                  has_touch=True, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    yield page
    context.close()
