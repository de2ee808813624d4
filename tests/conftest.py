import os
import shutil
from unittest import mock

import pytest
from pytest_django.live_server_helper import LiveServer

CHROMIUM = "/usr/bin/chromium"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


class _PassThrough:
    """Replaces Django's static handler: WhiteNoise serves hashed files, as in production."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        return self.application(environ, start_response)


@pytest.fixture(scope="session")
def live_server(request):
    with mock.patch("django.contrib.staticfiles.handlers.StaticFilesHandler", _PassThrough):
        server = LiveServer("localhost:0")
    request.addfinalizer(server.stop)
    return server


@pytest.fixture(scope="session")
def browser():
    """The system Chromium, driven by Playwright. Missing browser: skip locally, fail in CI."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: browser tests are required in CI")
        pytest.skip(f"{CHROMIUM} is not installed")
    # Playwright's sync API keeps an event loop in this thread; the test code itself is sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core with the WCAG 2.x A/AA tags on the page and fail with its report."""

    def check(page, label: str = ""):
        results = axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )
        assert results.violations_count == 0, f"{label or page.url}: {results.generate_report()}"

    return check


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (cached public pages must not leak between tests)."""
    from django.core.cache import cache

    from quizzes import fragments
    from quizzes.versions import version_content

    # Rolled-back test transactions reuse ids; production ids never are (AUTOINCREMENT).
    version_content.cache_clear()
    fragments.clear()
    cache.clear()
    yield
    cache.clear()
