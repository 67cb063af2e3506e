"""The migration that turns typed operators into certificate links: matched by number, or
by the holder's name when one certificate of the school has it, of the kind the item needs;
what cannot be matched is printed and kept in the item's note."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("equipment", "0001_initial")]
AFTER = [("equipment", "0002_operators_certificates")]
CERTIFICATES = ("certificates", "0002_alter_certificate_certificate_number_per_unit")


@pytest.fixture
def demo_after_flush(django_db_blocker):
    """A transactional test empties the database when it ends; put the demo back."""
    yield
    from xiaoan.orgs.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state([*target, CERTIFICATES]).apps


# On SQLite the flush after a transactional test meets the audit trail's DELETE trigger.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="flushing needs TRUNCATE")
def test_it_links_what_it_can_and_keeps_the_rest_in_the_note(
    demo_after_flush, transactional_db, capsys
):
    old = _migrate(BEFORE)
    Unit = old.get_model("orgs", "Unit")
    Certificate = old.get_model("certificates", "Certificate")
    Equipment = old.get_model("equipment", "Equipment")
    school = Unit.objects.get(name="梁子湖高级中学")
    other = Unit.objects.get(name="东沟镇中心小学")

    def cert(unit, name, code, kind="special_equipment", **extra):
        return Certificate.objects.create(
            unit=unit, name=name, code=code, post="special_equipment", kind=kind, **extra
        )

    zhang = cert(school, "张三", "T1")
    li = cert(school, "李四", "T2")
    cert(school, "王五", "G1", kind="boiler")  # unfit for an elevator
    cert(other, "赵六", "X9")  # another school's
    cert(school, "钱七", "T7", retired_at="2026-01-01T00:00:00+08:00")
    lift = Equipment.objects.create(
        unit=school,
        name="宿舍楼电梯",
        kind="elevator",
        next_inspection_on="2030-01-01",
        note="年检由维保单位代办",
        operators=[
            {"name": "张三", "certificate": "T1"},  # by number
            {"name": "李四", "certificate": ""},  # by the one holder of that name
            {"name": "王五", "certificate": "G1"},
            {"name": "赵六", "certificate": "X9"},
            {"name": "钱七", "certificate": "T7"},
        ],
    )
    bare = Equipment.objects.create(
        unit=school, name="锅炉", kind="boiler", next_inspection_on="2030-01-01", code="锅1"
    )

    new = _migrate(AFTER)
    out = capsys.readouterr().out
    Equipment = new.get_model("equipment", "Equipment")
    lift = Equipment.objects.get(pk=lift.pk)
    assert {c.pk for c in lift.operators.all()} == {zhang.pk, li.pk}
    assert lift.note.startswith("年检由维保单位代办\n原作业人员（未能关联持证上岗台账）：")
    assert "王五 G1；赵六 X9；钱七 T7" in lift.note
    assert "宿舍楼电梯" in out and "王五 G1" in out
    bare = Equipment.objects.get(pk=bare.pk)
    assert bare.note == "" and not bare.operators.exists() and "锅炉（" not in out
