"""The review and confirm steps for the shapes of issue 11: a rectification list imported
by a university (unit names with 与/和 matched against its departments), the plan's 文号
carried from the document, each task's 领域 from its inferred safety domain, and a
confirmation with unmatched units naming every one of them."""

from __future__ import annotations

import pytest

from xiaoan.core.errors import Invalid
from xiaoan.plans import importing
from xiaoan.plans.models import Plan, PlanImport
from xiaoan.plans.tests.support import DISTRICT, UNI

pytestmark = pytest.mark.django_db

RECTIFICATION = (
    "鄂职大〔2025〕7号\n"
    "鄂州职业大学校园安全隐患问题清单、任务清单、责任清单\n"
    "序号\t整治项目\t整治内容\t突出问题\t整治要求\t责任单位\t完成时间\n"
    "1\t实验室安全\t危化品管理\t台账不全\t建立台账，双人双锁\t国有资产与实验室管理处\t长期坚持\n"
    "2\t\t实验室准入\t未培训即进入\t落实准入培训\t化学与环境工程学院\t立整立改\n"
    "3\t消防安全\t学生宿舍\t安全出口上锁\t立即清理\t保卫处和学生工作处\t2025年6月\n"
)


def test_it_imports_a_rectification_list_with_its_number_and_domains(persona, units):
    actor = persona("uni_security")
    pending = importing.start_import(actor, unit=units[UNI], text=RECTIFICATION)
    draft = pending.draft
    assert draft["document_number"] == "鄂职大〔2025〕7号"
    assert [t["title"] for t in draft["tasks"]] == ["危化品管理", "实验室准入", "学生宿舍"]
    assert [t["safety_domain"] for t in draft["tasks"]] == ["labs", "labs", "fire"]
    assert [t["domain"] for t in draft["tasks"]] == ["实验室安全", "实验室安全", "消防安全"]
    assert draft["tasks"][2]["responsible_units"] == ["保卫处", "学生工作处"]
    suggestions = importing.suggest_units(draft, units[UNI])
    assert importing.unmatched_names(suggestions) == []
    mapping = importing.default_mapping(suggestions)
    assert mapping["国有资产与实验室管理处"] == str(units["国有资产与实验室管理处"].pk)
    assert mapping["化学与环境工程学院"] == str(units["化学与环境工程学院"].pk)
    # No number typed on the review: the document's own.
    plan = importing.confirm_import(actor, pending.pk, mapping=mapping)
    assert plan.document_number == "鄂职大〔2025〕7号"
    tasks = list(plan.tasks.order_by("seq"))
    assert [t.domain for t in tasks] == ["实验室/危化品", "实验室/危化品", "消防"]
    assert [[d.kind for d in t.deadlines.all()] for t in tasks] == [
        ["ongoing"],
        ["immediate"],
        ["date"],
    ]
    assert set(tasks[2].responsible_units.values_list("name", flat=True)) == {
        "保卫处",
        "学生工作处",
    }


def test_it_keeps_the_typed_number_and_the_group_when_no_domain_is_clear(persona, units):
    actor = persona("uni_security")
    text = (
        "鄂州职业大学2025年安全工作要点\n"
        "序号\t领域\t工作任务\t责任单位\n1\t综合\t严格落实主体责任。\t保卫处\n"
    )
    pending = importing.start_import(actor, unit=units[UNI], text=text)
    assert pending.draft["document_number"] == ""
    suggestions = importing.suggest_units(pending.draft, units[UNI])
    plan = importing.confirm_import(
        actor,
        pending.pk,
        mapping=importing.default_mapping(suggestions),
        document_number="鄂职大〔2025〕9号",
    )
    assert plan.document_number == "鄂职大〔2025〕9号"
    assert plan.tasks.get().domain == "综合"


def test_it_names_every_unmatched_unit_when_confirming(persona, units):
    actor = persona("district_officer")
    text = (
        "序号\t工作任务\t牵头单位\t责任单位\n"
        "1\t开展消防检查。\t安全股\t火星中学、月球小学\n"
        "2\t开展食品检查。\t木星办\t月球小学\n"
    )
    pending = importing.start_import(actor, unit=units[DISTRICT], text=text)
    suggestions = importing.suggest_units(pending.draft, units[DISTRICT])
    mapping = importing.default_mapping(suggestions)
    before = Plan.objects.count()
    with pytest.raises(Invalid) as raised:
        importing.confirm_import(actor, pending.pk, mapping=mapping)
    message = str(raised.value.message)
    for name in ("火星中学", "月球小学", "木星办"):
        assert name in message
    assert "共 3 个" in message
    assert raised.value.fields["units"] == ["火星中学", "月球小学", "木星办"]
    assert Plan.objects.count() == before
    assert PlanImport.objects.get(pk=pending.pk).status == "pending"


def test_it_shows_the_document_number_and_every_unmatched_unit_on_the_review_page(
    client_for, persona, units
):
    actor = persona("district_officer")
    text = (
        "梁教〔2024〕12号\n"
        "序号\t工作任务\t责任单位\n"
        "1\t开展防溺水教育。\t火星中学\n"
        "2\t开展消防检查。\t月球小学\n"
    )
    pending = importing.start_import(actor, unit=units[DISTRICT], text=text)
    client = client_for("district_officer")
    url = f"/plans/import/{pending.pk}/"
    page = client.get(url).content.decode()
    assert 'value="梁教〔2024〕12号"' in page
    assert "防溺水" in page and "消防" in page  # each task's 领域
    data = {
        "plan_title": "导入的方案",
        "document_number": "梁教〔2024〕12号",
        "title-0": "开展防溺水教育",
        "deadlines-0": "2024-12-31",
        "title-1": "开展消防检查",
        "deadlines-1": "2024-12-31",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "火星中学、月球小学" in body
