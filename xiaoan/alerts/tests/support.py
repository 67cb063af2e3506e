"""Shared by the alert tests: the demo units' names, a smoke-detector alert, what a person
was told, and a test-only rule condition (registered for the test that asks for it)."""

from __future__ import annotations

import pytest

from xiaoan.alerts import services
from xiaoan.alerts.conditions import CONDITIONS, Condition
from xiaoan.notifications.models import Notification

SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"
DISTRICT = "梁子湖区教育局"


def smoke(units, name=SCHOOL_A, **kw):
    fields = {
        "unit": units[name],
        "kind": "smoke",
        "severity": "warning",
        "title": "3号楼3层烟感报警",
        "labels": {"sensor": "B3-3F-07"},
        "place": "3号楼3层",
        "source_name": "消防物联网",
    }
    fields.update(kw)
    return services.raise_alert(**fields)


def told(user, alert=None) -> int:
    rows = Notification.objects.filter(recipient=user)
    if alert is not None:
        rows = rows.filter(url__endswith=f"/alerts/{alert.pk}/")
    return rows.count()


FOUND: list = []


def _test_find(today, thresholds, within):
    from xiaoan.orgs.models import Unit

    paths = dict(Unit.objects.filter(pk__in=[f.unit_id for f in FOUND]).values_list("pk", "path"))
    return [f for f in FOUND if paths[f.unit_id].startswith(within)]


TEST_CONDITION = Condition(
    "test_overdue", "测试条件", _test_find, {"days": ("天数", 3)}, "test_overdue"
)


@pytest.fixture
def rule_condition():
    CONDITIONS.register(TEST_CONDITION)
    yield TEST_CONDITION
    CONDITIONS._functions.remove(TEST_CONDITION)
    FOUND.clear()


def photo(name: str = "scene.jpg"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), "#2980b9").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
