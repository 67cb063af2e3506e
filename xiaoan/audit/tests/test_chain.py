"""The hash chain: `audit verify` passes on an intact trail and names the first row someone
changed or removed in the database; the database itself refuses UPDATE and DELETE."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from xiaoan.audit import services
from xiaoan.audit.models import AppendOnly, AuditEntry
from xiaoan.audit.tests.support import tamper

pytestmark = pytest.mark.django_db


def _verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _three(persona) -> list[AuditEntry]:
    actor = persona("school_a_officer")
    return [
        services.record("other", actor=actor, detail={"n": n, "text": "说明"}) for n in range(3)
    ]


def test_it_chains_each_row_to_the_one_before(persona):
    first, second, third = _three(persona)
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    sm3 = "sm3" in hashlib.algorithms_available
    assert first.algorithm == ("hmac-sm3" if sm3 else "hmac-sha256")
    assert services.compute_hash(AuditEntry.objects.get(pk=third.pk)) == third.hash


def test_it_reports_an_intact_chain_with_its_count(persona):
    _three(persona)
    output = _verify()
    assert "审计记录链完好" in output
    assert f"共 {AuditEntry.objects.count()} 条" in output


def test_it_names_the_first_changed_row(persona):
    _first, second, _third = _three(persona)
    tamper("UPDATE audit_auditentry SET object_repr = %s WHERE id = %s", ["改过", second.pk])
    with pytest.raises(CommandError) as caught:
        _verify()
    message = str(caught.value)
    assert f"ID {second.pk}" in message
    assert timezone.localtime(second.at).strftime("%Y-%m-%d %H:%M:%S") in message
    assert "内容与校验值不符" in message


def test_it_names_the_row_after_a_removed_one(persona):
    _first, second, third = _three(persona)
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [second.pk])
    with pytest.raises(CommandError) as caught:
        _verify()
    assert f"ID {third.pk}" in str(caught.value)
    assert "不衔接" in str(caught.value)


def test_it_notices_a_row_rehashed_with_another_key(persona):
    _first, second, _third = _three(persona)
    forged = AuditEntry.objects.get(pk=second.pk)
    forged.object_repr = "伪造"
    with override_settings(XIAOAN_AUDIT_KEY="someone-elses-key"):
        new_hash = services.compute_hash(forged)
    tamper(
        "UPDATE audit_auditentry SET object_repr = %s, hash = %s WHERE id = %s",
        ["伪造", new_hash, second.pk],
    )
    assert services.verify().broken.entry.pk == second.pk


def test_it_refuses_to_update_or_delete_rows_in_the_database(persona):
    entry = _three(persona)[0]
    for sql in (
        "UPDATE audit_auditentry SET object_repr = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == entry.object_repr
    assert "审计记录链完好" in _verify()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger")
def test_it_refuses_delete_even_with_the_archive_setting_for_rows_no_archive_holds(persona):
    entry = _three(persona)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL xiaoan.audit_archive = 'on'")
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_it_refuses_to_change_or_delete_an_entry_through_the_model(persona):
    entry = _three(persona)[0]
    entry.object_repr = "改"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()


def test_it_keeps_the_chain_when_the_actor_is_deleted(demo):
    from xiaoan.accounts.models import User

    person = User.objects.create_user("leaving", password="x", unit=demo["总务处"])
    entry = services.record("other", actor=person, detail={"why": "test"})
    person.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor_id is None and entry.actor_name == "leaving"
    assert services.verify().broken is None


def test_it_writes_the_entry_in_the_callers_transaction(persona):
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.record("other", actor=persona("auditor"))
        raise RuntimeError
    assert AuditEntry.objects.count() == before
