"""Browser tests: Debian's Chromium driven by Playwright against a live test server.

The browser is the system one (/usr/bin/chromium, installed by .ci/run); nothing is downloaded.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop on this thread; the ORM calls made by fixtures are
# still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", "var/browser"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh page that records every host it loaded something from (the docs must work offline).

    Requests the page's Content-Security-Policy blocks never leave the browser; they are not loads.
    """
    context = browser.new_context(locale="bn-BD", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.hosts = set()
    page.on("requestfinished", lambda request: page.hosts.add(request.url.split("/")[2]))
    yield page
    context.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
