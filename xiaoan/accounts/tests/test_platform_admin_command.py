"""`xiaoan platform-admin`: the console is the only place the three administrators are
managed; a reset there is a one-time password like any other reset, and is audited."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from xiaoan.accounts.models import User
from xiaoan.accounts.tokens import active_tokens, create_token
from xiaoan.audit.models import AuditEntry


def _run(*args: str) -> dict:
    out = StringIO()
    call_command("platform-admin", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_it_resets_an_administrator_to_a_one_time_password(persona):
    admin = persona("secadmin")
    create_token(admin, "old")
    answer = _run("reset-password", "secadmin")
    admin.refresh_from_db()
    assert admin.must_change_password
    assert not active_tokens(admin).exists()
    assert Client().login(username="secadmin", password=answer["one_time_password"])
    assert AuditEntry.objects.filter(action="password_reset", object_id=str(admin.pk)).exists()


def test_it_creates_and_lists_an_administrator(demo):
    created = _run("create", "secadmin2", "--role", "security_admin", "--name", "第二安全员")
    assert User.objects.get(username="secadmin2").must_change_password
    assert created["one_time_password"]
    assert "secadmin2" in _run("list")


def test_it_leaves_business_accounts_to_the_application(demo):
    with pytest.raises(CommandError, match="不是平台管理员"):
        _run("deactivate", "school_a_head")
    assert User.objects.get(username="school_a_head").is_active
