"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every test here is marked `browser`. Without Chromium (/usr/bin/chromium or $XIAOAN_CHROMIUM)
they are skipped with a reason, unless XIAOAN_BROWSER_TESTS=required (CI), where a missing
browser is an error. Playwright never downloads a browser of its own.

The live server needs a transactional database, which Django empties after each test: the
`demo_data` fixture loads the demo district with its sample hazards and inspections before a
test, and the teardown hook below puts the bare demo back afterwards for the tests after it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from xiaoan.browser_tests.support import CHROMIUM, CHROMIUM_ARGS, REQUIRED, TIMEOUT_MS, Browse

_skipped_key = pytest.StashKey[tuple[int, str]]()


def _missing() -> str | None:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set XIAOAN_CHROMIUM)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    reason = _missing() if browser_items else None
    if reason is None:
        return
    if REQUIRED:
        raise pytest.UsageError(f"browser tests required (XIAOAN_BROWSER_TESTS): {reason}")
    config.stash[_skipped_key] = (len(browser_items), reason)
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=f"browser test skipped: {reason}"))


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    skipped = config.stash.get(_skipped_key, None)
    if skipped:
        count, reason = skipped
        terminalreporter.write_line(f"SKIPPED {count} browser tests: {reason}", yellow=True)


# ---------------------------------------------------------------- data


def _sqlite_triggers_aside() -> list[tuple[str, str]]:
    """SQLite's append-only triggers (the audit trail) refuse the DELETEs of Django's flush
    after a transactional test: they are set aside for it. PostgreSQL's flush truncates,
    which its row triggers ignore."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
    return triggers


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """Around the flush that ends a live-server test: triggers aside before it; after it the
    triggers and the demo district come back, as the session fixture left them for the tests
    after this one."""
    if "live_server" not in getattr(item, "funcargs", {}):
        return (yield)
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    from xiaoan.orgs.demo import load_demo

    blocker = item.config.stash[blocking_manager_key]
    with blocker.unblock():
        triggers = _sqlite_triggers_aside()
    try:
        return (yield)
    finally:
        if nextitem is not None:  # after the last test, the test database is dropped
            with blocker.unblock():
                with connection.cursor() as cursor:
                    for _name, sql in triggers:
                        cursor.execute(sql)
                load_demo()


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest, django_db_setup) -> Iterator[object]:
    """pytest-django's live server, answering one request at a time: on SQLite the server
    shares the tests' in-memory database connection, which concurrent requests (a page's
    photos) would use at once ("database table is locked"). Started once the test database
    exists (so it gets that connection) and stopped before it is dropped."""
    from django.core.servers.basehttp import WSGIServer
    from django.db import connections
    from pytest_django.live_server_helper import LiveServer

    class OneAtATime(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs) -> None:
            super().__init__(*args, **kwargs)

        def close_request(self, request) -> None:
            # As Django's threaded server does; SQLite's in-memory connection ignores it.
            connections.close_all()
            super().close_request(request)

    addr = (
        request.config.getvalue("liveserver")
        or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    server.thread.server_class = OneAtATime
    server.start()
    yield server
    server.stop()


@pytest.fixture
def demo_data(live_server, monkeypatch) -> None:
    """The demo as `xiaoan demo` makes it: units, accounts, sample hazards and this month's
    generated inspections (not the duties, which no journey here needs)."""
    from xiaoan.hazards.demo import load_hazards
    from xiaoan.indicators.builtin import ensure_builtin
    from xiaoan.inspections.demo import load_inspections
    from xiaoan.orgs.demo import load_demo

    # Playwright's sync API keeps an event loop in this thread; the ORM calls a test makes
    # between browser steps are ordinary synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    load_demo()
    ensure_builtin()  # a flush after an earlier live-server test removed the migration's rows
    load_hazards()
    load_inspections()


# ---------------------------------------------------------------- browser


@pytest.fixture
def browse(demo_data, live_server) -> Iterator[Browse]:
    """`browse.page(username, PHONE)` gives a logged-in page. The test fails when any page
    logged a console error, an uncaught exception or a CSP violation (pytest_runtest_call)."""
    from django.db import connections
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    # Django's connections are context-local, and Playwright runs the test in another
    # context: hand it the connection it had, the one the live server shares on SQLite.
    mine = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in mine.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        session = Browse(browser=browser, base_url=live_server.url)
        try:
            yield session
        finally:
            session.close()
            browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """What the browser complained about fails the test, or is added to its failure."""
    session = getattr(item, "funcargs", {}).get("browse")
    try:
        result = yield
    except BaseException as error:
        if isinstance(session, Browse) and session.problems:
            error.add_note("the browser reported:\n" + "\n".join(session.problems))
        raise
    if isinstance(session, Browse) and session.problems:
        pytest.fail("the browser reported:\n" + "\n".join(session.problems), pytrace=False)
    return result
