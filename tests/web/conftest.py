"""Browser tests of the web pages: the real app under uvicorn on a loopback port, driven by Debian's
chromium through Playwright. They are skipped only where no chromium is installed at all, and never
in CI (.ci/run installs it; with CI set a missing browser fails the run)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.web.server import Server, build_app

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output" / "web"
VENDOR = ROOT / "app" / "static" / "vendor" / "yasgui" / "yasgui.min.js"
CHROMIUM = os.environ.get("IZA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MODELLED = ("gooi-en-vechtstreek", "midden-nederland", "noord-en-midden-limburg")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI is set but chromium is missing ({CHROMIUM}); .ci/run installs it")
    skip = pytest.mark.skip(reason=f"no chromium at {CHROMIUM} (install Debian's chromium to run the browser tests)")
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def server():
    if not VENDOR.exists():
        pytest.fail(f"{VENDOR.relative_to(ROOT)} is missing: run `make assets` (npm ci and the copy into app/static/vendor/)")
    with Server(build_app()) as running:
        httpx.get(running.base_url + "/naleving", timeout=30)  # starts the SHACL run behind the compliance page
        yield running


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    """A fresh page that records every request; the test fails if any goes to another host than the app."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, base_url=server.base_url)
    page = context.new_page()
    foreign: list[str] = []
    app_host = urlsplit(server.base_url).netloc

    def check(request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != app_host:
            foreign.append(request.url)

    page.on("request", check)
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not foreign, f"requests to other hosts than the app: {foreign}"


@pytest.fixture(scope="session")
def screenshot():
    OUTPUT.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, full_page: bool = False) -> Path:
        path = OUTPUT / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
