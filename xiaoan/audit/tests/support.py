"""Helpers shared by the audit tests."""

from __future__ import annotations

from django.db import connection

from xiaoan.audit.models import AuditEntry

UA = "Mozilla/5.0 (xiaoan-test) 审计"
IP = "203.0.113.7"
CLIENT_META = {"HTTP_USER_AGENT": UA, "REMOTE_ADDR": IP}


def newest(**filters) -> AuditEntry:
    entry = AuditEntry.objects.filter(**filters).order_by("-id").first()
    assert entry is not None, filters
    return entry


def since(mark: int, **filters):
    return AuditEntry.objects.filter(id__gt=mark, **filters).order_by("id")


def mark() -> int:
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    return last or 0


def without_guard():
    """SQL that switches the append-only trigger off inside the test's transaction (rolled
    back with it), so a test can tamper like someone with direct database access."""
    if connection.vendor == "postgresql":
        # A superuser's way round every ordinary trigger, for this transaction only.
        return ["SET LOCAL session_replication_role = replica"]
    return ["DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete"]


def tamper(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        for statement in without_guard():
            cursor.execute(statement)
        cursor.execute(sql, params)
