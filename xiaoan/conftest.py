"""Shared test personas: the demo district (see xiaoan/orgs/demo.py).

Who may see what:
- district_officer (安全股, safety officer over 梁子湖区教育局 and its subtree): every school
  of the district, not the university.
- school_a_head / school_a_officer (梁子湖高级中学): their school and its departments only.
- school_a_owner: 总务处 of School A only, view rights only.
- school_b_teacher (东沟镇中心小学, reporter, no subtree): sees the school itself, may change
  nothing.
- expert: an outside inspector with no standing scope: sees nothing until invited.
- auditor (区教育局 auditor): read-only over the district.
- sysadmin / secadmin / auditadmin: the three platform administrators (三员分立).
"""

from __future__ import annotations

import pytest
from django.test import Client

from xiaoan.core.scoping import forget_grants


def pytest_configure(config):
    """Note how every route answered (xiaoan/core/route_coverage.py)."""
    from django.conf import settings

    # Outermost, so it also sees what a middleware answers itself (the alerts' intake).
    settings.MIDDLEWARE = ["xiaoan.core.route_coverage.RouteRecorder", *settings.MIDDLEWARE]


def pytest_sessionfinish(session, exitstatus):
    """After a whole, green run: every route was both refused to someone and served to
    someone by some test, or the run fails naming the routes."""
    options = session.config.option
    whole = (
        not options.keyword
        and not options.markexpr
        and [str(a) for a in session.config.args] in ([], session.config.getini("testpaths"))
    )
    if exitstatus != 0 or not whole or session.testscollected < 1000:
        return
    from xiaoan.core.route_coverage import gaps

    missing = gaps()
    if missing:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.write_line(
            f"\n{len(missing)} routes are in no access table (no test refused or served them):"
        )
        for line in missing:
            reporter.write_line(f"  {line}")
        session.exitstatus = 1


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo district once per run; each test then runs inside a rolled-back
    transaction on top of it."""
    from xiaoan.orgs.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()


@pytest.fixture
def demo(db):
    from xiaoan.orgs.demo import load_demo
    from xiaoan.orgs.models import Unit

    units = {u.name: u for u in Unit.objects.all()}
    if not units:  # a transactional test flushed the database
        from xiaoan.indicators.builtin import ensure_builtin

        load_demo()
        ensure_builtin()
        units = {u.name: u for u in Unit.objects.all()}
    return units


@pytest.fixture
def units(demo):
    return demo


@pytest.fixture
def persona(demo):
    from xiaoan.accounts.models import User

    def get(username: str):
        user = User.objects.get(username=username)
        forget_grants(user)
        return user

    return get


@pytest.fixture
def client_for(persona):
    def make(username: str) -> Client:
        from xiaoan.accounts.tests.mfa_helpers import pass_second_factor

        client = Client()
        user = persona(username)
        client.force_login(user)
        pass_second_factor(client, user)  # the three administrators must use one
        return client

    return make


@pytest.fixture
def api_for(persona):
    from rest_framework.test import APIClient

    def make(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(persona(username))
        return client

    return make


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit and lockout counters live in the cache: no test inherits another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded photos go to a per-test directory, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
