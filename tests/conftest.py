import contextlib
import os
import shutil
from unittest import mock

import pytest
from django.test.utils import CaptureQueriesContext
from pytest_django.live_server_helper import LiveServer


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The "slow" tests first, so that with ``-n 2`` the two workers do not end with one of
    them still running a long test alone; the browser tests last. Playwright's sync API
    leaves its event loop marked as running in the thread for the rest of the session (the
    browser is session-scoped), and Django refuses to call an async view (the live events)
    from a plain test in such a thread: whichever worker ran a browser test first failed it."""

    def rank(item: pytest.Item) -> int:
        if item.get_closest_marker("browser") or "browser" in getattr(item, "fixturenames", ()):
            return 2
        return 0 if item.get_closest_marker("slow") else 1

    items.sort(key=rank)


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
    # Reduced motion: play.js then scrolls to the question at once rather than smoothly, so a
    # test's click never lands on a page that is still moving.
    context = browser.new_context(base_url=live_server.url, locale="en-GB", reduced_motion="reduce")
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
        reduced_motion="reduce",
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
    """Run axe-core with the WCAG 2.x A/AA tags on the page and fail with its report.

    After a click that navigates, first wait for something on the new page (a heading, a
    field): the old page may still be there, and axe would then run during the swap."""

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


def _clear_shared_cache() -> None:
    """Empty the shared cache (a database table unless REDIS_URL is set); a test without
    database access cannot have used a database cache, so there is nothing to clear."""
    from django.core.cache import cache

    try:
        cache.clear()
    except RuntimeError as error:  # pytest-django: "Database access not allowed"
        if "Database access not allowed" not in str(error):
            raise


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (cached public pages must not leak between tests)."""
    from quizzes.scenarios.versions import version_content

    # Rolled-back test transactions reuse ids; production ids never are (AUTOINCREMENT).
    version_content.cache_clear()
    _clear_shared_cache()
    yield
    _clear_shared_cache()


@pytest.fixture(autouse=True)
def _throttle_clock(monkeypatch):
    """Throttle counts start again at each multiple of their window (awareness/throttle.py):
    the tests read the clock once, so a test running across a window's end does not see its
    count vanish. tests/awareness/test_throttle.py moves the clock on purpose."""
    from awareness import throttle

    now = throttle._now()
    monkeypatch.setattr(throttle, "_now", lambda: now)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a test that switches to Chinese (a request
    with Accept-Language, a call to activate) must not change the next test in the same
    worker."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


# Queries on these tables are the infrastructure's, not the page's: without REDIS_URL the
# cache and the sessions live in the database, with it they are read from Redis. The query
# count tests measure what a page asks of the data, so they leave these out.
INFRASTRUCTURE_TABLES = ("django_cache", "django_session")


def _is_infrastructure(sql: str) -> bool:
    return any(table in sql for table in INFRASTRUCTURE_TABLES)


def _data_queries(queries: list[dict]) -> list[dict]:
    """The queries without those on the infrastructure tables, and without the savepoints
    that only wrapped such queries (the database cache writes in a transaction)."""
    drop: set[int] = set()
    open_savepoints: list[int] = []
    for index, query in enumerate(queries):
        sql = query["sql"]
        if _is_infrastructure(sql):
            drop.add(index)
        elif sql.startswith("SAVEPOINT"):
            open_savepoints.append(index)
        elif sql.startswith(("RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")) and open_savepoints:
            start = open_savepoints.pop()
            if all(i in drop for i in range(start + 1, index)):
                drop.update((start, index))
    return [query for index, query in enumerate(queries) if index not in drop]


class _DataQueries(CaptureQueriesContext):
    @property
    def captured_queries(self):
        return _data_queries(super().captured_queries)


def _assert_num_queries(num: int, *, exact: bool = True, info: str | None = None):
    from django.db import connection

    @contextlib.contextmanager
    def check():
        with _DataQueries(connection) as context:
            yield context
        performed = len(context.captured_queries)
        failed = performed != num if exact else performed > num
        if failed:
            listing = "\n".join(f"  {q['sql']}" for q in context.captured_queries)
            message = f"Expected {num} data queries, {performed} were performed"
            pytest.fail(f"{message}{': ' + info if info else ''}:\n{listing}")

    return check()


@pytest.fixture
def django_assert_num_queries():
    """pytest-django's fixture, counting only the page's own queries (see above)."""
    return _assert_num_queries


@pytest.fixture
def django_assert_max_num_queries():
    return lambda num, info=None: _assert_num_queries(num, exact=False, info=info)
