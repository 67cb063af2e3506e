"""Editing a checklist writes a new version; an inspection keeps the version it was done
with. A unit's copy serves its subtree, and built-ins change only through the library."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.core.errors import Forbidden, Invalid
from xiaoan.inspections import checklists
from xiaoan.inspections.models import ChecklistTemplate
from xiaoan.inspections.tests.support import SCHOOL_A, checklist, done, make

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]


def _items(template):
    fields = ("code", "section", "text", "guidance", "photo_required", "criterion")
    return [
        {name: getattr(i, name) for name in fields}
        for i in template.current_version.items.order_by("seq")
    ]


def test_it_leaves_a_done_inspection_as_it_was(persona, units, checklist):
    officer = persona("school_a_officer")
    copy = checklists.copy_template(officer, checklist.pk, unit=units[SCHOOL_A])
    inspection = make(persona, units, copy)
    done(persona, inspection)
    used = inspection.checklist
    used.refresh_from_db()
    assert used.is_frozen
    items = _items(copy)
    items[0]["text"] = "灭火器、消火栓配置齐全"
    items.append({"text": "微型消防站人员在岗"})
    checklists.revise_template(officer, copy.pk, items=items, note="增加一项")
    copy.refresh_from_db()
    assert copy.current_version.number == used.number + 1
    assert copy.current_version.items.count() == 4
    inspection.refresh_from_db()
    assert inspection.checklist_id == used.pk
    assert used.items.get(seq=1).text == "灭火器配置齐全、在有效期内"
    # A new inspection takes the new version.
    assert make(persona, units, copy).checklist_id == copy.current_version_id


def test_it_writes_no_version_when_nothing_changed(persona, units, checklist):
    officer = persona("school_a_officer")
    copy = checklists.copy_template(officer, checklist.pk, unit=units[SCHOOL_A])
    checklists.revise_template(officer, copy.pk, items=_items(copy), name="新名称")
    copy.refresh_from_db()
    assert copy.name == "新名称" and copy.versions.count() == 1


def test_it_refuses_bad_items(persona, units, checklist):
    officer = persona("school_a_officer")
    copy = checklists.copy_template(officer, checklist.pk, unit=units[SCHOOL_A])
    with pytest.raises(Invalid):
        checklists.revise_template(officer, copy.pk, items=[])
    with pytest.raises(Invalid) as error:
        checklists.revise_template(officer, copy.pk, items=[{"text": "x", "criterion": "NOPE"}])
    assert "NOPE" in str(error.value.message)


def test_it_keeps_built_ins_for_the_library(persona, checklist):
    with pytest.raises(Forbidden):
        checklists.revise_template(persona("district_officer"), checklist.pk, name="改名")


def test_it_shows_a_copy_to_its_subtree_only(persona, units, checklist):
    district = checklists.copy_template(
        persona("district_officer"), checklist.pk, unit=units["梁子湖区教育局"]
    )
    school = checklists.copy_template(
        persona("school_a_officer"), checklist.pk, unit=units[SCHOOL_A]
    )

    def visible(who):
        return set(ChecklistTemplate.objects.restrict(persona(who)).values_list("pk", flat=True))

    assert {district.pk, school.pk, checklist.pk} <= visible("district_officer")
    assert {district.pk, school.pk, checklist.pk} <= visible("school_a_officer")
    uni = visible("uni_security")
    assert checklist.pk in uni and district.pk not in uni and school.pk not in uni
    assert visible("expert") == set()
    # Only the owner's people may adapt it.
    with pytest.raises(Forbidden):
        checklists.revise_template(persona("school_a_officer"), district.pk, name="改名")
    checklists.revise_template(persona("district_officer"), school.pk, name="区里改名")


def test_it_copies_only_for_ones_own_units(persona, units, checklist):
    with pytest.raises(Invalid):
        checklists.copy_template(
            persona("school_a_officer"), checklist.pk, unit=units["鄂州职业大学"]
        )
    with pytest.raises(Forbidden):
        checklists.copy_template(persona("auditor"), checklist.pk, unit=units["梁子湖区教育局"])


def test_it_counts_the_inspections_of_each_version(client_for, persona, units, checklist):
    make(persona, units, checklist)
    make(persona, units, checklist)
    page = client_for("school_a_officer").get(
        reverse("inspections:checklist_detail", args=[checklist.pk])
    )
    assert '第1版</a><span class="text-muted me-2">（2 次检查）' in page.content.decode()


def test_it_copies_and_adapts_on_the_pages(client_for, units, checklist):
    client = client_for("school_a_officer")
    school = units[SCHOOL_A]
    copied = client.post(
        reverse("inspections:checklist_copy", args=[checklist.pk]),
        {"unit": school.pk, "name": "本校消防检查表"},
    )
    assert copied.status_code == 302
    copy = ChecklistTemplate.objects.get(owner_unit=school, name="本校消防检查表")
    assert copied["Location"] == reverse("inspections:checklist_detail", args=[copy.pk])
    edit_url = reverse("inspections:checklist_edit", args=[copy.pk])
    form = client.get(edit_url).content.decode()
    assert "TEST-SMALL-02 | 消防管理 | 消防安全责任体系健全并落实" in form
    lines = "\n".join(
        [
            "TEST-SMALL-01 | 消防设施 | 灭火器配置齐全 | 现场查看 | 是 |",
            " | 消防管理 | 疏散通道畅通 | 现场查看 | 否 | FIRE-D-06",
        ]
    )
    saved = client.post(
        edit_url, {"name": "本校消防检查表", "description": "", "is_active": "on", "items": lines}
    )
    assert saved.status_code == 302
    copy.refresh_from_db()
    items = list(copy.current_version.items.order_by("seq"))
    assert copy.current_version.number == 2
    assert [(i.code, i.photo_required, i.criterion) for i in items] == [
        ("TEST-SMALL-01", True, ""),
        (f"{copy.code}-02", False, "FIRE-D-06"),
    ]
    bad = client.post(edit_url, {"name": "x", "items": "只有一列"})
    assert bad.status_code == 400 and "至少要有" in bad.content.decode()
